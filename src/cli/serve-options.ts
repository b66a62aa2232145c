import { InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_DATA_DIR,
  IMAGE_URL_STYLES,
  JOURNAL_FILE_NAME,
  LOG_LEVELS,
  MAX_CONNECTIONS,
  MAX_HEARTBEAT_MS,
  MAX_MESSAGE_BYTES,
  MAX_SPEED,
  MIN_HEARTBEAT_MS,
  MIN_SPEED,
  type EmulatorOptions,
} from '../config.js';
import { ROUNDING_MODES } from '../pricing/rounding.js';
import { DEFAULT_SCENARIO } from '../scenario/scenario-catalogue.js';

export const DEFAULT_PORT = 8080;

interface ServeOptionSpec {
  /** The `EmulatorOptions` field the option sets. */
  key: keyof EmulatorOptions;
  flags: string;
  description: string;
  defaultValue?: string | number | boolean;
  /** How help shows a default that is not a plain value. */
  defaultDescription?: string;
  choices?: readonly string[];
  env?: string;
  /** Turns the text given into the value; `previous` for a repeated option. */
  parse?(value: string, previous: unknown): unknown;
}

/** Every option of `cabinet-emu serve`, declared once; help is built from it. */
export const serveOptionSpecs: readonly ServeOptionSpec[] = [
  {
    key: 'host',
    flags: '--host <address>',
    description:
      'address to listen on; 0.0.0.0 lets phones and other machines on your network connect',
    defaultValue: '127.0.0.1',
    parse: (value) => notEmpty(value, 'a host name or address'),
  },
  {
    key: 'port',
    flags: '--port <number>',
    description: 'port to listen on; 0 picks a free one',
    defaultValue: DEFAULT_PORT,
    env: 'PORT',
    parse: (value) => parseInteger(value, 0, 65535),
  },
  {
    key: 'scenario',
    flags: '--scenario <name-or-file>',
    description:
      "what the scripted shopper does in every session: a bundled scenario's name (list them with `cabinet-emu scenarios`) or a scenario file; devices named in the fixtures' `scenarios` play their own",
    defaultValue: DEFAULT_SCENARIO,
    parse: (value) => notEmpty(value, "a scenario's name or file"),
  },
  {
    key: 'speed',
    flags: '--speed <factor>',
    description: `play scenarios this many times faster than real time (${MIN_SPEED} to ${MAX_SPEED})`,
    defaultValue: 1,
    parse: (value) => parseSpeed(value),
  },
  {
    key: 'rounding',
    flags: '--rounding <mode>',
    description: 'how a weighed line is rounded to fen',
    defaultValue: 'half-up',
    choices: ROUNDING_MODES,
  },
  {
    key: 'imageUrls',
    flags: '--image-urls <style>',
    description:
      'thumbImage as an absolute address of this emulator, or as the path /upload/image/NAME alone',
    defaultValue: 'absolute',
    choices: IMAGE_URL_STYLES,
  },
  {
    key: 'successAsString',
    flags: '--success-as-string',
    description:
      'write success as "true"/"false" strings, for clients written against the vendor document',
  },
  {
    key: 'strictTokens',
    flags: '--strict-tokens',
    description:
      'accept on the purchase socket only tokens minted with POST /emulator/tokens and not expired',
  },
  {
    key: 'fixturesDir',
    flags: '--fixtures <dir>',
    description:
      'folder with cabinets/*.json and images/ to use instead of the bundled ones',
    parse: (value) => notEmpty(value, 'a folder path'),
  },
  {
    key: 'seed',
    flags: '--seed <text>',
    description:
      'seed of everything random (scale noise, piece weights, lock timing, tradeNo); the same seed replays the same purchases',
    parse: (value) => notEmpty(value, 'some text'),
  },
  {
    key: 'modelModules',
    flags: '--models <file>',
    description:
      'a module file that adds door and load-cell models, for cabinets and scenarios to name; repeat for more',
    parse: collectModelModule,
  },
  {
    key: 'journal',
    flags: '--journal <file>',
    description:
      'order journal (JSON Lines): every order and payment is appended, and read back at start',
    defaultValue: true,
    defaultDescription: `${DEFAULT_DATA_DIR}/${JOURNAL_FILE_NAME}, or in --data-dir`,
    parse: (value) => notEmpty(value, 'a file path'),
  },
  {
    key: 'journal',
    flags: '--no-journal',
    description: 'keep orders in memory only; nothing is written',
  },
  {
    key: 'dataDir',
    flags: '--data-dir <dir>',
    description:
      "folder of the emulator's own files: the default journal and the generated certificate",
    defaultValue: DEFAULT_DATA_DIR,
    parse: (value) => notEmpty(value, 'a folder path'),
  },
  {
    key: 'adminToken',
    flags: '--admin-token <token>',
    description:
      'token the control API (/emulator/...) and dashboard (/) require; required when --host is not loopback, and made up at each start when not given (at least 12 of A-Z a-z 0-9 - . _ ~)',
    env: 'ADMIN_TOKEN',
    parse: (value) => notEmpty(value, 'a token'),
  },
  {
    key: 'tlsCert',
    flags: '--tls-cert <file>',
    description:
      'PEM certificate (chain) to serve https:// and wss:// with (TLS 1.2 or later); give --tls-key with it',
    parse: (value) => notEmpty(value, 'a file path'),
  },
  {
    key: 'tlsKey',
    flags: '--tls-key <file>',
    description: 'PEM private key of --tls-cert',
    parse: (value) => notEmpty(value, 'a file path'),
  },
  {
    key: 'tlsSelfSigned',
    flags: '--tls-self-signed',
    description:
      "serve https:// and wss:// with a development certificate for localhost and this machine's addresses, kept in --data-dir with the authority (ca.pem) to trust on a phone",
  },
  {
    key: 'maxMessageBytes',
    flags: '--max-message-bytes <bytes>',
    description:
      'largest message a client may send; a bigger one closes its socket with 1009',
    defaultValue: 64 * 1024,
    parse: (value) => parseInteger(value, 1, MAX_MESSAGE_BYTES),
  },
  {
    key: 'heartbeatMs',
    flags: '--heartbeat <ms>',
    description:
      'ping every shopper this often (wall-clock milliseconds); one that misses two pongs in a row is cut',
    defaultValue: 25_000,
    parse: (value) => parseInteger(value, MIN_HEARTBEAT_MS, MAX_HEARTBEAT_MS),
  },
  {
    key: 'maxConnections',
    flags: '--max-connections <number>',
    description:
      'WebSocket connections open at once; more are refused with HTTP 503',
    defaultValue: 10_000,
    parse: (value) => parseInteger(value, 1, MAX_CONNECTIONS),
  },
  {
    key: 'maxConnectionsPerIp',
    flags: '--max-connections-per-ip <number>',
    description:
      'purchase sockets open at once from one IP address; more are refused with HTTP 503',
    defaultValue: 100,
    parse: (value) => parseInteger(value, 1, MAX_CONNECTIONS),
  },
  {
    key: 'logLevel',
    flags: '--log-level <level>',
    description: 'log detail; debug shows every frame',
    defaultValue: 'info',
    choices: LOG_LEVELS,
  },
];

export function buildServeOptions(): Option[] {
  return serveOptionSpecs.map((spec) => {
    const option = new Option(spec.flags, spec.description);

    if (spec.defaultValue !== undefined)
      option.default(spec.defaultValue, spec.defaultDescription);
    if (spec.choices) option.choices(spec.choices);
    if (spec.env) option.env(spec.env);
    if (spec.parse) option.argParser<unknown>(spec.parse);

    return option;
  });
}

/**
 * Turns what commander parsed into `EmulatorOptions`, field by field from the
 * table, since a flag's name need not be its field's (`--fixtures` sets
 * `fixturesDir`).
 */
export function toEmulatorOptions(
  parsed: Record<string, unknown>,
): EmulatorOptions {
  const options: Record<string, unknown> = {};

  for (const spec of serveOptionSpecs) {
    const value = parsed[new Option(spec.flags).attributeName()];

    if (value !== undefined) options[spec.key] = value;
  }

  return options as EmulatorOptions;
}

/**
 * One `--models FILE` more. The option is given once per file rather than
 * taking a list, which would swallow the scenario paths of `run --models
 * m.mjs scenarios/` too.
 */
export function collectModelModule(
  value: string,
  previous: string[] | undefined,
): string[] {
  return [...(previous ?? []), notEmpty(value, 'a module file')];
}

export function notEmpty(value: string, expected: string): string {
  if (value.trim() === '')
    throw new InvalidArgumentError(`expected ${expected}.`);

  return value;
}

export function parseInteger(value: string, min: number, max: number): number {
  const number = Number(value);

  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new InvalidArgumentError(
      `expected an integer from ${min} to ${max}.`,
    );
  }

  return number;
}

function parseSpeed(value: string): number {
  const number = Number(value);

  if (
    // Decimal notation, `.5` included; not hex (0x14) or exponents, which
    // Number() would take but no one means by a speed.
    !/^(\d+(\.\d*)?|\.\d+)$/.test(value) ||
    !(number >= MIN_SPEED && number <= MAX_SPEED)
  ) {
    throw new InvalidArgumentError(
      `expected a number from ${MIN_SPEED} to ${MAX_SPEED}.`,
    );
  }

  return number;
}
