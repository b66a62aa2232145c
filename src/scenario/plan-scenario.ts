import type { Aisle, Cabinet } from '../catalogue/cabinet.js';
import { ScenarioError } from '../errors.js';
import { LOAD_CELL_FAULTS, type LoadCellFault } from '../physics/load-cell.js';
import { isSendableCloseCode } from '../server/close-codes.js';
import {
  DEFAULT_DRIFT_GRAMS_PER_MINUTE,
  DEFAULT_KNOCK_GRAMS,
  type ConnectionFault,
  type Scenario,
  type ScenarioStep,
} from './scenario.js';

/** A scenario step checked against a cabinet, with its aisles looked up. */
export type PlannedStep =
  | { action: 'wait'; ms: number }
  | { action: 'open-door' }
  | { action: 'close-door' }
  | { action: 'take'; aisle: Aisle; quantity: number }
  | { action: 'put-back'; aisle: Aisle; quantity: number; onto: Aisle }
  | { action: 'place-object'; aisle: Aisle; grams: number }
  | { action: 'knock'; aisle: Aisle; grams: number }
  | {
      action: 'sensor-fault';
      aisle: Aisle;
      fault: LoadCellFault;
      gramsPerMinute: number;
    }
  | { action: 'unlock' }
  | { action: 'jam-lock' }
  | { action: 'refuse-order'; message: string }
  | { action: 'connection-fault'; fault: ConnectionFault }
  | { action: 'another-shopper' }
  | { action: 'wait-for-actions' };

type DoorState = 'shut' | 'open' | 'closed-again';

/**
 * Checks that `scenario` can be played on `cabinet` and returns its steps
 * ready to run. It fails when a step names an aisle the cabinet lacks, uses
 * grams on a counted aisle or pieces on a weighed one, takes more than the
 * aisle holds, puts back more than the shopper holds, touches goods behind a
 * shut door, or leaves the door open for ever. A timeline that ends with
 * `wait-for-actions` may leave the door open: the control API closes it.
 */
export function planScenario(
  scenario: Scenario,
  cabinet: Cabinet,
): PlannedStep[] {
  const fail = (index: number, message: string): never => {
    throw new ScenarioError(scenario.name, message, index);
  };
  const held = new Map<number, number>();
  const takenFromShelf = new Map<number, number>();
  const last = scenario.steps.length - 1;
  let door = 'shut' as DoorState;
  let unlockAsked = false;

  const planned = scenario.steps.map((step, index): PlannedStep => {
    const failHere = (message: string) => fail(index, message);
    const needsOpenDoor = () => {
      if (door !== 'open')
        failHere(`"${step.action}" needs an open door; open-door first`);
    };

    switch (step.action) {
      case 'open-door':
        if (door !== 'shut')
          failHere('the door can be opened once per purchase');
        door = 'open';
        break;

      case 'close-door':
        if (door !== 'open') failHere('close-door needs an open door');
        door = 'closed-again';
        break;

      case 'take':
      case 'put-back':
      case 'place-object':
        needsOpenDoor();
        break;

      case 'unlock':
        if (unlockAsked) failHere('the cloud asks for the unlock once');
        if (door !== 'shut') failHere('unlock comes before open-door');
        unlockAsked = true;
        break;

      case 'wait-for-actions':
        if (index !== last)
          failHere('wait-for-actions ends the timeline; put it last');
        break;

      default:
        break;
    }

    const plannedStep = planStep(step, cabinet, failHere);

    if (plannedStep.action === 'take') {
      const { aisle, quantity } = plannedStep;
      const fromShelf = (takenFromShelf.get(aisle.aisleId) ?? 0) + quantity;

      if (fromShelf > aisle.stock) {
        failHere(
          `aisle ${aisle.aisleId} holds ${aisle.stock}, cannot take ${fromShelf} in all`,
        );
      }
      takenFromShelf.set(aisle.aisleId, fromShelf);
      held.set(aisle.aisleId, (held.get(aisle.aisleId) ?? 0) + quantity);
    }
    if (plannedStep.action === 'put-back') {
      const { aisle, quantity, onto } = plannedStep;
      const holding = held.get(aisle.aisleId) ?? 0;

      if (quantity > holding) {
        failHere(
          `aisle ${aisle.aisleId}: puts back ${quantity} but the shopper holds ${holding}`,
        );
      }
      held.set(aisle.aisleId, holding - quantity);
      if (onto === aisle) {
        takenFromShelf.set(
          aisle.aisleId,
          (takenFromShelf.get(aisle.aisleId) ?? 0) - quantity,
        );
      }
    }

    return plannedStep;
  });

  if (door === 'open' && scenario.steps.at(-1)?.action !== 'wait-for-actions') {
    throw new ScenarioError(
      scenario.name,
      'the door is left open, so the purchase never ends; finish with close-door, or with wait-for-actions to close it through the control API',
    );
  }

  return planned;
}

/**
 * Checks one step on its own against `cabinet`: its aisles exist, its
 * quantity suits the aisle, its arguments are in range. Whether it fits the
 * moment it is played at (the door, the stock, what the shopper holds) is
 * for the caller. `fail` throws.
 */
export function planStep(
  step: ScenarioStep,
  cabinet: Cabinet,
  fail: (message: string) => never,
): PlannedStep {
  switch (step.action) {
    case 'wait':
      if (!Number.isFinite(step.ms) || step.ms < 0)
        fail(`wait needs ms >= 0, got ${step.ms}`);
      return step;

    case 'take': {
      const aisle = findAisle(cabinet, step.aisleId, fail);

      return { action: 'take', aisle, quantity: quantityOf(step, aisle, fail) };
    }

    case 'put-back': {
      const aisle = findAisle(cabinet, step.aisleId, fail);
      const onto = findAisle(cabinet, step.onto ?? step.aisleId, fail);
      const quantity = quantityOf(step, aisle, fail);

      return { action: 'put-back', aisle, quantity, onto };
    }

    case 'place-object': {
      const aisle = findAisle(cabinet, step.aisleId, fail);

      if (!Number.isFinite(step.grams) || step.grams <= 0) {
        fail(`place-object needs grams > 0, got ${step.grams}`);
      }
      return { action: 'place-object', aisle, grams: step.grams };
    }

    case 'knock': {
      const aisle = findAisle(cabinet, step.aisleId, fail);
      const grams = step.grams ?? DEFAULT_KNOCK_GRAMS;

      if (!Number.isFinite(grams) || grams <= 0)
        fail(`knock needs grams > 0, got ${grams}`);
      return { action: 'knock', aisle, grams };
    }

    case 'sensor-fault': {
      const aisle = findAisle(cabinet, step.aisleId, fail);

      if (!LOAD_CELL_FAULTS.includes(step.fault)) {
        fail(
          `sensor-fault needs fault ${LOAD_CELL_FAULTS.join(', ')}, got ${JSON.stringify(step.fault)}`,
        );
      }
      const gramsPerMinute =
        step.gramsPerMinute ?? DEFAULT_DRIFT_GRAMS_PER_MINUTE;

      if (!Number.isFinite(gramsPerMinute))
        fail(`sensor-fault needs a finite gramsPerMinute`);
      if (step.gramsPerMinute !== undefined && step.fault !== 'drift')
        fail(`gramsPerMinute applies only to the drift fault`);
      return {
        action: 'sensor-fault',
        aisle,
        fault: step.fault,
        gramsPerMinute,
      };
    }

    case 'open-door':
    case 'close-door':
    case 'unlock':
    case 'jam-lock':
    case 'another-shopper':
    case 'wait-for-actions':
      return step;

    case 'refuse-order':
      if (typeof step.message !== 'string')
        fail('refuse-order needs a message');
      return step;

    case 'connection-fault':
      checkConnectionFault(step.fault, fail);
      return step;

    default:
      return fail(
        `unknown action ${JSON.stringify((step as { action: unknown }).action)}`,
      );
  }
}

function checkConnectionFault(
  fault: ConnectionFault,
  fail: (message: string) => never,
): void {
  switch (fault.kind) {
    case 'drop':
    case 'duplicate-next-frame':
      return;
    case 'delay-next-frame':
      if (!Number.isFinite(fault.ms) || fault.ms < 0)
        fail(`delay-next-frame needs ms >= 0, got ${fault.ms}`);
      return;
    case 'close':
      if (!Number.isInteger(fault.code) || !isSendableCloseCode(fault.code))
        fail(
          `close-connection code ${fault.code} cannot be sent; use 1000, 1001, 1008, 1009, 1011 or 4000 to 4999`,
        );
      if (Buffer.byteLength(fault.reason) > 123)
        fail('close-connection reason is longer than 123 bytes of UTF-8');
      return;
    default:
      fail(
        `unknown connection fault ${JSON.stringify((fault as { kind: unknown }).kind)}`,
      );
  }
}

function findAisle(
  cabinet: Cabinet,
  aisleId: number,
  fail: (message: string) => never,
): Aisle {
  return (
    cabinet.aisles.get(aisleId) ??
    fail(`cabinet "${cabinet.name}" has no aisle ${aisleId}`)
  );
}

function quantityOf(
  step: Extract<ScenarioStep, { action: 'take' | 'put-back' }>,
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
  if (
    quantity === undefined ||
    !Number.isSafeInteger(quantity) ||
    quantity < 1
  ) {
    fail(
      `aisle ${aisle.aisleId} needs ${wanted} as a whole number >= 1, got ${quantity}`,
    );
  }

  return quantity as number;
}
