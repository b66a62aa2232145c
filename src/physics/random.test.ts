import { describe, expect, it } from 'vitest';
import { meanAndDeviation } from '../../test/support/statistics.js';
import { SeededRandom } from './random.js';

function draws(random: SeededRandom, count: number): number[] {
  return Array.from({ length: count }, () => random.next());
}

describe('SeededRandom', () => {
  describe('#next', () => {
    it('gives the same sequence for the same seed', () => {
      expect(draws(new SeededRandom('cabinet-7'), 100)).toEqual(
        draws(new SeededRandom('cabinet-7'), 100),
      );
    });

    it('gives different sequences for different seeds', () => {
      const first = draws(new SeededRandom('cabinet-7'), 20);
      const second = draws(new SeededRandom('cabinet-8'), 20);

      expect(first).not.toEqual(second);
      expect(first.filter((value, i) => value === second[i])).toEqual([]);
    });

    it('treats a number seed as its decimal text', () => {
      expect(new SeededRandom(42).seed).toBe('42');
      expect(draws(new SeededRandom(42), 10)).toEqual(
        draws(new SeededRandom('42'), 10),
      );
    });

    it('stays within [0, 1) and spreads evenly over it', () => {
      const values = draws(new SeededRandom('uniform'), 20_000);
      const [mean, deviation] = meanAndDeviation(values);
      const tenths = Array.from<number>({ length: 10 }).fill(0);

      for (const value of values) tenths[Math.floor(value * 10)]! += 1;

      expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...values)).toBeLessThan(1);
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
      // A uniform variable on [0, 1) has a standard deviation of 1/√12.
      expect(Math.abs(deviation - 1 / Math.sqrt(12))).toBeLessThan(0.01);
      for (const count of tenths) {
        expect(count).toBeGreaterThan(1_800);
        expect(count).toBeLessThan(2_200);
      }
    });
  });

  describe('#gaussian', () => {
    it('has mean 0 and standard deviation 1 by default', () => {
      const random = new SeededRandom('gauss');
      const [mean, deviation] = meanAndDeviation(
        Array.from({ length: 20_000 }, () => random.gaussian()),
      );

      expect(Math.abs(mean)).toBeLessThan(0.03);
      expect(Math.abs(deviation - 1)).toBeLessThan(0.03);
    });

    it('has the mean and standard deviation it is given', () => {
      const random = new SeededRandom('gauss');
      const [mean, deviation] = meanAndDeviation(
        Array.from({ length: 20_000 }, () => random.gaussian(50, 4)),
      );

      expect(Math.abs(mean - 50)).toBeLessThan(0.12);
      expect(Math.abs(deviation - 4)).toBeLessThan(0.12);
    });

    it('puts about 68 % of draws within one standard deviation', () => {
      const random = new SeededRandom('gauss');
      const values = Array.from({ length: 20_000 }, () => random.gaussian());
      const within = values.filter((value) => Math.abs(value) < 1).length;

      expect(within / values.length).toBeGreaterThan(0.67);
      expect(within / values.length).toBeLessThan(0.69);
    });

    it('gives exactly the mean when the standard deviation is 0', () => {
      const random = new SeededRandom('gauss');

      expect([random.gaussian(800, 0), random.gaussian(800, 0)]).toEqual([
        800, 800,
      ]);
    });
  });

  describe('#fork', () => {
    it('gives the same stream for the same seed and label', () => {
      expect(draws(new SeededRandom('s').fork('cell 1'), 50)).toEqual(
        draws(new SeededRandom('s').fork('cell 1'), 50),
      );
    });

    it('is not changed by what the parent drew before the fork', () => {
      const untouched = new SeededRandom('s');
      const busy = new SeededRandom('s');

      draws(busy, 1_000);
      busy.gaussian();

      expect(draws(busy.fork('door'), 50)).toEqual(
        draws(untouched.fork('door'), 50),
      );
    });

    it('leaves the parent stream unchanged', () => {
      const forked = new SeededRandom('s');
      const plain = new SeededRandom('s');

      draws(forked.fork('door'), 100);

      expect(draws(forked, 50)).toEqual(draws(plain, 50));
    });

    it('gives different streams for different labels', () => {
      const parent = new SeededRandom('s');
      const first = draws(parent.fork('cell 1'), 20);
      const second = draws(parent.fork('cell 2'), 20);

      expect(first).not.toEqual(second);
    });

    it('gives a stream different from the parent', () => {
      const parent = new SeededRandom('s');

      expect(draws(parent.fork('cell 1'), 20)).not.toEqual(
        draws(new SeededRandom('s'), 20),
      );
    });

    it('gives different streams for the same label under different seeds', () => {
      expect(draws(new SeededRandom('s1').fork('door'), 20)).not.toEqual(
        draws(new SeededRandom('s2').fork('door'), 20),
      );
    });
  });
});
