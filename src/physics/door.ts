import type { Clock, Timer } from '../time/clock.js';
import type { SeededRandom } from './random.js';

/**
 * The lock and the door switch. A purchase goes
 * locked → unlocking → unlocked → open → closed → locked;
 * a door nobody opens relocks by itself, and a jammed lock never opens.
 */
export type DoorState = 'locked' | 'unlocking' | 'unlocked' | 'open' | 'closed';

export type DoorEvent =
  /** The lock has opened: the cloud sends `door`. */
  | { kind: 'unlocked' }
  | { kind: 'opened' }
  | { kind: 'closed' }
  /** Nobody opened the door in time and it locked again. */
  | { kind: 'relocked-unopened' }
  /** The lock did not open within the unlock timeout. */
  | { kind: 'jammed' }
  /** The door has been open longer than the alarm limit. */
  | { kind: 'alarm'; openForMs: number };

/**
 * How a door behaves. Defaults of the `realistic` model:
 *
 * - `unlockMs` 800 and `unlockJitterMs` 150: the cloud's command reaches the
 *   cabinet over a mobile network and the bolt of an electromagnetic lock
 *   pulls back; about a second from scan to click.
 * - `unopenedTimeoutMs` 30 000: vendors relock a door nobody opened after
 *   half a minute, so a scan by mistake leaves the cabinet safe.
 * - `alarmAfterMs` 120 000: a door open two minutes raises an alarm; the
 *   purchase goes on.
 * - `unlockTimeoutMs` 5 000: how long the cloud waits for the lock to report
 *   open before it gives up with 操作失败, whether the lock is jammed or only
 *   slower than that.
 */
export interface DoorSettings {
  unlockMs: number;
  unlockJitterMs: number;
  unopenedTimeoutMs: number;
  alarmAfterMs: number;
  unlockTimeoutMs: number;
  /** The lock never opens. */
  jammed: boolean;
}

export const REALISTIC_DOOR: Readonly<DoorSettings> = Object.freeze({
  unlockMs: 800,
  unlockJitterMs: 150,
  unopenedTimeoutMs: 30_000,
  alarmAfterMs: 120_000,
  unlockTimeoutMs: 5_000,
  jammed: false,
});

export const IDEAL_DOOR: Readonly<DoorSettings> = Object.freeze({
  ...REALISTIC_DOOR,
  unlockMs: 0,
  unlockJitterMs: 0,
});

export const JAMMED_DOOR: Readonly<DoorSettings> = Object.freeze({
  ...REALISTIC_DOOR,
  jammed: true,
});

/** A door playing out its settings on a clock; it reports what it does. */
export class Door {
  readonly #settings: DoorSettings;
  readonly #clock: Clock;
  readonly #random: SeededRandom;
  readonly #onEvent: (event: DoorEvent) => void;
  #state: DoorState = 'locked';
  #timer: Timer | undefined;
  #alarmTimer: Timer | undefined;
  #jammed: boolean;
  #unlockAskedAt = 0;

  constructor(
    settings: DoorSettings,
    clock: Clock,
    random: SeededRandom,
    onEvent: (event: DoorEvent) => void,
  ) {
    this.#settings = settings;
    this.#clock = clock;
    this.#random = random;
    this.#onEvent = onEvent;
    this.#jammed = settings.jammed;
  }

  get state(): DoorState {
    return this.#state;
  }

  /** The cloud asks the lock to open. */
  requestUnlock(): void {
    if (this.#state !== 'locked') return;

    this.#state = 'unlocking';
    this.#unlockAskedAt = this.#clock.now();

    const { unlockMs, unlockJitterMs, unlockTimeoutMs } = this.#settings;
    const delay = Math.max(
      0,
      unlockMs + this.#random.gaussian(0, unlockJitterMs),
    );

    // A lock that is jammed, or too slow to report open in time, is given up
    // on by the cloud after the unlock timeout.
    if (this.#jammed || delay > unlockTimeoutMs) {
      this.#giveUpAfterTimeout();
      return;
    }

    this.#after(delay, () => {
      this.#state = 'unlocked';
      // Armed before anyone hears of the unlock: a listener may open the
      // door at once, which must disarm it.
      this.#after(this.#settings.unopenedTimeoutMs, () => {
        this.#state = 'locked';
        this.#onEvent({ kind: 'relocked-unopened' });
      });
      this.#onEvent({ kind: 'unlocked' });
    });
  }

  /**
   * The lock jams from now on. An unlock under way never completes, and the
   * cloud gives up on it when its timeout is over; a later one fails too. A
   * lock that has already opened is past jamming for this purchase.
   */
  jam(): void {
    this.#jammed = true;
    if (this.#state === 'unlocking') this.#giveUpAfterTimeout();
  }

  /** The shopper pulls the door open; only an unlocked door opens. */
  open(): boolean {
    if (this.#state !== 'unlocked') return false;

    this.#cancelTimer();
    this.#state = 'open';

    const openedAt = this.#clock.now();

    this.#alarmTimer = this.#clock.schedule(this.#settings.alarmAfterMs, () => {
      this.#alarmTimer = undefined;
      this.#onEvent({ kind: 'alarm', openForMs: this.#clock.now() - openedAt });
    });
    this.#onEvent({ kind: 'opened' });

    return true;
  }

  /** The shopper shuts the door; the switch reports it closed. */
  close(): boolean {
    if (this.#state !== 'open') return false;

    this.#alarmTimer?.cancel();
    this.#alarmTimer = undefined;
    this.#state = 'closed';
    this.#onEvent({ kind: 'closed' });

    return true;
  }

  /** The firmware locks a closed door once the purchase is settled. */
  lock(): void {
    if (this.#state === 'closed') this.#state = 'locked';
  }

  /** Stops every pending timer, as when the session is cancelled. */
  dispose(): void {
    this.#cancelTimer();
    this.#alarmTimer?.cancel();
    this.#alarmTimer = undefined;
  }

  #giveUpAfterTimeout(): void {
    const waited = this.#clock.now() - this.#unlockAskedAt;

    this.#after(this.#settings.unlockTimeoutMs - waited, () => {
      this.#state = 'locked';
      this.#onEvent({ kind: 'jammed' });
    });
  }

  #after(delayMs: number, callback: () => void): void {
    this.#cancelTimer();
    this.#timer = this.#clock.schedule(delayMs, () => {
      this.#timer = undefined;
      callback();
    });
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
