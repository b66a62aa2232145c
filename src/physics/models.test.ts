import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cabinet } from '../catalogue/cabinet.js';
import { loadCabinetDirectory } from '../catalogue/load-cabinets.js';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import { FixtureError, ScenarioError } from '../errors.js';
import { IDEAL_DOOR, JAMMED_DOOR, REALISTIC_DOOR } from './door.js';
import { BUILTIN_MODELS, loadModelRegistry, selectModels } from './models.js';
import { SeededRandom } from './random.js';

const bundled = loadCabinetDirectory(BUNDLED_FIXTURES_DIR).defaultCabinet;

function cabinetWith(
  models: Cabinet['models'],
  aisleCells: Record<number, string> = {},
): Cabinet {
  const aisles = new Map(
    [...bundled.aisles].map(([id, aisle]) => [
      id,
      { ...aisle, loadCell: aisleCells[id] },
    ]),
  );

  return { ...bundled, models, aisles };
}

describe('selectModels', () => {
  it('runs the bundled cabinet on the realistic models', () => {
    const selected = selectModels(BUILTIN_MODELS, bundled);

    expect(selected.door).toBe(REALISTIC_DOOR);
    expect(selected.loadCellFor(6140)).toBe(
      BUILTIN_MODELS.loadCells.get('realistic'),
    );
  });

  it("takes an aisle's own load cell over the cabinet's, and the scenario's over both", () => {
    const cabinet = cabinetWith(
      { door: 'ideal', loadCell: 'ideal' },
      { 6140: 'dead' },
    );
    const byCabinet = selectModels(BUILTIN_MODELS, cabinet);
    const byScenario = selectModels(BUILTIN_MODELS, cabinet, {
      name: 's',
      description: '',
      steps: [],
      models: { door: 'jammed', loadCell: 'spiky' },
    });

    expect(byCabinet.door).toBe(IDEAL_DOOR);
    expect(byCabinet.loadCellFor(6140)).toBe(
      BUILTIN_MODELS.loadCells.get('dead'),
    );
    expect(byCabinet.loadCellFor(6150)).toBe(
      BUILTIN_MODELS.loadCells.get('ideal'),
    );
    expect(byScenario.door).toBe(JAMMED_DOOR);
    expect(byScenario.loadCellFor(6140)).toBe(
      BUILTIN_MODELS.loadCells.get('spiky'),
    );
  });

  it('names the fixture and field of an unknown model in a cabinet', () => {
    const cabinet = cabinetWith(
      { door: 'realistic', loadCell: 'realistic' },
      { 6150: 'wobbly' },
    );

    expect(() => selectModels(BUILTIN_MODELS, cabinet)).toThrow(FixtureError);
    expect(() => selectModels(BUILTIN_MODELS, cabinet)).toThrow(
      'aisle 6150 loadCell: unknown load cell model "wobbly"; known load cell models: ideal, realistic, noisy, stuck, dead, spiky',
    );
  });

  it('names the scenario of an unknown model in a scenario', () => {
    const select = () =>
      selectModels(BUILTIN_MODELS, bundled, {
        name: 'odd',
        description: '',
        steps: [],
        models: { door: 'revolving' },
      });

    expect(select).toThrow(ScenarioError);
    expect(select).toThrow(
      'scenario "odd": unknown door model "revolving"; known door models: ideal, realistic, jammed',
    );
  });
});

describe('loadModelRegistry', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cabinet-models-'));
    writeFileSync(
      join(dir, 'shop-models.mjs'),
      `export default {
        loadCells: {
          offByTen: () => ({ read: (grams) => grams + 10, knock() {}, fail() {} }),
        },
        doors: { slowLock: { unlockMs: 3000 } },
      };`,
    );
    writeFileSync(
      join(dir, 'clash.mjs'),
      'export default { doors: { ideal: {} } };',
    );
    writeFileSync(join(dir, 'empty.mjs'), 'export const nothing = 1;');
    writeFileSync(
      join(dir, 'list.mjs'),
      'export default { loadCells: [() => ({})] };',
    );
    writeFileSync(
      join(dir, 'bad-door.mjs'),
      "export default { doors: { odd: { unlockMs: 'soon' } } };",
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("adds a module's models to the built-in ones", async () => {
    const registry = await loadModelRegistry([join(dir, 'shop-models.mjs')]);
    const cell = registry.loadCells.get('offByTen')!(new SeededRandom(1));

    expect(cell.read(500, 0)).toBe(510);
    expect(registry.doors.get('slowLock')).toEqual({
      ...REALISTIC_DOOR,
      unlockMs: 3000,
    });
    expect(registry.loadCells.has('realistic')).toBe(true);
  });

  it('refuses a model that would replace another', async () => {
    await expect(loadModelRegistry([join(dir, 'clash.mjs')])).rejects.toThrow(
      'door model "ideal" already exists',
    );
  });

  it('refuses models given as a list rather than by name', async () => {
    await expect(loadModelRegistry([join(dir, 'list.mjs')])).rejects.toThrow(
      'loadCells must be an object of models by name',
    );
  });

  it('refuses door settings of the wrong type', async () => {
    await expect(
      loadModelRegistry([join(dir, 'bad-door.mjs')]),
    ).rejects.toThrow(
      'doors.odd.unlockMs must be a finite number >= 0, got "soon"',
    );
  });

  it('refuses a module without a default export, and one that does not load', async () => {
    await expect(loadModelRegistry([join(dir, 'empty.mjs')])).rejects.toThrow(
      'must default-export { loadCells?: {...}, doors?: {...} }',
    );
    await expect(loadModelRegistry([join(dir, 'missing.mjs')])).rejects.toThrow(
      /models: cannot load .*missing\.mjs/,
    );
  });
});
