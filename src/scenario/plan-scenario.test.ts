import { describe, expect, it } from 'vitest';
import { loadCabinetDirectory } from '../catalogue/load-cabinets.js';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import { ScenarioError } from '../errors.js';
import { builtinScenarios } from './builtin-scenarios.js';
import { planScenario } from './plan-scenario.js';
import type { ScenarioStep } from './scenario.js';

const cabinet = loadCabinetDirectory(BUNDLED_FIXTURES_DIR).defaultCabinet;

const plan = (...steps: ScenarioStep[]) =>
  planScenario({ name: 'test', description: '', steps }, cabinet);

const open: ScenarioStep = { action: 'unlock' };
const close: ScenarioStep = { action: 'close-door' };

describe('planScenario', () => {
  it.each(Object.values(builtinScenarios))(
    'accepts the built-in scenario $name on the default cabinet',
    (scenario) => {
      expect(() => planScenario(scenario, cabinet)).not.toThrow();
    },
  );

  it('looks up each aisle and turns count or grams into a quantity', () => {
    const steps = plan(
      open,
      { action: 'take', aisleId: 5595, grams: 394 },
      { action: 'take', aisleId: 6140, count: 2 },
      close,
    );

    expect(steps[1]).toMatchObject({ action: 'take', quantity: 394 });
    expect(steps[2]).toMatchObject({ action: 'take', quantity: 2 });
    expect(steps[2]).toHaveProperty('aisle.product.id', 3462);
  });

  it('refuses an aisle the cabinet does not have', () => {
    expect(() => plan(open, { action: 'take', aisleId: 1, count: 1 }, close)).toThrow(
      'scenario "test": step 2: cabinet "default" has no aisle 1',
    );
  });

  it('refuses grams on a counted aisle and a count on a weighed one', () => {
    expect(() => plan(open, { action: 'take', aisleId: 6140, grams: 100 }, close)).toThrow(
      'aisle 6140 is counted: give count, not grams',
    );
    expect(() => plan(open, { action: 'take', aisleId: 5595, count: 1 }, close)).toThrow(
      'aisle 5595 is weighed: give grams, not count',
    );
  });

  it('refuses a quantity that is not a whole number of at least 1', () => {
    expect(() => plan(open, { action: 'take', aisleId: 6140, count: 0 }, close)).toThrow(
      'needs count as a whole number >= 1, got 0',
    );
    expect(() => plan(open, { action: 'take', aisleId: 5595, grams: 1.5 }, close)).toThrow(
      'needs grams as a whole number >= 1, got 1.5',
    );
  });

  it('refuses to take more than the aisle holds', () => {
    const stock = cabinet.aisles.get(6140)!.stock;

    expect(() =>
      plan(open, { action: 'take', aisleId: 6140, count: stock + 1 }, close),
    ).toThrow(`aisle 6140 holds ${stock}, cannot take ${stock + 1} in all`);
  });

  it('refuses to put back more than was taken', () => {
    expect(() =>
      plan(
        open,
        { action: 'take', aisleId: 6140, count: 1 },
        { action: 'put-back', aisleId: 6140, count: 2 },
        close,
      ),
    ).toThrow('puts back 2 but only 1 was taken');
  });

  it('refuses to touch goods behind a locked door', () => {
    expect(() => plan({ action: 'take', aisleId: 6140, count: 1 }, open, close)).toThrow(
      'step 1: "take" needs an open door; unlock it first',
    );
  });

  it('refuses a scenario that never ends the session', () => {
    expect(() => plan(open, { action: 'wait', ms: 10 })).toThrow(
      'the steps never end the session',
    );
  });

  it('refuses steps after the session has ended', () => {
    expect(() => plan({ action: 'jam-lock' }, open)).toThrow(
      'step 2: "unlock" comes after the session has ended',
    );
  });

  it('refuses a negative wait', () => {
    expect(() => plan({ action: 'wait', ms: -1 }, open, close)).toThrow(ScenarioError);
  });
});
