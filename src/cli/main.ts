import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { join } from 'node:path';
import {
  DEFAULT_DATA_DIR,
  JOURNAL_FILE_NAME,
  type EmulatorOptions,
} from '../config.js';
import type { RoundingMode } from '../pricing/rounding.js';
import { startEmulator, type RunningEmulator } from '../emulator.js';
import { ConfigError, EmulatorError } from '../errors.js';
import { runScenarioFiles } from '../runner/run-scenario-files.js';
import { validateScenarioFiles } from '../runner/validate-scenario-files.js';
import { findScenarioFiles } from '../scenario/find-scenario-files.js';
import { bundledScenarios } from '../scenario/scenario-catalogue.js';
import { ADMIN_TOKEN_PARAMETER } from '../server/admin-access.js';
import { lanAddresses } from '../server/lan-addresses.js';
import { PURCHASE_PATH } from '../server/purchase-route.js';
import { listOrders } from './orders-command.js';
import { buildRunOptions, buildValidateOptions } from './run-options.js';
import {
  buildServeOptions,
  serveOptionSpecs,
  toEmulatorOptions,
} from './serve-options.js';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

const SHUTDOWN_DEADLINE_MS = 1500;

/** What `run` and `validate` look at when given no paths. */
const DEFAULT_SCENARIO_PATHS = ['scenarios'];

interface ValidateCommandOptions {
  fixtures?: string;
  models?: string[];
}

interface RunCommandOptions extends ValidateCommandOptions {
  record?: boolean;
  reporter: 'text' | 'junit';
  output?: string;
  concurrency: number;
  rounding: RoundingMode;
}

/** Runs the command line; `argv` as in `process.argv`. */
export async function main(argv: readonly string[]): Promise<void> {
  keepGoingWhenTheReaderLeaves(process.stdout);
  // `PORT= npm start`, or a compose file's `PORT: ""`, means no port given.
  for (const spec of serveOptionSpecs) {
    if (spec.env !== undefined && process.env[spec.env] === '') {
      delete process.env[spec.env];
    }
  }

  const program = new Command('cabinet-emu')
    .description(
      'Emulates a smart weight-sensing retail cabinet (智能售货柜) as its WeChat mini program sees it.',
    )
    .version(packageVersion(), '-v, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)');

  const serve = program
    .command('serve')
    .description(
      `serve the purchase WebSocket (${PURCHASE_PATH}) and product pictures`,
    )
    .action(async (parsed: Record<string, unknown>) => {
      await serveUntilSignalled(toEmulatorOptions(parsed));
    });

  for (const option of buildServeOptions()) serve.addOption(option);

  program
    .command('scenarios')
    .description('list the bundled scenarios, for serve --scenario NAME')
    .action(() => {
      const scenarios = bundledScenarios();
      const width = Math.max(...scenarios.map(({ name }) => name.length));

      for (const scenario of scenarios) {
        console.log(`${scenario.name.padEnd(width)}  ${scenario.description}`);
      }
    });

  program
    .command('orders')
    .description(
      'list the orders in the journal, oldest first: time, tradeNo, device, amount, payment',
    )
    .option(
      '--data-dir <dir>',
      "the folder serve's --data-dir named; its journal is read",
      DEFAULT_DATA_DIR,
    )
    .option(
      '--journal <file>',
      `the journal to read (default: ${JOURNAL_FILE_NAME} in --data-dir)`,
    )
    .option('--json', 'print the journal lines as stored (JSON Lines)')
    .action((parsed: { dataDir: string; journal?: string; json?: boolean }) => {
      const { text, warnings } = listOrders({
        journal: parsed.journal ?? join(parsed.dataDir, JOURNAL_FILE_NAME),
        json: parsed.json,
      });

      for (const warning of warnings) console.error(`cabinet-emu: ${warning}`);
      process.stdout.write(text);
    });

  const run = program
    .command('run')
    .description(
      'play scenario files in virtual time against the real server, check their expectations and golden transcripts; exit code 0 only when all pass',
    )
    .argument(
      '[paths...]',
      'scenario files, folders of them or globs',
      DEFAULT_SCENARIO_PATHS,
    )
    .action(async (paths: string[], parsed: RunCommandOptions) => {
      const results = await runScenarioFiles(await findScenarioFiles(paths), {
        record: parsed.record ?? false,
        reporter: parsed.reporter,
        output: parsed.output,
        concurrency: parsed.concurrency,
        fixturesDir: parsed.fixtures,
        modelModules: parsed.models,
        rounding: parsed.rounding,
        out: process.stdout,
      });

      if (!results.every((result) => result.passed)) process.exitCode = 1;
    });

  for (const option of buildRunOptions()) run.addOption(option);

  const validate = program
    .command('validate')
    .description(
      'check scenario files without playing them: syntax, schema, cabinet, models and every step against the aisles',
    )
    .argument(
      '[paths...]',
      'scenario files, folders of them or globs',
      DEFAULT_SCENARIO_PATHS,
    )
    .action(async (paths: string[], parsed: ValidateCommandOptions) => {
      const results = await validateScenarioFiles(
        await findScenarioFiles(paths),
        { fixturesDir: parsed.fixtures, modelModules: parsed.models },
      );
      const invalid = results.filter((result) => result.problem);

      for (const { problem } of invalid) console.error(problem);
      const files = (count: number) =>
        count === 1 ? '1 scenario file' : `${count} scenario files`;

      console.log(
        invalid.length === 0
          ? `${files(results.length)} ${results.length === 1 ? 'is' : 'are'} valid`
          : `${invalid.length} of ${files(results.length)} ${invalid.length === 1 ? 'is' : 'are'} invalid`,
      );
      if (invalid.length > 0) process.exitCode = 1;
    });

  for (const option of buildValidateOptions()) validate.addOption(option);

  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = 1;
    console.error(`cabinet-emu: ${describeStartupError(err)}`);
  }
}

/**
 * `cabinet-emu run | head` closes the pipe after a few lines. Writing on then
 * fails with EPIPE, which would crash the command half-way; instead what is
 * left to print is dropped and the command finishes, so its exit code still
 * says whether every scenario passed (as `set -o pipefail` in CI reads it).
 */
function keepGoingWhenTheReaderLeaves(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

async function serveUntilSignalled(options: EmulatorOptions): Promise<void> {
  const emulator = await startEmulator(options);

  printWelcome(emulator);

  let stopping = false;

  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (stopping) {
        console.error('cabinet-emu: stopped at once');
        process.exit(1);
      }
      stopping = true;
      console.error(
        'cabinet-emu: shutting down (press Ctrl+C again to stop at once)',
      );
      // Shutdown takes at most the 1 s a client gets to answer its close;
      // anything slower is a fault, and a supervisor waits for no one.
      setTimeout(() => {
        console.error(
          `cabinet-emu: shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms; stopped`,
        );
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS);
      emulator.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`cabinet-emu: shutdown failed: ${String(err)}`);
          process.exit(1);
        },
      );
    });
  }
}

function printWelcome(emulator: RunningEmulator): void {
  const { config } = emulator;
  const lines = [
    `cabinet-emulator listening on ${emulator.url} (scenario ${config.scenario}, seed ${config.seed}${config.speed === 1 ? '' : `, speed ×${config.speed}`})`,
    config.strictTokens
      ? `purchase URL: ${emulator.purchaseUrl()} (with --strict-tokens, a token from POST /emulator/tokens in place of demo-token)`
      : `purchase URL: ${emulator.purchaseUrl()}`,
    // With an admin token, the one address that lets a browser in.
    config.adminToken === undefined
      ? `dashboard: ${emulator.url}/`
      : `dashboard: ${emulator.url}/?${ADMIN_TOKEN_PARAMETER}=${config.adminToken}`,
  ];

  if (emulator.tlsCaFile !== undefined) {
    lines.push(
      `TLS: development certificate; trust its authority on your phone: ${emulator.tlsCaFile}`,
    );
  }
  if (config.journal) lines.push(`order journal: ${config.journal}`);
  if (config.adminToken !== undefined) {
    lines.push(`admin token: ${config.adminToken}`);
  }

  if (config.host === '0.0.0.0' || config.host === '::') {
    const scheme = emulator.url.startsWith('https:') ? 'wss' : 'ws';

    for (const address of lanAddresses()) {
      lines.push(
        `on your network: ${scheme}://${address}:${emulator.port}${PURCHASE_PATH}?token=demo-token&deviceNo=demo-cabinet&appId=demo-app`,
      );
    }
  }
  console.log(lines.join('\n'));
}

function describeStartupError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;

  if (code === 'EADDRINUSE') {
    return `the port is already in use (${(err as Error).message}); choose another with --port`;
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return `cannot listen on that host (${(err as Error).message}); check --host`;
  }
  if (err instanceof ConfigError && err.problems.length > 0) {
    return `invalid options:\n  ${err.problems.map(withFlagNames).join('\n  ')}`;
  }
  if (err instanceof EmulatorError) return err.message;

  return (err as Error)?.stack ?? String(err);
}

// `tlsCert, tlsKey: expected ...` as `--tls-cert, --tls-key: expected ...`:
// the names a user of the command line typed.
function withFlagNames(problem: string): string {
  const split = problem.indexOf(': ');

  if (split === -1) return problem;

  const names = problem
    .slice(0, split)
    .split(', ')
    .map((key) => {
      const spec = serveOptionSpecs.find((each) => each.key === key);

      return spec ? new Option(spec.flags).long! : key;
    });

  return `${names.join(', ')}${problem.slice(split)}`;
}

function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);

  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string })
    .version;
}
