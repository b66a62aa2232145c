import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

// Commands run the command line as a user does, from the compiled output
// that `npm test` builds first.
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = 'bin/cabinet-emu.js';

const running = new Set<ChildProcess>();

// Each command runs in a process group of its own, so that `npm start` and
// the shell and emulator under it are all ended together.
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group has already exited.
  }
}

afterEach(() => {
  for (const child of running) killGroup(child, 'SIGKILL');
  running.clear();
});

export interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function launch(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Launched {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';

  running.add(child);
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));

  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => resolve(code)),
  );

  return { child, output: () => output, exited };
}
