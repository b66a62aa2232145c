import type { Clock, Timer } from './clock.js';
import { VirtualClock } from './virtual-clock.js';

const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * A session's own time, kept in step with an outside clock (usually the wall
 * clock) at `speed` times its pace. Timers run on a virtual clock, so they
 * run in exactly the order and at exactly the times they were scheduled for,
 * however late the outside timer that wakes them fires on a busy machine:
 * a live session behaves as the same session played in virtual time, only
 * its frames may leave a little late.
 */
export class PacedClock implements Clock {
  readonly #outside: Clock;
  readonly #speed: number;
  readonly #virtual: VirtualClock;
  readonly #outsideStart: number;
  #wakeUp: Timer | undefined;
  #wakeUpAt: number | undefined;
  #stopped = false;
  #advancing = false;

  constructor(outside: Clock, speed: number) {
    this.#outside = outside;
    this.#speed = speed;
    this.#outsideStart = outside.now();
    // With nothing left to wait for, nothing should stay armed outside: a
    // wall-clock timer would keep the process alive.
    this.#virtual = new VirtualClock(this.#outsideStart, () => this.#sleep());
  }

  now(): number {
    return this.#virtual.now();
  }

  schedule(delayMs: number, callback: () => void): Timer {
    const timer = this.#virtual.schedule(delayMs, callback);

    this.#arm();

    // A cancelled timer is not worth re-arming for: the wake-up it leaves
    // behind finds nothing due and arms for the next one.
    return timer;
  }

  /**
   * Stops for good: pending timers never run, not even those due in the
   * wake-up that calls this, and timers scheduled later never run either.
   */
  stop(): void {
    this.#stopped = true;
    this.#virtual.cancelAll();
    this.#sleep();
  }

  #sleep(): void {
    this.#wakeUp?.cancel();
    this.#wakeUp = undefined;
    this.#wakeUpAt = undefined;
  }

  /** Where session time should be now, by the outside clock. */
  dueNow(): number {
    return this.#due();
  }

  #due(): number {
    return (
      this.#outsideStart +
      (this.#outside.now() - this.#outsideStart) * this.#speed
    );
  }

  #arm(): void {
    if (this.#stopped) return;

    const next = this.#virtual.nextDueAt();

    if (next === this.#wakeUpAt) return;
    this.#sleep();
    if (next === undefined) return;

    const delay = Math.max(0, (next - this.#due()) / this.#speed);

    // Node's timers cannot wait longer than about 24.8 days; a longer wait is
    // taken in steps (waking early runs nothing and arms again).
    this.#wakeUpAt = next;
    this.#wakeUp = this.#outside.schedule(
      Math.min(delay, MAX_TIMER_DELAY_MS),
      this.#onWakeUp,
    );
  }

  /**
   * Brings session time up to where the outside clock says it should be,
   * running every timer that fell due meanwhile, for something that happens
   * from outside the session's own timers (a step sent through the control
   * API): a session with nothing to do sleeps, and its time stands still
   * while it does. Called from inside one of its timers, it does nothing.
   */
  catchUp(): void {
    if (this.#stopped || this.#advancing) return;
    this.#advanceToNow();
    this.#arm();
  }

  // Made once: a session wakes ten times a second while its scales move.
  readonly #onWakeUp = (): void => {
    this.#wakeUp = undefined;
    this.#wakeUpAt = undefined;
    this.#advanceToNow();
    this.#arm();
  };

  #advanceToNow(): void {
    this.#advancing = true;
    try {
      this.#virtual.advance(Math.max(0, this.#due() - this.#virtual.now()));
    } finally {
      this.#advancing = false;
    }
  }
}
