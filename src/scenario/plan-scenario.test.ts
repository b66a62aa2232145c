import { describe, expect, it } from 'vitest';
import { loadCabinetDirectory } from '../catalogue/load-cabinets.js';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import { ScenarioError } from '../errors.js';
import type { LoadCellFault } from '../physics/load-cell.js';
import { bundledScenarios } from './scenario-catalogue.js';
import { MAX_SCENARIO_MS, planScenario } from './plan-scenario.js';
import type { ScenarioStep } from './scenario.js';

const cabinet = loadCabinetDirectory(BUNDLED_FIXTURES_DIR).defaultCabinet;

const plan = (...steps: ScenarioStep[]) =>
  planScenario({ name: 'test', description: '', steps }, cabinet);

const open: ScenarioStep = { action: 'open-door' };
const close: ScenarioStep = { action: 'close-door' };

describe('planScenario', () => {
  it.each(
    bundledScenarios().filter(
      (scenario) => scenario.run?.cabinet === 'default',
    ),
  )('accepts the bundled scenario $name on the default cabinet', (scenario) => {
    expect(() => planScenario(scenario, cabinet)).not.toThrow();
  });

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

  it('puts back onto the same aisle unless told another', () => {
    const steps = plan(
      open,
      { action: 'take', aisleId: 6140, count: 2 },
      { action: 'put-back', aisleId: 6140, count: 1 },
      { action: 'put-back', aisleId: 6140, count: 1, onto: 6161 },
      close,
    );

    expect(steps[2]).toHaveProperty('onto.aisleId', 6140);
    expect(steps[3]).toHaveProperty('onto.aisleId', 6161);
  });

  it('accepts a scenario that never opens the door: the lock relocks by itself', () => {
    expect(plan({ action: 'wait', ms: 100 })).toHaveLength(1);
  });

  it('refuses an aisle the cabinet does not have', () => {
    expect(() =>
      plan(open, { action: 'take', aisleId: 1, count: 1 }, close),
    ).toThrow('scenario "test": step 2: cabinet "default" has no aisle 1');
    expect(() =>
      plan(
        open,
        { action: 'take', aisleId: 6140, count: 1 },
        { action: 'put-back', aisleId: 6140, count: 1, onto: 2 },
        close,
      ),
    ).toThrow('step 3: cabinet "default" has no aisle 2');
  });

  it('refuses grams on a counted aisle and a count on a weighed one', () => {
    expect(() =>
      plan(open, { action: 'take', aisleId: 6140, grams: 100 }, close),
    ).toThrow('aisle 6140 is counted: give count, not grams');
    expect(() =>
      plan(open, { action: 'take', aisleId: 5595, count: 1 }, close),
    ).toThrow('aisle 5595 is weighed: give grams, not count');
  });

  it('refuses a quantity that is not a whole number of at least 1', () => {
    expect(() =>
      plan(open, { action: 'take', aisleId: 6140, count: 0 }, close),
    ).toThrow('needs count as a whole number >= 1, got 0');
    expect(() =>
      plan(open, { action: 'take', aisleId: 5595, grams: 1.5 }, close),
    ).toThrow('needs grams as a whole number >= 1, got 1.5');
  });

  it('refuses to take more than the aisle holds', () => {
    const stock = cabinet.aisles.get(6140)!.stock;

    expect(() =>
      plan(open, { action: 'take', aisleId: 6140, count: stock + 1 }, close),
    ).toThrow(`aisle 6140 holds ${stock}, cannot take ${stock + 1} in all`);
  });

  it('refuses to put back more than the shopper holds', () => {
    expect(() =>
      plan(
        open,
        { action: 'take', aisleId: 6140, count: 1 },
        { action: 'put-back', aisleId: 6140, count: 2 },
        close,
      ),
    ).toThrow('puts back 2 but the shopper holds 1');
  });

  it('refuses to touch goods behind a shut door', () => {
    expect(() =>
      plan({ action: 'take', aisleId: 6140, count: 1 }, open, close),
    ).toThrow('step 1: "take" needs an open door; open-door first');
    expect(() =>
      plan(open, close, { action: 'place-object', aisleId: 6140, grams: 10 }),
    ).toThrow('step 3: "place-object" needs an open door');
  });

  it('refuses a door left open, which would never end the purchase', () => {
    expect(() => plan(open, { action: 'wait', ms: 10 })).toThrow(
      'the door is left open',
    );
  });

  it('accepts a door left open for the control API with wait-for-actions', () => {
    expect(plan(open, { action: 'wait-for-actions' })).toEqual([
      open,
      { action: 'wait-for-actions' },
    ]);
  });

  it('refuses a step after wait-for-actions', () => {
    expect(() => plan(open, { action: 'wait-for-actions' }, close)).toThrow(
      'scenario "test": step 2: wait-for-actions ends the timeline; put it last',
    );
  });

  it('refuses to open the door twice', () => {
    expect(() => plan(open, close, open, close)).toThrow(
      'step 3: the door can be opened once per purchase',
    );
  });

  it('refuses an unknown sensor fault and a bad knock', () => {
    expect(() =>
      plan({
        action: 'sensor-fault',
        aisleId: 6140,
        fault: 'melted' as LoadCellFault,
      }),
    ).toThrow(
      'sensor-fault needs fault stuck, dead, spikes, drift, got "melted"',
    );
    expect(() => plan({ action: 'knock', aisleId: 6140, grams: -1 })).toThrow(
      'knock needs grams > 0 and at most 20000, got -1',
    );
  });

  it('refuses a negative wait', () => {
    expect(() => plan({ action: 'wait', ms: -1 }, open, close)).toThrow(
      ScenarioError,
    );
  });

  it.each([1002, 1003, 1007, 1010, 3000, 3999, 5000, 1000.5])(
    'refuses a close-connection code %d the server never sends',
    (code) => {
      const closeWith: ScenarioStep = {
        action: 'connection-fault',
        fault: { kind: 'close', code, reason: '' },
      };

      expect(() => plan(open, closeWith, close)).toThrow(
        `scenario "test": step 2: close-connection code ${code} cannot be sent; use 1000, 1001, 1008, 1009, 1011 or 4000 to 4999`,
      );
    },
  );

  it.each([1000, 1001, 1008, 1009, 1011, 4000, 4999])(
    'accepts close-connection code %d',
    (code) => {
      const closeWith: ScenarioStep = {
        action: 'connection-fault',
        fault: { kind: 'close', code, reason: '关门' },
      };

      expect(plan(open, closeWith, close)).toHaveLength(3);
    },
  );

  it('refuses a close reason over 123 bytes of UTF-8, counting Chinese as 3 bytes a character', () => {
    const closeWith = (reason: string): ScenarioStep => ({
      action: 'connection-fault',
      fault: { kind: 'close', code: 4000, reason },
    });

    expect(plan(open, closeWith('柜'.repeat(41)), close)).toHaveLength(3);
    expect(() => plan(open, closeWith('柜'.repeat(42)), close)).toThrow(
      'scenario "test": step 2: close-connection reason is longer than 123 bytes of UTF-8',
    );
  });

  it('reports every step it cannot play, each with its step and field', () => {
    const err = (() => {
      try {
        plan(
          { action: 'take', aisleId: 6140, count: 1 },
          open,
          { action: 'take', aisleId: 1, count: 1 },
          { action: 'put-back', aisleId: 6140, count: 1 },
          { action: 'take', aisleId: 6140, grams: 5 },
          {
            action: 'connection-fault',
            fault: { kind: 'close', code: 1005, reason: '' },
          },
        );
      } catch (err) {
        return err as ScenarioError;
      }
    })();

    expect(err).toBeInstanceOf(ScenarioError);
    expect(err?.problems).toEqual([
      { stepIndex: 0, message: '"take" needs an open door; open-door first' },
      {
        stepIndex: 2,
        field: 'aisleId',
        message: 'cabinet "default" has no aisle 1',
      },
      {
        stepIndex: 3,
        field: 'count',
        message: 'aisle 6140: puts back 1 but the shopper holds 0',
      },
      {
        stepIndex: 4,
        field: 'grams',
        message: 'aisle 6140 is counted: give count, not grams',
      },
      {
        stepIndex: 5,
        field: 'fault.code',
        message:
          'close-connection code 1005 cannot be sent; use 1000, 1001, 1008, 1009, 1011 or 4000 to 4999',
      },
      {
        message:
          'the door is left open, so the purchase never ends; finish with close-door, or with wait-for-actions to close it through the control API',
      },
    ]);
    expect(err?.stepIndex).toBe(0);
    expect(err?.problem).toBe('"take" needs an open door; open-door first');
    expect(err?.message.split('\n')).toEqual([
      'scenario "test": step 1: "take" needs an open door; open-door first',
      'scenario "test": step 3: cabinet "default" has no aisle 1',
      'scenario "test": step 4: aisle 6140: puts back 1 but the shopper holds 0',
      'scenario "test": step 5: aisle 6140 is counted: give count, not grams',
      'scenario "test": step 6: close-connection code 1005 cannot be sent; use 1000, 1001, 1008, 1009, 1011 or 4000 to 4999',
      'scenario "test": the door is left open, so the purchase never ends; finish with close-door, or with wait-for-actions to close it through the control API',
    ]);
  });

  it('treats a take that fails as not taken', () => {
    const stock = cabinet.aisles.get(6140)!.stock;

    expect(() =>
      plan(
        open,
        { action: 'take', aisleId: 6140, count: stock + 1 },
        { action: 'take', aisleId: 6140, count: stock },
        close,
      ),
    ).toThrow(
      new ScenarioError('test', [
        {
          stepIndex: 1,
          field: 'count',
          message: `aisle 6140 holds ${stock}, cannot take ${stock + 1} in all`,
        },
      ]),
    );
  });

  it('reports a door opened twice once, not every step behind it', () => {
    expect(() =>
      plan(
        open,
        close,
        open,
        { action: 'take', aisleId: 6140, count: 1 },
        close,
      ),
    ).toThrow(
      new ScenarioError('test', 'the door can be opened once per purchase', 2),
    );
  });

  it('refuses a timeline whose waits and delays last over 60 minutes', () => {
    expect(MAX_SCENARIO_MS).toBe(3_600_000);
    expect(() =>
      plan(
        { action: 'wait', ms: MAX_SCENARIO_MS - 1000 },
        {
          action: 'connection-fault',
          fault: { kind: 'delay-next-frame', ms: 1000 },
        },
      ),
    ).not.toThrow();
    expect(() =>
      plan(
        { action: 'wait', ms: MAX_SCENARIO_MS },
        {
          action: 'connection-fault',
          fault: { kind: 'delay-next-frame', ms: 1 },
        },
      ),
    ).toThrow(
      new ScenarioError(
        'test',
        'the timeline lasts 60.1 min; a scenario may last at most 60 minutes',
      ),
    );
  });

  it('refuses a step that would come after the purchase has ended', () => {
    const refuse: ScenarioStep = { action: 'refuse-order', message: 'no' };

    expect(() =>
      plan(open, close, { action: 'wait', ms: 10_000 }, refuse),
    ).not.toThrow();
    expect(() =>
      plan(
        open,
        close,
        { action: 'wait', ms: 10_001 },
        { action: 'another-shopper' },
        { action: 'wait', ms: 1000 },
      ),
    ).not.toThrow();
    expect(() =>
      plan(open, close, { action: 'wait', ms: 10_001 }, refuse),
    ).toThrow(
      new ScenarioError(
        'test',
        '"refuse-order" comes 10.001 s after close-door; the purchase ends at most 10 s after the door closes, so it would never be played',
        3,
      ),
    );
  });

  it('lists 20 problems in its message and counts the rest', () => {
    const takes = Array.from({ length: 22 }, (): ScenarioStep => ({
      action: 'take',
      aisleId: 1,
      count: 1,
    }));
    const err = (() => {
      try {
        plan(open, ...takes, close);
      } catch (err) {
        return err as ScenarioError;
      }
    })();

    expect(err?.problems).toHaveLength(22);
    expect(err?.message.split('\n')).toHaveLength(21);
    expect(err?.message.split('\n').at(-1)).toBe('(2 more problems not shown)');
  });
});
