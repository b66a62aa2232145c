import type { Aisle, Cabinet } from '../catalogue/cabinet.js';
import { ScenarioError, type ScenarioProblem } from '../errors.js';
import { LOAD_CELL_FAULTS, type LoadCellFault } from '../physics/load-cell.js';
import { isSendableCloseCode } from '../server/close-codes.js';
import {
  DEFAULT_DRIFT_GRAMS_PER_MINUTE,
  DEFAULT_KNOCK_GRAMS,
  MAX_SETTLE_MS,
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
 * The longest a scenario may last, counting its waits and frame delays. The
 * runner allows a purchase this long and a few minutes more for the cabinet
 * to finish after the last step.
 */
export const MAX_SCENARIO_MS = 60 * 60_000;

/**
 * The most an object placed on a shelf, or a knock, may weigh: a shelf
 * scale carries some kilograms, and a tonne on it would only keep the
 * scale from ever settling.
 */
export const MAX_SHELF_GRAMS = 20_000;

// A step's problem, thrown inside the step's check and caught for the list.
class StepProblem {
  constructor(
    readonly message: string,
    readonly field?: string,
  ) {}
}

const fail = (message: string, field?: string): never => {
  throw new StepProblem(message, field);
};

/**
 * Checks that `scenario` can be played on `cabinet` and returns its steps
 * ready to run. It fails when a step names an aisle the cabinet lacks, uses
 * grams on a counted aisle or pieces on a weighed one, takes more than the
 * aisle holds, puts back more than the shopper holds, touches goods behind a
 * shut door, leaves the door open for ever, or when the timeline lasts
 * longer than `MAX_SCENARIO_MS`. A timeline that ends with `wait-for-actions`
 * may leave the door open: the control API closes it. The `ScenarioError`
 * lists every step's problem, not only the first.
 */
export function planScenario(
  scenario: Scenario,
  cabinet: Cabinet,
): PlannedStep[] {
  const problems: ScenarioProblem[] = [];
  const held = new Map<number, number>();
  const takenFromShelf = new Map<number, number>();
  const last = scenario.steps.length - 1;
  let door = 'shut' as DoorState;
  let unlockAsked = false;
  let lastsMs = 0;
  // Time waited since close-door; undefined while the door has not closed.
  let sinceCloseMs: number | undefined;

  // Where the step falls in the purchase: the door, what is on the shelf and
  // in the shopper's hands. Its own arguments are `checkStep`'s.
  const planInPlace = (step: ScenarioStep, index: number): PlannedStep => {
    const needsOpenDoor = () => {
      if (door !== 'open')
        fail(`"${step.action}" needs an open door; open-door first`);
    };

    // The purchase ends at most MAX_SETTLE_MS after the door closes; a step
    // later than that would be dropped without a word. Another shopper may
    // still come to the cabinet, and waiting is harmless.
    if (
      sinceCloseMs !== undefined &&
      sinceCloseMs > MAX_SETTLE_MS &&
      step.action !== 'wait' &&
      step.action !== 'another-shopper'
    ) {
      fail(
        `"${step.action}" comes ${sinceCloseMs / 1000} s after close-door; the purchase ends at most ${MAX_SETTLE_MS / 1000} s after the door closes, so it would never be played`,
      );
    }

    switch (step.action) {
      case 'open-door': {
        const wasShut = door === 'shut';

        // Open from here on even when it was opened before, so that the
        // steps behind it are not reported for a shut door too.
        door = 'open';
        if (!wasShut) fail('the door can be opened once per purchase');
        break;
      }
      case 'close-door':
        if (door !== 'open') fail('close-door needs an open door');
        door = 'closed-again';
        sinceCloseMs = 0;
        break;
      case 'take':
      case 'put-back':
      case 'place-object':
        needsOpenDoor();
        break;
      case 'unlock':
        if (unlockAsked) fail('the cloud asks for the unlock once');
        if (door !== 'shut') fail('unlock comes before open-door');
        unlockAsked = true;
        break;
      case 'wait-for-actions':
        if (index !== last)
          fail('wait-for-actions ends the timeline; put it last');
        break;
      default:
        break;
    }

    const planned = checkStep(step, cabinet);

    if (planned.action === 'wait') {
      lastsMs += planned.ms;
      if (sinceCloseMs !== undefined) sinceCloseMs += planned.ms;
    }
    if (
      planned.action === 'connection-fault' &&
      planned.fault.kind === 'delay-next-frame'
    ) {
      lastsMs += planned.fault.ms;
    }
    if (planned.action === 'take') {
      const { aisle, quantity } = planned;
      const fromShelf = (takenFromShelf.get(aisle.aisleId) ?? 0) + quantity;

      if (fromShelf > aisle.stock) {
        fail(
          `aisle ${aisle.aisleId} holds ${aisle.stock}, cannot take ${fromShelf} in all`,
          weighedOrCounted(aisle),
        );
      }
      takenFromShelf.set(aisle.aisleId, fromShelf);
      held.set(aisle.aisleId, (held.get(aisle.aisleId) ?? 0) + quantity);
    }
    if (planned.action === 'put-back') {
      const { aisle, quantity, onto } = planned;
      const holding = held.get(aisle.aisleId) ?? 0;

      if (quantity > holding) {
        fail(
          `aisle ${aisle.aisleId}: puts back ${quantity} but the shopper holds ${holding}`,
          weighedOrCounted(aisle),
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

    return planned;
  };

  // A step that fails changes nothing (a failed take is not taken), and the
  // steps after it are checked as if it were not there.
  const planned = scenario.steps.flatMap((step, stepIndex) => {
    try {
      return [planInPlace(step, stepIndex)];
    } catch (err) {
      if (!(err instanceof StepProblem)) throw err;
      const { message, field } = err;

      problems.push(
        field === undefined
          ? { stepIndex, message }
          : { stepIndex, field, message },
      );
      return [];
    }
  });

  if (door === 'open' && scenario.steps.at(-1)?.action !== 'wait-for-actions') {
    problems.push({
      message:
        'the door is left open, so the purchase never ends; finish with close-door, or with wait-for-actions to close it through the control API',
    });
  }
  const tooLong = scenarioLengthProblem(lastsMs);

  if (tooLong !== undefined) problems.push({ message: tooLong });
  if (problems.length > 0) throw new ScenarioError(scenario.name, problems);

  return planned;
}

/**
 * Checks one step on its own against `cabinet`: its aisles exist, its
 * quantity suits the aisle, its arguments are in range. Whether it fits the
 * moment it is played at (the door, the stock, what the shopper holds) is
 * for the caller. `onProblem` is called with what is wrong, and must throw.
 */
export function planStep(
  step: ScenarioStep,
  cabinet: Cabinet,
  onProblem: (message: string) => never,
): PlannedStep {
  try {
    return checkStep(step, cabinet);
  } catch (err) {
    if (err instanceof StepProblem) return onProblem(err.message);
    throw err;
  }
}

/**
 * What is wrong with a scenario whose waits and delays add up to `ms`, or
 * undefined when it may last that long.
 *
 * @example scenarioLengthProblem(61 * 60_000) // 'the timeline lasts 61 min; ...'
 */
export function scenarioLengthProblem(ms: number): string | undefined {
  if (ms <= MAX_SCENARIO_MS) return undefined;
  // Rounded up, so that a timeline just over the limit never reads "60 min".
  const minutes = Math.ceil(ms / 6000) / 10;

  return `the timeline lasts ${minutes} min; a scenario may last at most ${MAX_SCENARIO_MS / 60_000} minutes`;
}

function checkStep(step: ScenarioStep, cabinet: Cabinet): PlannedStep {
  switch (step.action) {
    case 'wait':
      if (!Number.isFinite(step.ms) || step.ms < 0)
        fail(`wait needs ms >= 0, got ${step.ms}`, 'ms');
      return step;

    case 'take': {
      const aisle = findAisle(cabinet, step.aisleId, 'aisleId');

      return { action: 'take', aisle, quantity: quantityOf(step, aisle) };
    }

    case 'put-back': {
      const aisle = findAisle(cabinet, step.aisleId, 'aisleId');
      const onto = findAisle(cabinet, step.onto ?? step.aisleId, 'onto');

      return {
        action: 'put-back',
        aisle,
        quantity: quantityOf(step, aisle),
        onto,
      };
    }

    case 'place-object': {
      const aisle = findAisle(cabinet, step.aisleId, 'aisleId');

      if (
        !Number.isFinite(step.grams) ||
        step.grams <= 0 ||
        step.grams > MAX_SHELF_GRAMS
      ) {
        fail(
          `place-object needs grams > 0 and at most ${MAX_SHELF_GRAMS}, got ${step.grams}`,
          'grams',
        );
      }
      return { action: 'place-object', aisle, grams: step.grams };
    }

    case 'knock': {
      const aisle = findAisle(cabinet, step.aisleId, 'aisleId');
      const grams = step.grams ?? DEFAULT_KNOCK_GRAMS;

      if (!Number.isFinite(grams) || grams <= 0 || grams > MAX_SHELF_GRAMS)
        fail(
          `knock needs grams > 0 and at most ${MAX_SHELF_GRAMS}, got ${grams}`,
          'grams',
        );
      return { action: 'knock', aisle, grams };
    }

    case 'sensor-fault': {
      const aisle = findAisle(cabinet, step.aisleId, 'aisleId');

      if (!LOAD_CELL_FAULTS.includes(step.fault)) {
        fail(
          `sensor-fault needs fault ${LOAD_CELL_FAULTS.join(', ')}, got ${JSON.stringify(step.fault)}`,
          'fault',
        );
      }
      const gramsPerMinute =
        step.gramsPerMinute ?? DEFAULT_DRIFT_GRAMS_PER_MINUTE;

      if (!Number.isFinite(gramsPerMinute))
        fail(`sensor-fault needs a finite gramsPerMinute`, 'gramsPerMinute');
      if (step.gramsPerMinute !== undefined && step.fault !== 'drift')
        fail(
          `gramsPerMinute applies only to the drift fault`,
          'gramsPerMinute',
        );
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
        fail('refuse-order needs a message', 'message');
      return step;

    case 'connection-fault':
      checkConnectionFault(step.fault);
      return step;

    default:
      return fail(
        `unknown action ${JSON.stringify((step as { action: unknown }).action)}`,
      );
  }
}

function checkConnectionFault(fault: ConnectionFault): void {
  switch (fault.kind) {
    case 'drop':
    case 'duplicate-next-frame':
      return;
    case 'delay-next-frame':
      if (!Number.isFinite(fault.ms) || fault.ms < 0)
        fail(`delay-next-frame needs ms >= 0, got ${fault.ms}`, 'fault.ms');
      // Also for a step sent over the control API, which no timeline's
      // length bounds: a frame held longer would outlive any purchase.
      if (fault.ms > MAX_SCENARIO_MS)
        fail(
          `delay-next-frame may delay a frame by at most ${MAX_SCENARIO_MS / 60_000} minutes, got ${fault.ms} ms`,
          'fault.ms',
        );
      return;
    case 'close':
      if (!Number.isInteger(fault.code) || !isSendableCloseCode(fault.code))
        fail(
          `close-connection code ${fault.code} cannot be sent; use 1000, 1001, 1008, 1009, 1011 or 4000 to 4999`,
          'fault.code',
        );
      if (Buffer.byteLength(fault.reason) > 123)
        fail(
          'close-connection reason is longer than 123 bytes of UTF-8',
          'fault.reason',
        );
      return;
    default:
      fail(
        `unknown connection fault ${JSON.stringify((fault as { kind: unknown }).kind)}`,
      );
  }
}

function findAisle(cabinet: Cabinet, aisleId: number, field: string): Aisle {
  return (
    cabinet.aisles.get(aisleId) ??
    fail(`cabinet "${cabinet.name}" has no aisle ${aisleId}`, field)
  );
}

function weighedOrCounted(aisle: Aisle): 'grams' | 'count' {
  return aisle.product.pricing === 'weighed' ? 'grams' : 'count';
}

function quantityOf(
  step: Extract<ScenarioStep, { action: 'take' | 'put-back' }>,
  aisle: Aisle,
): number {
  const wanted = weighedOrCounted(aisle);
  const other = wanted === 'grams' ? 'count' : 'grams';
  const quantity = step[wanted];

  if (step[other] !== undefined) {
    fail(
      `aisle ${aisle.aisleId} is ${aisle.product.pricing}: give ${wanted}, not ${other}`,
      other,
    );
  }
  if (
    quantity === undefined ||
    !Number.isSafeInteger(quantity) ||
    quantity < 1
  ) {
    fail(
      `aisle ${aisle.aisleId} needs ${wanted} as a whole number >= 1, got ${quantity}`,
      wanted,
    );
  }

  return quantity as number;
}
