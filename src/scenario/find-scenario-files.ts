import { statSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { ConfigError } from '../errors.js';

/** The endings of files a folder's scenarios are read from. */
export const SCENARIO_FILE_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

const IN_FOLDER = '**/*.{yaml,yml,json}';

// Hidden files and installed packages are never scenarios, and a link back up
// the tree must not be walked twice.
const SEARCH = {
  absolute: true,
  dot: false,
  followSymbolicLinks: false,
  ignore: ['**/node_modules/**'],
} as const;

/**
 * The scenario files that `args` name, sorted and each once. An argument is
 * a file, a folder (every `.yaml`, `.yml` and `.json` file under it, hidden
 * ones skipped) or a glob. Paths come back relative to `cwd` when they are
 * under it. An argument that names nothing fails with a `ConfigError` that
 * lists every such argument.
 *
 * @example await findScenarioFiles(['scenarios']) // ['scenarios/seed-fruit.yaml']
 */
export async function findScenarioFiles(
  args: readonly string[],
  cwd: string = process.cwd(),
): Promise<string[]> {
  const found = new Set<string>();
  const unmatched: string[] = [];

  for (const arg of args) {
    const matches = await filesOf(arg, cwd);

    if (matches.length === 0) unmatched.push(arg);
    for (const file of matches) found.add(file);
  }

  if (unmatched.length > 0) {
    throw new ConfigError(
      `no scenario files found for ${unmatched.map((arg) => JSON.stringify(arg)).join(', ')}; give files, folders with .yaml, .yml or .json files, or globs`,
    );
  }

  return [...found]
    .map((file) => shown(file, cwd))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function filesOf(arg: string, cwd: string): Promise<string[]> {
  const path = resolve(cwd, arg);
  const stats = statOf(path);

  if (stats?.isFile()) return [path];
  if (stats?.isDirectory()) {
    return glob(IN_FOLDER, { cwd: path, ...SEARCH });
  }
  if (!isDynamicPattern(arg)) return [];

  // A glob may match any file; only scenario files are wanted (a README
  // sits in most scenario folders).
  const matches = await glob(arg, { cwd, ...SEARCH });

  return matches.filter((file) =>
    SCENARIO_FILE_EXTENSIONS.some((extension) => file.endsWith(extension)),
  );
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function shown(file: string, cwd: string): string {
  const inCwd = relative(cwd, file);

  return inCwd.startsWith('..') || isAbsolute(inCwd) ? file : inCwd;
}
