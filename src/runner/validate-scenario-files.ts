import type { Cabinet } from '../catalogue/cabinet.js';
import {
  loadCabinetDirectory,
  type CabinetDirectory,
} from '../catalogue/load-cabinets.js';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import {
  quoteInput,
  EmulatorError,
  ScenarioError,
  ScenarioFileError,
  type ScenarioFileProblem,
} from '../errors.js';
import {
  loadModelRegistry,
  selectModels,
  type ModelRegistry,
} from '../physics/models.js';
import {
  fitScenario,
  readScenarioFile,
  scenarioFileError,
  type DocumentPath,
  type FieldProblem,
  type LoadedScenario,
} from '../scenario/scenario-file.js';
import type { Scenario } from '../scenario/scenario.js';
import { writtenDeviceNoProblem } from '../protocol/device-number.js';
import { transcriptClash } from './transcript.js';

export interface ValidationResult {
  file: string;
  /** undefined when the file is valid; else every problem, one per line. */
  problem?: string;
}

/**
 * Checks scenario files without playing them: each must parse, match the
 * schema, name a cabinet fixture and models that exist, and fit its
 * cabinet's aisles step by step.
 */
export async function validateScenarioFiles(
  files: readonly string[],
  options: { fixturesDir?: string; modelModules?: readonly string[] } = {},
): Promise<ValidationResult[]> {
  const directory = loadCabinetDirectory(
    options.fixturesDir ?? BUNDLED_FIXTURES_DIR,
  );
  const models = await loadModelRegistry(options.modelModules ?? []);

  return files.map((file) => {
    const clash = transcriptClash(file);

    if (clash) return { file, problem: clash };
    try {
      checkLoadedScenario(readScenarioFile(file), directory, models);
      return { file };
    } catch (err) {
      if (err instanceof EmulatorError) return { file, problem: err.message };
      throw err;
    }
  });
}

/**
 * Checks a scenario read from a file against the cabinets and models: its
 * cabinet must exist, its models too, and its steps must fit the cabinet's
 * aisles. Throws what is wrong, each step's problem at its place in the file.
 */
export function checkLoadedScenario(
  loaded: LoadedScenario,
  directory: CabinetDirectory,
  models: ModelRegistry,
): void {
  const { scenario } = loaded;
  const fields: FieldProblem[] = [];
  let located: readonly ScenarioFileProblem[] = [];
  // Every check runs, so that one run of validate lists all there is to fix.
  const check = <T>(path: DocumentPath, what: () => T): T | undefined => {
    try {
      return what();
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      fields.push({ path, message: err.problem });
      return undefined;
    }
  };
  const cabinet = check(['cabinet'], () => cabinetNamed(directory, scenario));

  for (const kind of ['door', 'loadCell'] as const) {
    const name = scenario.models?.[kind];
    const known = kind === 'door' ? models.doors : models.loadCells;

    if (name !== undefined && !known.has(name)) {
      fields.push({
        path: ['models', kind],
        message: `unknown ${kind === 'door' ? 'door' : 'load cell'} model ${quoteInput(name)}; known: ${[...known.keys()].join(', ')}`,
      });
    }
  }
  if (cabinet) {
    try {
      fitScenario(loaded, cabinet);
    } catch (err) {
      if (!(err instanceof ScenarioFileError)) throw err;
      located = err.problems;
    }
    const written = scenario.run?.deviceNo;
    const unreachable =
      written === undefined ? undefined : writtenDeviceNoProblem(written);

    if (unreachable) fields.push({ path: ['deviceNo'], message: unreachable });
    else check(['deviceNo'], () => runDeviceOf(directory, scenario, cabinet));
  }
  if (fields.length > 0 || located.length > 0) {
    throw scenarioFileError(loaded, fields, located);
  }
  // The cabinet's own models, which are its fixture's to get right.
  if (cabinet) selectModels(models, cabinet, scenario);
}

/** The device a scenario's shopper uses when neither file nor cabinet names one. */
export const DEFAULT_RUN_DEVICE = 'demo-cabinet';

/**
 * The device the runner's shopper connects as: the file's, else the
 * cabinet's first, else the demo device. Throws `ScenarioError` when the
 * file names a device another cabinet serves.
 */
export function runDeviceOf(
  directory: CabinetDirectory,
  scenario: Scenario,
  cabinet: Cabinet,
): string {
  const deviceNo =
    scenario.run?.deviceNo ?? cabinet.deviceNos[0] ?? DEFAULT_RUN_DEVICE;
  const served = directory.cabinetFor(deviceNo);

  if (served !== cabinet) {
    throw new ScenarioError(
      scenario.name,
      `device ${deviceNo} belongs to cabinet "${served.name}", not "${cabinet.name}"`,
    );
  }
  return deviceNo;
}

/** The cabinet fixture a scenario names; throws `ScenarioError`. */
export function cabinetNamed(
  directory: CabinetDirectory,
  scenario: Scenario,
): Cabinet {
  const name = scenario.run?.cabinet ?? directory.defaultCabinet.name;
  const cabinet = directory.cabinets.find(
    (candidate) => candidate.name === name,
  );

  if (!cabinet) {
    throw new ScenarioError(
      scenario.name,
      `no cabinet fixture is named "${name}"; the fixtures have: ${directory.cabinets.map((known) => known.name).join(', ')}`,
    );
  }
  return cabinet;
}
