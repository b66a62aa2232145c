/**
 * What a scripted shopper does at the cabinet, and how the cloud answers.
 * Scenarios are plain data so that they can be written in files as well as
 * in code.
 */
export interface Scenario {
  name: string;
  description: string;
  steps: readonly ScenarioStep[];
  /**
   * Milliseconds between the door closing and the order being made: the
   * firmware lets the scales settle before it prices the basket.
   */
  settleMs?: number;
  /**
   * When set, the cloud refuses to create the order and sends a failure frame
   * with this message instead of `final`. An empty basket makes no order, so
   * it still ends with an empty `final`.
   */
  refuseOrder?: string;
}

export type ScenarioStep =
  /** Nothing happens for `ms` milliseconds. */
  | { action: 'wait'; ms: number }
  /** The lock opens and the shopper opens the door: a `door` frame. */
  | { action: 'unlock' }
  /** The lock does not open: a failure frame, and the session ends. */
  | { action: 'jam-lock' }
  /** Lifts pieces (counted aisle) or grams (weighed aisle) off an aisle. */
  | { action: 'take'; aisleId: number; count?: number; grams?: number }
  /** Puts pieces or grams back on the aisle they came from. */
  | { action: 'put-back'; aisleId: number; count?: number; grams?: number }
  /** The shopper closes the door; the order follows once the scales settle. */
  | { action: 'close-door' };

export const DEFAULT_SETTLE_MS = 1500;
