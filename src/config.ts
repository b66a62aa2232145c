import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.js';
import { ROUNDING_MODES, type RoundingMode } from './pricing/rounding.js';
import { DEFAULT_SCENARIO } from './scenario/scenario-catalogue.js';
import { ADMIN_TOKEN_PATTERN, isLoopbackHost } from './server/admin-access.js';

export const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * How `thumbImage` is written: `absolute` as the address of this emulator as
 * the client reached it (like the vendor's example), `path` as
 * `/upload/image/NAME` alone (as the cabinet-screen client expects to prefix).
 */
export type ImageUrlStyle = 'absolute' | 'path';

export const IMAGE_URL_STYLES: readonly ImageUrlStyle[] = ['absolute', 'path'];

/** Everything that `startEmulator` and `cabinet-emu serve` can be told. */
export interface EmulatorOptions {
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 0 here, 8080 on the command line. */
  port?: number;
  /**
   * What every session plays unless its device has a scenario of its own: a
   * bundled scenario's name, or a scenario file's path. Default `happy-path`.
   */
  scenario?: string;
  /** Plays scenarios this many times faster than written. Default 1. */
  speed?: number;
  /** Rounding of weighed lines to fen. Default `half-up`. */
  rounding?: RoundingMode;
  /** How `thumbImage` is written. Default `absolute`. */
  imageUrls?: ImageUrlStyle;
  /** Writes `success` as `"true"`/`"false"` strings. Default false. */
  successAsString?: boolean;
  /**
   * Folder with `cabinets/*.json` and `images/`, relative to the working
   * directory or absolute. Default: the bundled fixtures.
   */
  fixturesDir?: string;
  /** pino level. Default `info`. */
  logLevel?: LogLevel;
  /**
   * Seed of everything random: scale noise, piece weights, lock timing,
   * `tradeNo`. Default: a new random seed each start, printed at start-up.
   */
  seed?: string;
  /** Module files that add door and load-cell models; see `ModelModule`. */
  modelModules?: readonly string[];
  /**
   * The order journal, read back at start and appended to with every order
   * and payment: a file (relative to the working directory or absolute),
   * `true` for `orders.jsonl` in `dataDir`, `false` for none. Default false
   * here, so that tests leave no files behind; the command line's is true.
   */
  journal?: string | boolean;
  /**
   * The emulator's own files: the command line's journal, the generated
   * certificate. Default `.cabinet-emu` in the working directory.
   */
  dataDir?: string;
  /**
   * The token the control API (`/emulator/...`) and the dashboard (`/`,
   * `/dashboard/...`) require: at least 12 of `A-Z a-z 0-9 - . _ ~`. Required
   * whenever one is given or `host` is not loopback; then, when not given, a
   * new one is made at each start (see `config.adminToken`).
   */
  adminToken?: string;
  /**
   * PEM certificate (chain) file to serve `https://` and `wss://` with;
   * give `tlsKey` with it. TLS 1.2 or later only.
   */
  tlsCert?: string;
  /** PEM private key file of `tlsCert`. */
  tlsKey?: string;
  /**
   * Serves TLS with a development certificate for localhost and this
   * machine's addresses, made once and kept in `dataDir/tls/`, signed by an
   * authority of its own (`ca.pem` there) for phones to trust. Default false.
   */
  tlsSelfSigned?: boolean;
  /**
   * The purchase endpoint accepts only tokens minted by
   * `POST /emulator/tokens` and not yet expired. Default false: any token.
   */
  strictTokens?: boolean;
  /**
   * The largest message a client may send; a bigger one closes its socket
   * with 1009. The protocol has no client messages. Default 65536 (64 KiB).
   */
  maxMessageBytes?: number;
  /**
   * Wall-clock milliseconds between pings to each shopper; a shopper that
   * misses two pongs in a row is cut. Default 25000, under the 60 s after
   * which common proxies drop an idle connection.
   */
  heartbeatMs?: number;
  /** WebSocket connections open at once; more are refused with 503. Default 10000. */
  maxConnections?: number;
  /** Purchase sockets open at once from one IP address; more get 503. Default 100. */
  maxConnectionsPerIp?: number;
}

export type EmulatorConfig = Readonly<
  Required<
    Omit<EmulatorOptions, 'journal' | 'adminToken' | 'tlsCert' | 'tlsKey'>
  > & {
    /** The journal's absolute path; undefined when there is none. */
    journal: string | undefined;
    /** The admin token in force; undefined when admin paths are open. */
    adminToken: string | undefined;
    /** Absolute paths; both or neither. */
    tlsCert: string | undefined;
    tlsKey: string | undefined;
  }
>;

/** Where the emulator keeps its own files unless told otherwise. */
export const DEFAULT_DATA_DIR = '.cabinet-emu';

/** The journal's name in the data folder. */
export const JOURNAL_FILE_NAME = 'orders.jsonl';

export const BUNDLED_FIXTURES_DIR = fileURLToPath(
  new URL('../fixtures', import.meta.url),
);

/** Faster than this, timers of a few milliseconds stop meaning anything. */
export const MAX_SPEED = 1000;

/** Slower than this, a scenario's minutes outgrow what Node's timers can wait. */
export const MIN_SPEED = 0.01;

/** ws's own default limit; nothing a shopper sends needs more. */
export const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

/** Proxies commonly cut a connection idle for 60 s: ping before that. */
export const MAX_HEARTBEAT_MS = 59_999;

export const MIN_HEARTBEAT_MS = 10;

export const MAX_CONNECTIONS = 1_000_000;

// What a wrong value was, readably: JSON.stringify writes NaN as null.
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

// A wrong token may still be someone's secret: it is described, not shown.
function secretShown(value: unknown): string {
  if (typeof value !== 'string') return shown(value);

  return value.length < 12
    ? `a token of ${value.length} characters`
    : 'a token with other characters';
}

/**
 * Fills in defaults, checks every option at once and freezes the result.
 * All problems are reported together in one `ConfigError`.
 */
export function resolveConfig(
  options: EmulatorOptions = {},
  otherKeys: readonly string[] = [],
): EmulatorConfig {
  if (
    typeof options !== 'object' ||
    options === null ||
    Array.isArray(options)
  ) {
    throw new ConfigError(
      `invalid options: expected an object, got ${JSON.stringify(options)}`,
    );
  }

  const config = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    scenario: options.scenario ?? DEFAULT_SCENARIO,
    speed: options.speed ?? 1,
    rounding: options.rounding ?? 'half-up',
    imageUrls: options.imageUrls ?? 'absolute',
    successAsString: options.successAsString ?? false,
    fixturesDir: options.fixturesDir ?? BUNDLED_FIXTURES_DIR,
    logLevel: options.logLevel ?? 'info',
    seed: options.seed ?? randomBytes(6).toString('hex'),
    modelModules: options.modelModules ?? [],
    journal: options.journal ?? false,
    dataDir: options.dataDir ?? DEFAULT_DATA_DIR,
    adminToken: options.adminToken,
    tlsCert: options.tlsCert,
    tlsKey: options.tlsKey,
    tlsSelfSigned: options.tlsSelfSigned ?? false,
    strictTokens: options.strictTokens ?? false,
    maxMessageBytes: options.maxMessageBytes ?? 64 * 1024,
    heartbeatMs: options.heartbeatMs ?? 25_000,
    maxConnections: options.maxConnections ?? 10_000,
    maxConnectionsPerIp: options.maxConnectionsPerIp ?? 100,
  };
  const problems: string[] = [];
  const expect = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const known = new Set([...Object.keys(config), ...otherKeys]);
  const expectInteger = (key: keyof typeof config, min: number, max: number) =>
    expect(
      Number.isInteger(config[key]) &&
        (config[key] as number) >= min &&
        (config[key] as number) <= max,
      `${key}: expected an integer from ${min} to ${max}, got ${shown(config[key])}`,
    );

  for (const key of Object.keys(options)) {
    expect(
      known.has(key),
      `${key}: not an option; expected one of ${[...known].join(', ')}`,
    );
  }

  expect(
    typeof config.host === 'string' && config.host.length > 0,
    `host: expected a host name or address, got ${shown(config.host)}`,
  );
  expect(
    Number.isInteger(config.port) && config.port >= 0 && config.port <= 65535,
    `port: expected an integer from 0 to 65535, got ${shown(config.port)}`,
  );
  // Whether the scenario exists is known only once it is read, at start-up.
  expect(
    typeof config.scenario === 'string' && config.scenario.trim() !== '',
    `scenario: expected a bundled scenario's name or a scenario file, got ${shown(config.scenario)}`,
  );
  expect(
    typeof config.speed === 'number' &&
      config.speed >= MIN_SPEED &&
      config.speed <= MAX_SPEED,
    `speed: expected a number from ${MIN_SPEED} to ${MAX_SPEED}, got ${shown(config.speed)}`,
  );
  expect(
    ROUNDING_MODES.includes(config.rounding),
    `rounding: expected one of ${ROUNDING_MODES.join(', ')}, got ${shown(config.rounding)}`,
  );
  expect(
    IMAGE_URL_STYLES.includes(config.imageUrls),
    `imageUrls: expected one of ${IMAGE_URL_STYLES.join(', ')}, got ${shown(config.imageUrls)}`,
  );
  expect(
    typeof config.successAsString === 'boolean',
    `successAsString: expected true or false, got ${shown(config.successAsString)}`,
  );
  expect(
    typeof config.strictTokens === 'boolean',
    `strictTokens: expected true or false, got ${shown(config.strictTokens)}`,
  );
  expect(
    typeof config.fixturesDir === 'string' && config.fixturesDir.length > 0,
    `fixturesDir: expected a folder path, got ${shown(config.fixturesDir)}`,
  );
  expect(
    LOG_LEVELS.includes(config.logLevel),
    `logLevel: expected one of ${LOG_LEVELS.join(', ')}, got ${shown(config.logLevel)}`,
  );

  expect(
    typeof config.seed === 'string' && config.seed.length > 0,
    `seed: expected a non-empty string, got ${shown(config.seed)}`,
  );
  expect(
    Array.isArray(config.modelModules) &&
      config.modelModules.every(
        (file) => typeof file === 'string' && file.length > 0,
      ),
    `modelModules: expected a list of file paths, got ${shown(config.modelModules)}`,
  );
  expectInteger('maxMessageBytes', 1, MAX_MESSAGE_BYTES);
  expectInteger('heartbeatMs', MIN_HEARTBEAT_MS, MAX_HEARTBEAT_MS);
  expectInteger('maxConnections', 1, MAX_CONNECTIONS);
  expectInteger('maxConnectionsPerIp', 1, MAX_CONNECTIONS);

  expect(
    typeof config.journal === 'boolean' ||
      (typeof config.journal === 'string' && config.journal.trim() !== ''),
    `journal: expected a file path, true or false, got ${shown(config.journal)}`,
  );
  expect(
    typeof config.dataDir === 'string' && config.dataDir.trim() !== '',
    `dataDir: expected a folder path, got ${shown(config.dataDir)}`,
  );

  expect(
    config.adminToken === undefined ||
      (typeof config.adminToken === 'string' &&
        ADMIN_TOKEN_PATTERN.test(config.adminToken)),
    `adminToken: expected at least 12 characters of A-Z a-z 0-9 - . _ ~, got ${secretShown(config.adminToken)}`,
  );

  for (const key of ['tlsCert', 'tlsKey'] as const) {
    expect(
      config[key] === undefined ||
        (typeof config[key] === 'string' && config[key].trim() !== ''),
      `${key}: expected a PEM file path, got ${shown(config[key])}`,
    );
  }
  expect(
    (config.tlsCert === undefined) === (config.tlsKey === undefined),
    `tlsCert, tlsKey: expected both (a certificate and its key) or neither, got only the ${config.tlsCert === undefined ? 'key' : 'certificate'}`,
  );
  expect(
    typeof config.tlsSelfSigned === 'boolean',
    `tlsSelfSigned: expected true or false, got ${shown(config.tlsSelfSigned)}`,
  );
  expect(
    !(
      config.tlsSelfSigned === true &&
      (config.tlsCert !== undefined || config.tlsKey !== undefined)
    ),
    'tlsSelfSigned, tlsCert, tlsKey: expected either a generated certificate or a certificate and key of your own, got both',
  );

  if (problems.length > 0) {
    throw new ConfigError(
      `invalid options:\n  ${problems.join('\n  ')}`,
      problems,
    );
  }

  const dataDir = resolve(config.dataDir);

  return Object.freeze({
    ...config,
    dataDir,
    journal:
      config.journal === true
        ? resolve(dataDir, JOURNAL_FILE_NAME)
        : config.journal === false
          ? undefined
          : resolve(config.journal),
    adminToken:
      config.adminToken ??
      (typeof config.host === 'string' && !isLoopbackHost(config.host)
        ? randomBytes(18).toString('base64url')
        : undefined),
    tlsCert: config.tlsCert === undefined ? undefined : resolve(config.tlsCert),
    tlsKey: config.tlsKey === undefined ? undefined : resolve(config.tlsKey),
    fixturesDir: resolve(config.fixturesDir),
    modelModules: Object.freeze(
      config.modelModules.map((file) => resolve(file)),
    ),
  });
}
