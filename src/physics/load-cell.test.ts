import { describe, expect, it } from 'vitest';
import { meanAndDeviation } from '../../test/support/statistics.js';
import {
  createIdealLoadCell,
  createRealisticLoadCell,
  REALISTIC_LOAD_CELL,
  SPIKE_BURST_MS,
  type LoadCell,
  type LoadCellSettings,
} from './load-cell.js';
import { SeededRandom } from './random.js';

const STEP_MS = 100;

// No drift and no creep: what is left is noise, ringing and quantisation.
const STEADY: LoadCellSettings = {
  ...REALISTIC_LOAD_CELL,
  driftGramsPerMinute: 0,
  creepFraction: 0,
};

// Nothing but the ringing, unquantised, so its shape can be read exactly.
const RINGING_ONLY: LoadCellSettings = {
  ...STEADY,
  noiseGrams: 0,
  resolutionGrams: 0,
};

function readSteps(
  cell: LoadCell,
  trueGrams: number,
  fromMs: number,
  count: number,
): number[] {
  return Array.from({ length: count }, (_, i) =>
    cell.read(trueGrams, fromMs + i * STEP_MS),
  );
}

describe('createRealisticLoadCell', () => {
  it('reads a constant load with a mean on it and a spread of about one count', () => {
    const cell = createRealisticLoadCell(new SeededRandom('cell'), STEADY);
    const readings = readSteps(cell, 1350, 0, 5_000);
    const [mean, deviation] = meanAndDeviation(readings);

    expect(Math.abs(mean - 1350)).toBeLessThan(0.03);
    // Noise of 0.2 g rounded to whole grams: about one reading in eighty is
    // a count off, a spread of about 0.11 g.
    expect(deviation).toBeGreaterThan(0.08);
    expect(deviation).toBeLessThan(0.15);
    expect(Math.min(...readings)).toBe(1349);
    expect(Math.max(...readings)).toBe(1351);
  });

  it('reads whole grams at a resolution of 1 g', () => {
    const cell = createRealisticLoadCell(new SeededRandom('cell'), STEADY);
    const readings = readSteps(cell, 1350.4, 0, 1_000);

    expect(readings.filter((grams) => !Number.isInteger(grams))).toEqual([]);
  });

  it('reads even grams only at a resolution of 2 g', () => {
    const cell = createRealisticLoadCell(new SeededRandom('cell'), {
      ...STEADY,
      resolutionGrams: 2,
      noiseGrams: 2,
    });
    const readings = readSteps(cell, 1351, 0, 1_000);

    expect(readings.filter((grams) => grams % 2 !== 0)).toEqual([]);
    expect(new Set(readings).size).toBeGreaterThan(2);
  });

  it('drifts linearly with time at a rate drawn once per cell', () => {
    const cell = createRealisticLoadCell(new SeededRandom('drift'), {
      ...RINGING_ONLY,
      driftGramsPerMinute: 60,
    });
    const readings = readSteps(cell, 1000, 0, 1_201);
    // Grams per minute over the first minute and over the second.
    const firstSlope = readings[600]! - readings[0]!;
    const secondSlope = readings[1_200]! - readings[600]!;

    expect(readings[0]).toBe(1000);
    expect(Math.abs(firstSlope)).toBeGreaterThan(1);
    expect(secondSlope).toBeCloseTo(firstSlope, 9);
    expect(readings[300]! - 1000).toBeCloseTo(firstSlope / 2, 9);
  });

  it('draws a different drift rate for a different seed', () => {
    const settings = { ...RINGING_ONLY, driftGramsPerMinute: 60 };
    const driftOver = (seed: string) => {
      const cell = createRealisticLoadCell(new SeededRandom(seed), settings);

      cell.read(1000, 0);
      return cell.read(1000, 60_000) - 1000;
    };

    expect(driftOver('drift')).not.toBeCloseTo(driftOver('other drift'), 3);
  });

  it('overshoots a step change by the overshoot fraction of the change', () => {
    const cell = createRealisticLoadCell(
      new SeededRandom('ring'),
      RINGING_ONLY,
    );

    readSteps(cell, 1350, 0, 10);

    // 200 g lifted: the plate springs past the new load by 0.2 × 200 g.
    expect(cell.read(1150, 1_000)).toBeCloseTo(1110, 9);
  });

  it('rings after a step change and settles within 1.5 g of the new load after 1 s', () => {
    const cell = createRealisticLoadCell(new SeededRandom('ring'), STEADY);

    readSteps(cell, 1350, 0, 10);
    const after = readSteps(cell, 1150, 1_000, 11);

    expect(Math.abs(after[0]! - 1110)).toBeLessThanOrEqual(1);
    expect(Math.abs(after[10]! - 1150)).toBeLessThanOrEqual(1.5);
  });

  it('rings after a knock and settles back within 1.5 g after 1 s', () => {
    const cell = createRealisticLoadCell(new SeededRandom('knock'), STEADY);

    readSteps(cell, 1350, 0, 10);
    cell.knock(1_000, 100);
    const after = readSteps(cell, 1350, 1_000, 11);
    const swings = after.slice(0, 4).map((grams) => grams - 1350);

    expect(Math.max(...swings.map(Math.abs))).toBeGreaterThan(20);
    expect(swings.some((grams) => grams > 10)).toBe(true);
    expect(swings.some((grams) => grams < -10)).toBe(true);
    expect(Math.abs(after[10]! - 1350)).toBeLessThanOrEqual(1.5);
  });

  describe('faults', () => {
    it('reads NaN from a dead cell from then on', () => {
      const cell = createRealisticLoadCell(new SeededRandom('dead'), STEADY);

      expect(cell.read(1350, 0)).toBe(1350);

      cell.fail('dead', 100);

      expect(readSteps(cell, 1350, 100, 20).every(Number.isNaN)).toBe(true);
      expect(Number.isNaN(cell.read(0, 5_000))).toBe(true);
    });

    it('keeps showing the last reading of a stuck cell whatever the load does', () => {
      const cell = createRealisticLoadCell(new SeededRandom('stuck'), STEADY);
      const last = readSteps(cell, 1350, 0, 10).at(-1)!;

      cell.fail('stuck', 1_000);

      expect(readSteps(cell, 1150, 1_000, 10)).toEqual(Array(10).fill(last));
      expect(readSteps(cell, 0, 2_000, 10)).toEqual(Array(10).fill(last));
      expect(cell.read(5_000, 60_000)).toBe(last);
    });

    it('reads wild values during a burst of spikes and none after it', () => {
      const cell = createRealisticLoadCell(new SeededRandom('spikes'), STEADY);

      readSteps(cell, 1350, 0, 10);
      cell.fail('spikes', 1_000);
      const during = readSteps(cell, 1350, 1_000, SPIKE_BURST_MS / STEP_MS);
      const after = readSteps(cell, 1350, 1_000 + SPIKE_BURST_MS, 100);
      const offBy = (grams: number) => Math.abs(grams - 1350);
      const wild = during.filter((grams) => offBy(grams) >= 300);
      // Noise moves a healthy reading or a spike by at most 2 g.
      const neither = during.filter(
        (grams) => offBy(grams) > 2 && offBy(grams) < 298,
      );

      expect(wild.length).toBeGreaterThan(0);
      expect(neither).toEqual([]);
      expect(after.filter((grams) => offBy(grams) > 2)).toEqual([]);
    });
  });
});

describe('createIdealLoadCell', () => {
  it('reads the true load exactly, unquantised', () => {
    const cell = createIdealLoadCell(new SeededRandom('ideal'));

    expect([
      cell.read(1350, 0),
      cell.read(1150.25, 100),
      cell.read(0, 200),
    ]).toEqual([1350, 1150.25, 0]);
  });

  it('does not ring after a knock', () => {
    const cell = createIdealLoadCell(new SeededRandom('ideal'));

    cell.read(1350, 0);
    cell.knock(100, 500);

    expect(readSteps(cell, 1350, 100, 10)).toEqual(Array(10).fill(1350));
  });

  it('reads NaN once dead', () => {
    const cell = createIdealLoadCell(new SeededRandom('ideal'));

    cell.read(1350, 0);
    cell.fail('dead', 100);

    expect(readSteps(cell, 1350, 100, 5).every(Number.isNaN)).toBe(true);
  });

  it('keeps showing its last reading once stuck', () => {
    const cell = createIdealLoadCell(new SeededRandom('ideal'));

    cell.read(1350, 0);
    cell.fail('stuck', 100);

    expect(readSteps(cell, 950, 100, 5)).toEqual(Array(5).fill(1350));
  });

  it('reads spikes of at least 300 g during a burst and the true load after it', () => {
    const cell = createIdealLoadCell(new SeededRandom('ideal'));

    cell.fail('spikes', 0);
    const during = readSteps(cell, 1350, 0, SPIKE_BURST_MS / STEP_MS);
    const spikes = during.filter((grams) => grams !== 1350);

    expect(spikes.length).toBeGreaterThan(0);
    expect(spikes.every((grams) => Math.abs(grams - 1350) >= 300)).toBe(true);
    expect(readSteps(cell, 1350, SPIKE_BURST_MS, 20)).toEqual(
      Array(20).fill(1350),
    );
  });
});
