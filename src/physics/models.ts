import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Cabinet } from '../catalogue/cabinet.js';
import {
  ConfigError,
  FixtureError,
  quoteInput,
  ScenarioError,
} from '../errors.js';
import type { Scenario } from '../scenario/scenario.js';
import {
  IDEAL_DOOR,
  JAMMED_DOOR,
  REALISTIC_DOOR,
  type DoorSettings,
} from './door.js';
import {
  createIdealLoadCell,
  createRealisticLoadCell,
  NOISY_LOAD_CELL,
  type LoadCell,
  type LoadCellFault,
} from './load-cell.js';
import type { SeededRandom } from './random.js';

/** Makes one aisle's load cell from its own random stream. */
export type LoadCellModel = (random: SeededRandom) => LoadCell;

/** A door model is a set of door settings; see `DoorSettings`. */
export type DoorModel = DoorSettings;

/**
 * What a model module exports as its default: models by name, added to the
 * built-in ones. A door model may give only the settings it changes from
 * `realistic`.
 *
 * @example
 * // my-models.js
 * export default {
 *   loadCells: { heavyNoise: (random) => ({ read: (g) => g + random.gaussian(0, 5), knock() {}, fail() {} }) },
 *   doors: { slowLock: { unlockMs: 3000 } },
 * };
 */
export interface ModelModule {
  loadCells?: Record<string, LoadCellModel>;
  doors?: Record<string, Partial<DoorSettings>>;
}

/** Every model the emulator knows by name: the built-in ones and the user's. */
export interface ModelRegistry {
  loadCells: ReadonlyMap<string, LoadCellModel>;
  doors: ReadonlyMap<string, DoorModel>;
}

const withFaultFromStart =
  (fault: LoadCellFault): LoadCellModel =>
  (random) => {
    const cell = createRealisticLoadCell(random);
    let failed = false;

    return {
      read(trueGrams, atMs) {
        if (!failed) {
          failed = true;
          // A stuck cell shows one honest reading before it freezes.
          if (fault === 'stuck') {
            const first = cell.read(trueGrams, atMs);

            cell.fail(fault, atMs);
            return first;
          }
          cell.fail(fault, atMs);
        }
        return cell.read(trueGrams, atMs);
      },
      knock: (atMs, grams) => cell.knock(atMs, grams),
      fail: (next, atMs) => cell.fail(next, atMs),
    };
  };

export const BUILTIN_MODELS: ModelRegistry = {
  loadCells: new Map<string, LoadCellModel>([
    ['ideal', createIdealLoadCell],
    ['realistic', (random) => createRealisticLoadCell(random)],
    ['noisy', (random) => createRealisticLoadCell(random, NOISY_LOAD_CELL)],
    ['stuck', withFaultFromStart('stuck')],
    ['dead', withFaultFromStart('dead')],
    ['spiky', withFaultFromStart('spikes')],
  ]),
  doors: new Map<string, DoorModel>([
    ['ideal', IDEAL_DOOR],
    ['realistic', REALISTIC_DOOR],
    ['jammed', JAMMED_DOOR],
  ]),
};

export const DEFAULT_MODEL = 'realistic';

// A user's model as the emulator calls it: what it builds must be a load
// cell, or the purchase fails at once, as on any error in building it,
// rather than later at its first reading.
function checkedLoadCells(
  model: LoadCellModel,
  name: string,
  file: string,
): LoadCellModel {
  return (random) => {
    const cell = model(random) as Partial<LoadCell> | null | undefined;

    if (
      typeof cell !== 'object' ||
      cell === null ||
      typeof cell.read !== 'function' ||
      typeof cell.knock !== 'function' ||
      typeof cell.fail !== 'function'
    ) {
      throw new TypeError(
        `load cell model "${name}" of ${file} built ${cell === null ? 'null' : typeof cell}${typeof cell === 'object' && cell !== null ? ' without read, knock and fail functions' : ''}, not a load cell`,
      );
    }
    return cell as LoadCell;
  };
}

/**
 * The built-in models plus those of each module file, which must default-
 * export a `ModelModule`. A name used twice is an error.
 */
export async function loadModelRegistry(
  moduleFiles: readonly string[],
): Promise<ModelRegistry> {
  const loadCells = new Map(BUILTIN_MODELS.loadCells);
  const doors = new Map(BUILTIN_MODELS.doors);

  for (const file of moduleFiles) {
    let exported: unknown;

    try {
      exported = (await import(pathToFileURL(resolve(file)).href)).default;
    } catch (err) {
      throw new ConfigError(
        `models: cannot load ${file}: ${(err as Error).message}`,
      );
    }

    const module = exported as ModelModule | undefined;

    if (typeof module !== 'object' || module === null) {
      throw new ConfigError(
        `models: ${file} must default-export { loadCells?: {...}, doors?: {...} }`,
      );
    }

    for (const key of ['loadCells', 'doors'] as const) {
      const models = module[key];

      if (
        models !== undefined &&
        (typeof models !== 'object' || models === null || Array.isArray(models))
      ) {
        throw new ConfigError(
          `models: ${file}: ${key} must be an object of models by name`,
        );
      }
    }

    for (const [name, model] of Object.entries(module.loadCells ?? {})) {
      if (typeof model !== 'function') {
        throw new ConfigError(
          `models: ${file}: loadCells.${name} must be a function (random) => LoadCell`,
        );
      }
      if (loadCells.has(name))
        throw new ConfigError(
          `models: ${file}: load cell model "${name}" already exists`,
        );
      loadCells.set(name, checkedLoadCells(model as LoadCellModel, name, file));
    }
    for (const [name, settings] of Object.entries(module.doors ?? {})) {
      if (doors.has(name))
        throw new ConfigError(
          `models: ${file}: door model "${name}" already exists`,
        );
      doors.set(
        name,
        Object.freeze({
          ...REALISTIC_DOOR,
          ...checkDoorSettings(file, name, settings),
        }),
      );
    }
  }

  return { loadCells, doors };
}

function checkDoorSettings(
  file: string,
  name: string,
  settings: unknown,
): Partial<DoorSettings> {
  if (typeof settings !== 'object' || settings === null) {
    throw new ConfigError(
      `models: ${file}: doors.${name} must be an object of door settings`,
    );
  }

  for (const [key, value] of Object.entries(settings)) {
    const expected = typeof REALISTIC_DOOR[key as keyof DoorSettings];

    if (!Object.hasOwn(REALISTIC_DOOR, key)) {
      throw new ConfigError(
        `models: ${file}: doors.${name}.${key} is not a door setting; expected one of ${Object.keys(REALISTIC_DOOR).join(', ')}`,
      );
    }
    if (
      typeof value !== expected ||
      (expected === 'number' &&
        !(Number.isFinite(value) && (value as number) >= 0))
    ) {
      throw new ConfigError(
        `models: ${file}: doors.${name}.${key} must be a ${expected === 'number' ? 'finite number >= 0' : expected}, got ${JSON.stringify(value)}`,
      );
    }
  }

  return settings as Partial<DoorSettings>;
}

/** The models one session runs on. */
export interface SelectedModels {
  door: DoorModel;
  loadCellFor(aisleId: number): LoadCellModel;
}

/**
 * Picks the models for a session on `cabinet`: the scenario's, else the
 * aisle's (load cells), else the cabinet's. Throws `FixtureError` for an
 * unknown name in the cabinet, `ScenarioError` for one in the scenario.
 */
export function selectModels(
  registry: ModelRegistry,
  cabinet: Cabinet,
  scenario?: Scenario,
): SelectedModels {
  const known = (
    kind: 'door' | 'load cell',
    names: ReadonlyMap<string, unknown>,
  ) => `known ${kind} models: ${[...names.keys()].join(', ')}`;
  const fromCabinet = <T>(
    names: ReadonlyMap<string, T>,
    name: string,
    where: string,
    kind: 'door' | 'load cell',
  ): T => {
    const model = names.get(name);

    if (model === undefined) {
      throw new FixtureError(
        cabinet.file,
        `${where}: unknown ${kind} model "${name}"; ${known(kind, names)}`,
      );
    }
    return model;
  };
  const fromScenario = <T>(
    names: ReadonlyMap<string, T>,
    name: string,
    kind: 'door' | 'load cell',
  ): T => {
    const model = names.get(name);

    if (model === undefined) {
      throw new ScenarioError(
        scenario!.name,
        `unknown ${kind} model ${quoteInput(name)}; ${known(kind, names)}`,
      );
    }
    return model;
  };

  const door =
    scenario?.models?.door !== undefined
      ? fromScenario(registry.doors, scenario.models.door, 'door')
      : fromCabinet(
          registry.doors,
          cabinet.models.door,
          '/models/door',
          'door',
        );
  const scenarioCell =
    scenario?.models?.loadCell !== undefined
      ? fromScenario(registry.loadCells, scenario.models.loadCell, 'load cell')
      : undefined;
  const cabinetCell = fromCabinet(
    registry.loadCells,
    cabinet.models.loadCell,
    '/models/loadCell',
    'load cell',
  );
  const aisleCells = new Map<number, LoadCellModel>();

  for (const aisle of cabinet.aisles.values()) {
    if (aisle.loadCell !== undefined) {
      aisleCells.set(
        aisle.aisleId,
        fromCabinet(
          registry.loadCells,
          aisle.loadCell,
          `aisle ${aisle.aisleId} loadCell`,
          'load cell',
        ),
      );
    }
  }

  return {
    door,
    loadCellFor: (aisleId) =>
      scenarioCell ?? aisleCells.get(aisleId) ?? cabinetCell,
  };
}
