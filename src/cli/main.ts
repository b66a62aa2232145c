import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { Command } from 'commander';
import type { EmulatorOptions } from '../config.js';
import { startEmulator, type RunningEmulator } from '../emulator.js';
import { EmulatorError } from '../errors.js';
import { builtinScenarios } from '../scenario/builtin-scenarios.js';
import { PURCHASE_PATH } from '../server/purchase-route.js';
import { buildServeOptions, toEmulatorOptions } from './serve-options.js';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Runs the command line; `argv` as in `process.argv`. */
export async function main(argv: readonly string[]): Promise<void> {
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
    .description('list the built-in scenarios')
    .action(() => {
      const width = Math.max(
        ...Object.keys(builtinScenarios).map((n) => n.length),
      );

      for (const scenario of Object.values(builtinScenarios)) {
        console.log(`${scenario.name.padEnd(width)}  ${scenario.description}`);
      }
    });

  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = 1;
    console.error(`cabinet-emu: ${describeStartupError(err)}`);
  }
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
      void emulator.close().then(() => process.exit(0));
    });
  }
}

function printWelcome(emulator: RunningEmulator): void {
  const { config } = emulator;
  const lines = [
    `cabinet-emulator listening on ${emulator.url} (scenario ${config.scenario}, seed ${config.seed}${config.speed === 1 ? '' : `, speed ×${config.speed}`})`,
    `purchase URL: ${emulator.purchaseUrl()}`,
  ];

  if (config.host === '0.0.0.0' || config.host === '::') {
    for (const address of lanAddresses()) {
      lines.push(
        `on your network: ws://${address}:${emulator.port}${PURCHASE_PATH}?token=demo-token&deviceNo=demo-cabinet&appId=demo-app`,
      );
    }
  }
  console.log(lines.join('\n'));
}

function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((info) => info && info.family === 'IPv4' && !info.internal)
    .map((info) => info!.address);
}

function describeStartupError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;

  if (code === 'EADDRINUSE') {
    return `the port is already in use (${(err as Error).message}); choose another with --port`;
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return `cannot listen on that host (${(err as Error).message}); check --host`;
  }
  if (err instanceof EmulatorError) return err.message;

  return (err as Error)?.stack ?? String(err);
}

function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);

  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string })
    .version;
}
