/** A scheduled callback that can be called off. */
export interface Timer {
  cancel(): void;
}

/**
 * The one source of time for the cabinet. Everything that waits or stamps a
 * time goes through a clock, so that a session can later run on virtual time
 * as well as on the wall clock.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `callback` once, `delayMs` milliseconds from now. */
  schedule(delayMs: number, callback: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),

  schedule(delayMs, callback) {
    const handle = setTimeout(callback, delayMs);

    return { cancel: () => clearTimeout(handle) };
  },
};
