import type { Clock, Timer } from './clock.js';
import { TimerQueue } from './timer-queue.js';

const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * How often at most the Node timer wakes the process: timers falling due
 * within one such slice of wall time run together at its end. Each wake-up
 * of the process costs more than the work it does for a handful of sessions
 * (the event loop's round, cold caches); a cabinet reads its scales every
 * 100 ms, so a 10 ms slice is never felt, and it lets ten thousand sessions
 * share about a hundred wake-ups a second instead of a thousand.
 */
export const TIMER_SLICE_MS = 10;

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
  readonly #sliceMs: number;
  readonly #queue = new TimerQueue(() => this.#disarm());
  #handle: NodeJS.Timeout | undefined;
  #handleDueAt = Number.POSITIVE_INFINITY;
  #running = false;

  /** `sliceMs` 1 wakes for every distinct millisecond, as Node's own do. */
  constructor(sliceMs = TIMER_SLICE_MS) {
    this.#sliceMs = Math.max(1, sliceMs);
  }

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

    // The end of the slice the timer falls in; timers already late run now.
    const wakeAt = Math.ceil(next.dueAt / this.#sliceMs) * this.#sliceMs;

    this.#handle = setTimeout(
      this.#runDueNow,
      Math.min(Math.max(0, wakeAt - Date.now()), MAX_TIMER_DELAY_MS),
    );
  }

  #disarm(): void {
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#handleDueAt = Number.POSITIVE_INFINITY;
  }

  readonly #runDueNow = (): void => this.#runDue();

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
