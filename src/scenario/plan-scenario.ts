import type { Aisle, Cabinet } from '../catalogue/cabinet.js';
import { ScenarioError } from '../errors.js';
import type { Scenario, ScenarioStep } from './scenario.js';

/** A scenario step checked against a cabinet, with its aisle looked up. */
export type PlannedStep =
  | { action: 'wait'; ms: number }
  | { action: 'unlock' }
  | { action: 'jam-lock' }
  | { action: 'close-door' }
  | { action: 'take' | 'put-back'; aisle: Aisle; quantity: number };

type DoorState = 'locked' | 'open' | 'finished';

/**
 * Checks that `scenario` can be played on `cabinet` from start to end and
 * returns its steps ready to run. It fails when a step names an aisle the
 * cabinet lacks, uses grams on a counted aisle or pieces on a weighed one,
 * takes more than the aisle holds, puts back more than was taken, touches
 * goods behind a closed door, or never ends the session.
 */
export function planScenario(
  scenario: Scenario,
  cabinet: Cabinet,
): PlannedStep[] {
  const fail = (index: number, message: string): never => {
    throw new ScenarioError(scenario.name, `step ${index + 1}: ${message}`);
  };
  const taken = new Map<number, number>();
  let door = 'locked' as DoorState;

  const planned = scenario.steps.map((step, index): PlannedStep => {
    if (door === 'finished' && step.action !== 'wait') {
      fail(index, `"${step.action}" comes after the session has ended`);
    }

    switch (step.action) {
      case 'wait':
        if (!Number.isFinite(step.ms) || step.ms < 0) {
          fail(index, `wait needs ms >= 0, got ${step.ms}`);
        }
        return step;

      case 'unlock':
      case 'jam-lock':
        if (door !== 'locked') fail(index, `"${step.action}" needs a locked door`);
        door = step.action === 'unlock' ? 'open' : 'finished';
        return step;

      case 'close-door':
        if (door !== 'open') fail(index, 'close-door needs an open door');
        door = 'finished';
        return step;

      case 'take':
      case 'put-back': {
        if (door !== 'open') {
          fail(index, `"${step.action}" needs an open door; unlock it first`);
        }

        const aisle = findAisle(cabinet, step, (message) => fail(index, message));
        const quantity = quantityOf(step, aisle, (message) => fail(index, message));
        const before = taken.get(aisle.aisleId) ?? 0;
        const after = step.action === 'take' ? before + quantity : before - quantity;

        if (after > aisle.stock) {
          fail(
            index,
            `aisle ${aisle.aisleId} holds ${aisle.stock}, cannot take ${after} in all`,
          );
        }
        if (after < 0) {
          fail(
            index,
            `aisle ${aisle.aisleId}: puts back ${quantity} but only ${before} was taken`,
          );
        }
        taken.set(aisle.aisleId, after);

        return { action: step.action, aisle, quantity };
      }
    }
  });

  if (door !== 'finished') {
    throw new ScenarioError(
      scenario.name,
      'the steps never end the session; finish with close-door or jam-lock',
    );
  }

  return planned;
}

type QuantityStep = Extract<ScenarioStep, { action: 'take' | 'put-back' }>;

function findAisle(
  cabinet: Cabinet,
  step: QuantityStep,
  fail: (message: string) => never,
): Aisle {
  const aisle = cabinet.aisles.get(step.aisleId);

  if (!aisle) {
    return fail(`cabinet "${cabinet.name}" has no aisle ${step.aisleId}`);
  }

  return aisle;
}

function quantityOf(
  step: QuantityStep,
  aisle: Aisle,
  fail: (message: string) => never,
): number {
  const weighed = aisle.product.pricing === 'weighed';
  const wanted = weighed ? 'grams' : 'count';
  const other = weighed ? 'count' : 'grams';
  const quantity = step[wanted];

  if (step[other] !== undefined) {
    fail(
      `aisle ${aisle.aisleId} is ${aisle.product.pricing}: give ${wanted}, not ${other}`,
    );
  }
  if (quantity === undefined || !Number.isSafeInteger(quantity) || quantity < 1) {
    fail(
      `aisle ${aisle.aisleId} needs ${wanted} as a whole number >= 1, got ${quantity}`,
    );
  }

  return quantity as number;
}
