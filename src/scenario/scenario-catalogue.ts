import { readdirSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { looksLikePath } from '../catalogue/load-cabinets.js';
import { UnknownScenarioError } from '../errors.js';
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
export function loadScenario(reference: string, cwd = process.cwd()): Scenario {
  return readScenarioReference(reference, cwd).scenario;
}

/**
 * As `loadScenario`, with what it takes to report later problems at their
 * places in the file.
 */
export function readScenarioReference(
  reference: string,
  cwd = process.cwd(),
): LoadedScenario {
  if (looksLikePath(reference)) {
    return readScenarioFile(resolve(cwd, reference));
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
