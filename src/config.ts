import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.js';
import { ROUNDING_MODES, type RoundingMode } from './pricing/rounding.js';
import { DEFAULT_SCENARIO } from './scenario/scenario-catalogue.js';

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
   * The purchase endpoint accepts only tokens minted by
   * `POST /emulator/tokens` and not yet expired. Default false: any token.
   */
  strictTokens?: boolean;
}

export type EmulatorConfig = Readonly<Required<EmulatorOptions>>;

export const BUNDLED_FIXTURES_DIR = fileURLToPath(
  new URL('../fixtures', import.meta.url),
);

/** Faster than this, timers of a few milliseconds stop meaning anything. */
export const MAX_SPEED = 1000;

/** Slower than this, a scenario's minutes outgrow what Node's timers can wait. */
export const MIN_SPEED = 0.01;

// What a wrong value was, readably: JSON.stringify writes NaN as null.
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
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
    strictTokens: options.strictTokens ?? false,
  };
  const problems: string[] = [];
  const expect = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const known = new Set([...Object.keys(config), ...otherKeys]);

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

  if (problems.length > 0) {
    throw new ConfigError(`invalid options:\n  ${problems.join('\n  ')}`);
  }

  return Object.freeze({
    ...config,
    fixturesDir: resolve(config.fixturesDir),
    modelModules: Object.freeze(
      config.modelModules.map((file) => resolve(file)),
    ),
  });
}
