import type { LoadCellFault } from '../physics/load-cell.js';

/**
 * What a scripted shopper does at the cabinet, and how the cloud answers.
 * Scenarios act on the physical world (the door, the goods, the sensors), on
 * the cloud's side of the order, and on the connection; what the shopper's
 * phone receives is worked out by the cabinet's firmware from its scales.
 * Scenarios are plain data: they are read from files (`scenario-file.ts`).
 */
export interface Scenario {
  name: string;
  description: string;
  /** The file the scenario was read from; undefined when built in code. */
  file?: string;
  /**
   * Played in order from the moment the shopper connects. The cloud asks the
   * lock to open at the same moment, unless a step says `unlock` later.
   */
  steps: readonly ScenarioStep[];
  /**
   * The least time, in milliseconds, between the door closing and the order:
   * the firmware waits at least this long, and until every scale is still.
   */
  settleMs?: number;
  /** Door and load-cell models for this scenario, over the cabinet's own. */
  models?: { door?: string; loadCell?: string };
  /**
   * How the order is paid. Password-free (免密支付, the default) takes the
   * money at once: `isCreditPay` "1" and an empty `orderInfo`. Manual leaves
   * the shopper an address to pay at: `isCreditPay` "0".
   */
  payment?: PaymentMode;
  /** How `cabinet-emu run` plays the scenario and what it checks. */
  run?: ScenarioRun;
}

export type PaymentMode = 'password-free' | 'manual';

export const PAYMENT_MODES: readonly PaymentMode[] = [
  'password-free',
  'manual',
];

/** What the runner needs beyond the timeline; serving ignores it. */
export interface ScenarioRun {
  /** The cabinet fixture (its `name`) the scenario is played on. */
  cabinet: string;
  /**
   * The device the runner's shopper connects as; undefined: the runner picks
   * the cabinet's first device, or demo-cabinet.
   */
  deviceNo?: string;
  /** Seeds every random choice of the run: same seed, same bytes. */
  seed: string;
  /** The virtual wall-clock time at which the shopper connects (epoch ms). */
  startTime: number;
  expect: Expectations;
}

export type ScenarioStep =
  /** Nothing happens for `ms` milliseconds. */
  | { action: 'wait'; ms: number }
  /**
   * The cloud asks the lock to open now. Without this step it asks on
   * connect; with it, not before (a command that is slow to reach the
   * cabinet).
   */
  | { action: 'unlock' }
  /** The lock jams: an unlock in progress or asked for later fails. */
  | { action: 'jam-lock' }
  /** The shopper pulls the door open as soon as the lock lets go. */
  | { action: 'open-door' }
  /** The shopper closes the door; the order follows once the scales settle. */
  | { action: 'close-door' }
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
  /**
   * The aisle's load cell fails from now on (spikes last a moment). A
   * drifting cell's zero wanders by `gramsPerMinute`.
   */
  | {
      action: 'sensor-fault';
      aisleId: number;
      fault: LoadCellFault;
      gramsPerMinute?: number;
    }
  /**
   * When the order is due, the cloud refuses it and sends a failure frame
   * with `message` instead of `final`. An empty basket makes no order, so it
   * still ends with an empty `final`.
   */
  | { action: 'refuse-order'; message: string }
  /** The connection to the shopper breaks now; the cabinet carries on. */
  | { action: 'connection-fault'; fault: ConnectionFault }
  /**
   * A second phone scans the same cabinet now. Only the runner plays this
   * step (it opens the second connection); a served session ignores it.
   */
  | { action: 'another-shopper' }
  /**
   * The timeline ends here and the session waits for steps sent through the
   * control API (`PurchaseSession.act`). It ends when an action closes the
   * door, when nobody opens the door in time, or when the door alarm goes
   * off: the emulator then closes the door for the shopper who walked away,
   * so a forgotten session does not hold its device for ever.
   */
  | { action: 'wait-for-actions' };

/**
 * - `drop`: the TCP connection is cut with no closing handshake.
 * - `close`: the server closes the WebSocket with `code` and `reason`.
 * - `delay-next-frame`: the next frame goes out `ms` milliseconds late.
 * - `duplicate-next-frame`: the next frame goes out twice.
 */
export type ConnectionFault =
  | { kind: 'drop' }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'delay-next-frame'; ms: number }
  | { kind: 'duplicate-next-frame' };

/**
 * What the runner checks. Frames are matched one for one and in order; each
 * expectation names only the fields it cares about.
 */
export interface Expectations {
  /** Every frame the shopper receives, in order; undefined: not checked. */
  frames?: readonly FrameExpectation[];
  /** How the shopper's connection ends. */
  close?: CloseExpectation;
  /**
   * The order the cloud made (kept even when the shopper's connection
   * dropped), or `null` when no order may be made.
   */
  order?: OrderExpectation | null;
  /** What each `another-shopper` step's connection sees, in step order. */
  otherShoppers?: readonly ConnectionExpectation[];
}

export interface ConnectionExpectation {
  frames?: readonly FrameExpectation[];
  close?: CloseExpectation;
}

export interface CloseExpectation {
  /** A close code; 1006 when the connection was cut with no close frame. */
  code?: number;
  reason?: string;
}

export type FrameType = 'door' | 'update' | 'final' | 'failure';

export const FRAME_TYPES: readonly FrameType[] = [
  'door',
  'update',
  'final',
  'failure',
];

/**
 * A frame as a scenario expects it. Money is a decimal string compared with
 * the number exactly as written on the wire: "15.80" does not match 15.8.
 */
export interface FrameExpectation {
  type: FrameType;
  /** `door` and `failure` frames: the message. */
  msg?: string;
  /** `update` and `final`: the basket's or order's amount. */
  amount?: string;
  /** `final`: order fields. */
  isCreditPay?: '0' | '1';
  orderInfo?: string;
  tradeNo?: string;
  createTime?: string;
  discounts?: readonly DiscountExpectation[];
  /** The whole list, item for item; each item names the fields it checks. */
  items?: readonly ItemExpectation[];
  /** The frame arrives no sooner than this many ms after connecting. */
  afterMs?: number;
  /** The frame arrives no later than this many ms after connecting. */
  beforeMs?: number;
}

export interface ItemExpectation {
  aisleId?: number;
  id?: number;
  name?: string;
  quantity?: number;
  amount?: string;
  price?: string;
}

export interface DiscountExpectation {
  name?: string;
  amount?: string;
}

export interface OrderExpectation {
  amount?: string;
  isCreditPay?: '0' | '1';
}

export const DEFAULT_SETTLE_MS = 1000;

/**
 * After the door closes, the firmware waits for still scales at most this
 * long; then it prices what it has. A cabinet that never settles (a knocked
 * shelf ringing, a spiking cell) must still end the purchase.
 */
export const MAX_SETTLE_MS = 10_000;

/** How hard a knock is when a step does not say: a firm bump. */
export const DEFAULT_KNOCK_GRAMS = 150;

/** How fast a drifting cell's zero wanders when a step does not say. */
export const DEFAULT_DRIFT_GRAMS_PER_MINUTE = 30;
