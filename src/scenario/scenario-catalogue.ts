import { readdirSync, realpathSync } from 'node:fs';
import {
  basename,
  extname,
  isAbsolute,
  join,
  relative,
  resolve,
  sep,
} from 'node:path';
import { fileURLToPath } from 'node:url';
import { looksLikePath } from '../catalogue/load-cabinets.js';
import { ScenarioFileError, UnknownScenarioError } from '../errors.js';
import { closestName } from './closest-name.js';
import type { Scenario } from './scenario.js';
import { readScenarioFile, type LoadedScenario } from './scenario-file.js';

/** The scenarios that ship with the emulator, each a file with its transcript. */
export const BUNDLED_SCENARIOS_DIR = fileURLToPath(
  new URL('../../scenarios', import.meta.url),
);

/** What every session plays unless told otherwise. */
export const DEFAULT_SCENARIO = 'happy-path';

/** The names of the bundled scenarios, sorted. */
export function bundledScenarioNames(): string[] {
  return readdirSync(BUNDLED_SCENARIOS_DIR)
    .filter((file) => extname(file) === '.yaml' && !file.startsWith('.'))
    .map((file) => basename(file, '.yaml'))
    .sort();
}

/** Every bundled scenario, read and checked, sorted by name. */
export function bundledScenarios(): Scenario[] {
  return bundledScenarioNames().map(
    (name) =>
      readScenarioFile(join(BUNDLED_SCENARIOS_DIR, `${name}.yaml`)).scenario,
  );
}

/**
 * The scenario `reference` names: a bundled scenario's name, or a scenario
 * file (a path with a slash or a `.yaml`, `.yml` or `.json` ending, relative
 * to `cwd`). Throws `UnknownScenarioError` for a name that is not bundled,
 * and `ScenarioFileError` for a file that cannot be read or is invalid.
 *
 * @example loadScenario('seed-fruit'); loadScenario('./my-scenarios/busy.yaml')
 */
export function loadScenario(
  reference: string,
  cwd = process.cwd(),
  options: ScenarioReferenceOptions = {},
): Scenario {
  return readScenarioReference(reference, cwd, options).scenario;
}

export interface ScenarioReferenceOptions {
  /**
   * When set, a file is read only if it lies inside one of these folders,
   * links followed: a request from the network must not read the machine's
   * files.
   */
  confineTo?: readonly string[];
}

/**
 * As `loadScenario`, with what it takes to report later problems at their
 * places in the file.
 */
export function readScenarioReference(
  reference: string,
  cwd = process.cwd(),
  options: ScenarioReferenceOptions = {},
): LoadedScenario {
  if (looksLikePath(reference)) {
    const file = resolve(cwd, reference);

    if (options.confineTo !== undefined) {
      refuseOutside(file, reference, options.confineTo);
    }
    return readScenarioFile(file);
  }

  const known = bundledScenarioNames();

  if (!known.includes(reference)) {
    throw new UnknownScenarioError(
      reference,
      known,
      closestName(reference, known),
    );
  }
  return readScenarioFile(join(BUNDLED_SCENARIOS_DIR, `${reference}.yaml`));
}

/** The error code of a scenario file refused for lying outside its folder. */
export const OUTSIDE_FOLDER = 'EMU_OUTSIDE_FOLDER';

function refuseOutside(
  file: string,
  reference: string,
  folders: readonly string[],
): void {
  const real = realOrAsIs(file);
  const roots = folders.map(realOrAsIs);
  const inside = (root: string) => {
    const place = relative(root, real);

    return place !== '' && !place.startsWith('..') && !isAbsolute(place);
  };

  const root = roots.find(inside);

  if (root === undefined) {
    throw refusal(
      reference,
      `only scenario files inside ${roots.join(' or ')} are read on request; name a bundled scenario or a file there`,
    );
  }
  // Messages about a file quote what it holds: hidden files (.env, the
  // emulator's own .cabinet-emu with its keys) and files that are not
  // scenario files are not read for a request at all.
  const place = relative(root, real);

  if (place.split(sep).some((segment) => segment.startsWith('.'))) {
    throw refusal(
      reference,
      'hidden files and folders (a name starting with a dot) are not read on request',
    );
  }
  if (!/\.(ya?ml|json)$/i.test(real)) {
    throw refusal(
      reference,
      'only .yaml, .yml and .json files are read on request',
    );
  }
}

function refusal(reference: string, message: string): ScenarioFileError {
  return new ScenarioFileError(
    [{ file: reference, line: 0, column: 0, path: '', message }],
    0,
    { cause: Object.assign(new Error('outside'), { code: OUTSIDE_FOLDER }) },
  );
}

// A file that does not exist yet is judged by its path; reading it then fails
// with "no such file".
function realOrAsIs(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
