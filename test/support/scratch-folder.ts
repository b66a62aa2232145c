import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered once per test file that imports this module: every folder made
// for the file's tests is removed after them, passed or failed.
afterAll(() => {
  for (const folder of made.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
});

/**
 * A new empty folder under the system's temporary folder, removed when the
 * test file's tests are done.
 *
 * @example const dir = scratchFolder('cabinet-emu-run-');
 */
export function scratchFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));

  made.push(folder);
  return folder;
}
