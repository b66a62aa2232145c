import type { Clock, Timer } from './clock.js';
import { TimerQueue } from './timer-queue.js';

/**
 * A clock that moves only when told to. Timers run in due order, and timers
 * they schedule run in the same `advance` if they fall due within it, so a
 * whole session can be played in no wall-clock time.
 */
export class VirtualClock implements Clock {
  #now: number;
  readonly #queue: TimerQueue;

  /** `onEmptied` is called when a cancel leaves no timer pending. */
  constructor(startAt = 0, onEmptied?: () => void) {
    this.#now = startAt;
    this.#queue = new TimerQueue(onEmptied);
  }

  now(): number {
    return this.#now;
  }

  schedule(delayMs: number, callback: () => void): Timer {
    return this.#queue.add(this.#now + Math.max(0, delayMs), callback);
  }

  get pendingTimers(): number {
    return this.#queue.size;
  }

  /** Calls off every pending timer. */
  cancelAll(): void {
    this.#queue.clear();
  }

  /** When the next timer falls due, if any is pending. */
  nextDueAt(): number | undefined {
    return this.#queue.peek()?.dueAt;
  }

  /** Moves time forward by `ms`, running every timer that falls due. */
  advance(ms: number): void {
    const until = this.#now + ms;

    for (;;) {
      const next = this.#queue.peek();

      if (next === undefined || next.dueAt > until) break;
      this.#now = next.dueAt;
      this.#queue.takeDue(until)!();
    }
    this.#now = until;
  }

  /** Runs timers until none is left; returns the time it took. */
  runAll(): number {
    const start = this.#now;

    for (let next = this.#queue.peek(); next; next = this.#queue.peek()) {
      this.advance(next.dueAt - this.#now);
    }

    return this.#now - start;
  }
}
