import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

type Generator = ReturnType<typeof xoroshiro128plus>;

/**
 * A seeded source of randomness. Every model draws from one of these, so that
 * the same seed and the same inputs give the same session, byte for byte.
 */
export class SeededRandom {
  readonly seed: string;
  readonly #generator: Generator;
  // Box-Muller makes two numbers at a time; the second waits here. A number
  // field with a flag beside it, so that keeping it allocates nothing.
  #spareGaussian = 0;
  #hasSpare = false;

  constructor(seed: string | number) {
    this.seed = String(seed);
    this.#generator = xoroshiro128plus(seedToInt(this.seed));
  }

  /** A number in [0, 1). */
  next(): number {
    return uniformFloat64(this.#generator);
  }

  /** A normally distributed number, by the Box-Muller transform. */
  gaussian(mean = 0, standardDeviation = 1): number {
    if (this.#hasSpare) {
      const spare = this.#spareGaussian;

      this.#hasSpare = false;
      return mean + standardDeviation * spare;
    }

    const u = 1 - this.next(); // in (0, 1], so the logarithm is finite
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));

    this.#spareGaussian = radius * Math.sin(2 * Math.PI * v);
    this.#hasSpare = true;
    return mean + standardDeviation * radius * Math.cos(2 * Math.PI * v);
  }

  /**
   * An independent generator for one named part of the system, such as one
   * aisle's load cell. Its stream depends only on this generator's seed and
   * the name, so a model drawing more numbers leaves every other model's
   * stream unchanged.
   */
  fork(label: string): SeededRandom {
    return new SeededRandom(`${this.seed}/${label}`);
  }
}

// FNV-1a over the seed's text: any string or number becomes a 32-bit seed.
function seedToInt(seed: string | number): number {
  let hash = 0x811c9dc5;

  for (const byte of Buffer.from(String(seed), 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }

  return hash | 0;
}
