import type { Clock, Timer } from './clock.js';
import { TimerQueue } from './timer-queue.js';

const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * The wall clock, with every timer of every session kept in one queue behind
 * a single Node timer. Thousands of sessions each waking ten times a second
 * would otherwise make and drop that many Node timeouts, with their closures
 * and handles, which is most of what the garbage collector has to do under
 * load. Timers due at the same millisecond run in the order they were set,
 * as Node's own do.
 *
 * @example
 * const clock = new SharedTimers();
 * const timer = clock.schedule(100, () => console.log('later'));
 * timer.cancel();
 */
export class SharedTimers implements Clock {
  readonly #queue = new TimerQueue(() => this.#disarm());
  #handle: NodeJS.Timeout | undefined;
  #handleDueAt = Number.POSITIVE_INFINITY;
  #running = false;

  now(): number {
    return Date.now();
  }

  /** Timers set and neither run nor cancelled yet. */
  get pendingTimers(): number {
    return this.#queue.size;
  }

  schedule(delayMs: number, callback: () => void): Timer {
    const delay = Number.isFinite(delayMs) ? Math.max(0, delayMs) : 0;
    const timer = this.#queue.add(Date.now() + delay, callback);

    // While due timers run, the queue is looked at again before returning.
    if (!this.#running) this.#arm();

    return timer;
  }

  #arm(): void {
    const next = this.#queue.peek();

    if (next === undefined) {
      this.#disarm();
      return;
    }
    if (this.#handle !== undefined && this.#handleDueAt <= next.dueAt) return;
    this.#disarm();
    this.#handleDueAt = next.dueAt;
    this.#handle = setTimeout(
      () => this.#runDue(),
      Math.min(Math.max(0, next.dueAt - Date.now()), MAX_TIMER_DELAY_MS),
    );
  }

  #disarm(): void {
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#handleDueAt = Number.POSITIVE_INFINITY;
  }

  #runDue(): void {
    this.#handle = undefined;
    this.#handleDueAt = Number.POSITIVE_INFINITY;
    this.#running = true;
    try {
      const now = Date.now();

      for (
        let callback = this.#queue.takeDue(now);
        callback !== undefined;
        callback = this.#queue.takeDue(now)
      ) {
        callback();
      }
    } finally {
      this.#running = false;
      this.#arm();
    }
  }
}
