/**
 * The last few readings of one scale, oldest first, in a fixed ring: the
 * firmware looks at every aisle ten times a second, and a window that
 * allocates nothing per reading keeps that cheap for thousands of cabinets.
 * Positions count from the oldest reading kept.
 *
 * @example
 * const window = new ReadingWindow(3);
 * for (const grams of [1, 2, 3, 4]) window.push(grams);
 * window.mean(0, 3); // 3, the mean of 2, 3 and 4
 */
export class ReadingWindow {
  readonly capacity: number;
  readonly #ring: Float64Array;
  #length = 0;
  #next = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
    this.#ring = new Float64Array(this.capacity);
  }

  /** Readings held, at most `capacity`. */
  get length(): number {
    return this.#length;
  }

  /** Adds the newest reading; the oldest goes when the window is full. */
  push(grams: number): void {
    this.#ring[this.#next] = grams;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#length < this.capacity) this.#length += 1;
  }

  /** Highest minus lowest of `count` readings from position `from`. */
  span(from: number, count: number): number {
    let lowest = Number.POSITIVE_INFINITY;
    let highest = Number.NEGATIVE_INFINITY;

    for (let i = 0; i < count; i++) {
      const grams = this.#at(from + i);

      if (grams < lowest) lowest = grams;
      if (grams > highest) highest = grams;
    }

    return highest - lowest;
  }

  /** Mean of `count` readings from position `from`, summed oldest first. */
  mean(from: number, count: number): number {
    let sum = 0;

    for (let i = 0; i < count; i++) sum += this.#at(from + i);

    return sum / count;
  }

  #at(position: number): number {
    const oldest = this.#next - this.#length + this.capacity;

    return this.#ring[(oldest + position) % this.capacity]!;
  }
}
