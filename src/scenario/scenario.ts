import type { LoadCellFault } from '../physics/load-cell.js';

/**
 * What a scripted shopper does at the cabinet, and how the cloud answers.
 * Scenarios act only on the physical world (the door, the goods); what the
 * shopper's phone receives is worked out by the cabinet's firmware from its
 * scales. Scenarios are plain data so that they can be written in files.
 */
export interface Scenario {
  name: string;
  description: string;
  /**
   * Played in order from the moment the shopper connects; the cloud asks the
   * lock to open at the same moment.
   */
  steps: readonly ScenarioStep[];
  /**
   * The least time, in milliseconds, between the door closing and the order:
   * the firmware waits at least this long, and until every scale is still.
   */
  settleMs?: number;
  /**
   * When set, the cloud refuses to create the order and sends a failure frame
   * with this message instead of `final`. An empty basket makes no order, so
   * it still ends with an empty `final`.
   */
  refuseOrder?: string;
  /** Door and load-cell models for this scenario, over the cabinet's own. */
  models?: { door?: string; loadCell?: string };
}

export type ScenarioStep =
  /** Nothing happens for `ms` milliseconds. */
  | { action: 'wait'; ms: number }
  /** The shopper pulls the door open as soon as the lock lets go. */
  | { action: 'open-door' }
  /** Lifts pieces (counted aisle) or grams (weighed aisle) off an aisle. */
  | { action: 'take'; aisleId: number; count?: number; grams?: number }
  /**
   * Puts back pieces or grams taken from `aisleId`, onto `onto` when given:
   * another aisle, by mistake.
   */
  | {
      action: 'put-back';
      aisleId: number;
      count?: number;
      grams?: number;
      onto?: number;
    }
  /** Leaves something not for sale (a phone, a bag) on an aisle. */
  | { action: 'place-object'; aisleId: number; grams: number }
  /** Bumps the shelf: the scale rings, nothing changes weight. */
  | { action: 'knock'; aisleId: number; grams?: number }
  /** The aisle's load cell fails from now on (spikes last a moment). */
  | { action: 'sensor-fault'; aisleId: number; fault: LoadCellFault }
  /** The shopper closes the door; the order follows once the scales settle. */
  | { action: 'close-door' };

export const DEFAULT_SETTLE_MS = 1000;

/** How hard a knock is when a step does not say: a firm bump. */
export const DEFAULT_KNOCK_GRAMS = 150;
