import type { Clock, Timer } from './clock.js';

interface PendingTimer {
  dueAt: number;
  /** Breaks ties between timers due at the same moment: first scheduled runs first. */
  order: number;
  callback: () => void;
}

/**
 * A clock that moves only when told to. Timers run in due order, and timers
 * they schedule run in the same `advance` if they fall due within it, so a
 * whole session can be played in no wall-clock time.
 */
export class VirtualClock implements Clock {
  #now: number;
  #scheduled = 0;
  readonly #pending = new Set<PendingTimer>();

  constructor(startAt = 0) {
    this.#now = startAt;
  }

  now(): number {
    return this.#now;
  }

  schedule(delayMs: number, callback: () => void): Timer {
    const timer: PendingTimer = {
      dueAt: this.#now + Math.max(0, delayMs),
      order: this.#scheduled++,
      callback,
    };

    this.#pending.add(timer);

    return { cancel: () => this.#pending.delete(timer) };
  }

  get pendingTimers(): number {
    return this.#pending.size;
  }

  /** Calls off every pending timer. */
  cancelAll(): void {
    this.#pending.clear();
  }

  /** When the next timer falls due, if any is pending. */
  nextDueAt(): number | undefined {
    return this.#earliest()?.dueAt;
  }

  /** Moves time forward by `ms`, running every timer that falls due. */
  advance(ms: number): void {
    const until = this.#now + ms;

    for (
      let next = this.#earliest();
      next && next.dueAt <= until;
      next = this.#earliest()
    ) {
      this.#pending.delete(next);
      this.#now = next.dueAt;
      next.callback();
    }
    this.#now = until;
  }

  /** Runs timers until none is left; returns the time it took. */
  runAll(): number {
    const start = this.#now;

    for (let next = this.#earliest(); next; next = this.#earliest()) {
      this.advance(next.dueAt - this.#now);
    }

    return this.#now - start;
  }

  #earliest(): PendingTimer | undefined {
    let earliest: PendingTimer | undefined;

    for (const timer of this.#pending) {
      if (
        !earliest ||
        timer.dueAt < earliest.dueAt ||
        (timer.dueAt === earliest.dueAt && timer.order < earliest.order)
      ) {
        earliest = timer;
      }
    }

    return earliest;
  }
}
