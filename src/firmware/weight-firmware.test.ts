import { describe, expect, it } from 'vitest';
import { aisle, product } from '../../test/support/catalogue.js';
import type { Cabinet } from '../catalogue/cabinet.js';
import { Decimal } from '../pricing/decimal.js';
import {
  DEFAULT_FIRMWARE,
  WeightFirmware,
  type FirmwareEvent,
} from './weight-firmware.js';

const YOGHURT = 11;
const TOMATOES = 12;

const cabinet: Cabinet = {
  name: 'test',
  description: '',
  file: 'test.json',
  deviceNos: [],
  deviceScenarios: new Map(),
  models: { door: 'ideal', loadCell: 'ideal' },
  discounts: [],
  aisles: new Map([
    [
      YOGHURT,
      aisle(
        YOGHURT,
        product({ price: new Decimal('7.90000'), unitWeightGrams: 200 }),
        10,
      ),
    ],
    [
      TOMATOES,
      aisle(
        TOMATOES,
        product({
          id: 2,
          pricing: 'weighed',
          price: new Decimal('3.08000'),
          unitWeightGrams: undefined,
        }),
        10,
      ),
    ],
  ]),
};

// Most tests count samples against a gate of two still windows (1 s); the
// default of three is tested on its own below.
const TWO_WINDOWS = { ...DEFAULT_FIRMWARE, settleWindows: 2 };

/**
 * Feeds readings at 10 Hz on one shared clock. `feed` gives the events of
 * every sample, so a test can say which sample an event came on.
 */
function scales(settings = TWO_WINDOWS) {
  const firmware = new WeightFirmware(cabinet, settings);
  let atMs = 0;

  const feed = (aisleId: number, grams: number, times = 1) => {
    const perSample: Array<readonly FirmwareEvent[]> = [];

    for (let i = 0; i < times; i++) {
      perSample.push(firmware.sample(aisleId, grams, atMs));
      atMs += firmware.sampleIntervalMs;
    }

    return perSample;
  };

  // Every event of a run of samples, in order.
  const events = (aisleId: number, grams: number, times = 1) =>
    feed(aisleId, grams, times).flat();

  const readings = (aisleId: number, values: readonly number[]) =>
    values.flatMap((grams) => events(aisleId, grams));

  return { firmware, feed, events, readings, at: () => atMs };
}

// A firmware whose yoghurt aisle is tared at `grams` and quiet.
function taredYoghurt(grams = 1000) {
  const built = scales();

  built.events(YOGHURT, grams, 10);

  return built;
}

const changed = (aisleId: number, quantity: number): FirmwareEvent => ({
  kind: 'basket-changed',
  aisleId,
  quantity,
});

describe('WeightFirmware', () => {
  it('samples every 100 ms at 10 Hz', () => {
    expect(new WeightFirmware(cabinet).sampleIntervalMs).toBe(100);
    expect(
      new WeightFirmware(cabinet, { ...DEFAULT_FIRMWARE, sampleRateHz: 80 })
        .sampleIntervalMs,
    ).toBe(12.5);
  });

  it('by default accepts a change only after three still windows, measured on the last two', () => {
    const { feed, events } = scales(DEFAULT_FIRMWARE);

    events(YOGHURT, 1000, 15);

    // The first still window after the lift reads 799 g (the last of the
    // ringing), then the shelf is quiet at 800 g.
    const perSample = [...feed(YOGHURT, 799, 5), ...feed(YOGHURT, 800, 10)];

    expect(perSample.slice(0, 14).flat()).toEqual([]);
    expect(perSample[14]).toEqual([changed(YOGHURT, 1)]);
  });

  it('takes the first still window as the tare and reports nothing for it', () => {
    const { firmware, feed } = scales();

    expect(feed(YOGHURT, 1000, 20).flat()).toEqual([]);
    expect(firmware.basket().size).toBe(0);
  });

  it('ignores readings of an aisle the cabinet does not have', () => {
    const { events } = scales();

    expect(events(99, 1000, 20)).toEqual([]);
  });

  it('puts a taken piece in the basket only after two still windows at its level', () => {
    const { firmware, feed } = taredYoghurt();
    const perSample = feed(YOGHURT, 800, 10);

    expect(perSample.slice(0, 9)).toEqual(Array(9).fill([]));
    expect(perSample[9]).toEqual([changed(YOGHURT, 1)]);
    expect([...firmware.basket()]).toEqual([[YOGHURT, 1]]);
  });

  it('reports nothing while the readings keep ringing around a new level', () => {
    const { firmware, readings } = taredYoghurt();
    const ringing = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? 798 : 802,
    );

    expect(readings(YOGHURT, ringing)).toEqual([]);
    expect(firmware.basket().size).toBe(0);
    expect(firmware.isSettled()).toBe(false);
  });

  it('accepts a change once the ringing has died down', () => {
    const { readings, events } = taredYoghurt();

    readings(YOGHURT, [760, 830, 775, 815, 790, 806, 797, 802]);

    expect(events(YOGHURT, 800, 10)).toEqual([changed(YOGHURT, 1)]);
  });

  it('counts two pieces taken at once as 2', () => {
    const { events } = taredYoghurt();

    expect(events(YOGHURT, 600, 10)).toEqual([changed(YOGHURT, 2)]);
  });

  describe('count tolerance of 20 % of a 200 g piece', () => {
    it.each([
      [240, 'at the upper edge'],
      [160, 'at the lower edge'],
    ])('counts %d g removed as one piece, %s', (removed) => {
      const { events } = taredYoghurt();

      expect(events(YOGHURT, 1000 - removed, 10)).toEqual([
        changed(YOGHURT, 1),
      ]);
    });

    it.each([241, 159, 300])(
      'reports %d g removed as an unexplained change and charges nothing',
      (removed) => {
        const { firmware, events } = taredYoghurt();

        expect(events(YOGHURT, 1000 - removed, 10)).toEqual([
          {
            kind: 'anomaly',
            anomaly: {
              aisleId: YOGHURT,
              kind: 'unexplained-change',
              grams: removed,
              atMs: 1_900,
            },
          },
        ]);
        expect(firmware.basket().size).toBe(0);
      },
    );

    it('reports a change smaller than half a piece as unexplained', () => {
      const { events } = taredYoghurt();

      expect(events(YOGHURT, 980, 10)).toEqual([
        {
          kind: 'anomaly',
          anomaly: {
            aisleId: YOGHURT,
            kind: 'unexplained-change',
            grams: 20,
            atMs: 1_900,
          },
        },
      ]);
    });
  });

  it('weighs 394.4 g taken from a weighed aisle as 394 g', () => {
    const { firmware, events } = scales();

    events(TOMATOES, 2000, 10);

    expect(events(TOMATOES, 1605.6, 10)).toEqual([changed(TOMATOES, 394)]);
    expect([...firmware.basket()]).toEqual([[TOMATOES, 394]]);
  });

  it('keeps the aisles in the basket in the order first taken', () => {
    const { firmware, events } = scales();

    events(TOMATOES, 2000, 10);
    events(YOGHURT, 1000, 10);
    events(YOGHURT, 800, 10);
    events(TOMATOES, 1500, 10);

    expect([...firmware.basket()]).toEqual([
      [YOGHURT, 1],
      [TOMATOES, 500],
    ]);
  });

  it('takes a piece put back out of the basket, and the aisle out at zero', () => {
    const { firmware, events } = taredYoghurt();

    expect(events(YOGHURT, 600, 10)).toEqual([changed(YOGHURT, 2)]);
    expect(events(YOGHURT, 800, 10)).toEqual([changed(YOGHURT, 1)]);
    expect(events(YOGHURT, 1000, 10)).toEqual([changed(YOGHURT, 0)]);
    expect(firmware.basket().has(YOGHURT)).toBe(false);
  });

  it('returns what was taken and reports the surplus when more comes back', () => {
    const { firmware, events } = taredYoghurt();

    events(YOGHURT, 800, 10);

    // One piece taken, two put back: the basket is emptied, one is surplus.
    expect(events(YOGHURT, 1200, 10)).toEqual([
      { kind: 'basket-changed', aisleId: YOGHURT, quantity: 0 },
      {
        kind: 'anomaly',
        anomaly: {
          aisleId: YOGHURT,
          kind: 'more-returned-than-taken',
          grams: -200,
          atMs: 2_900,
        },
      },
    ]);
    expect(firmware.basket().size).toBe(0);

    // Taking one piece again charges one: the shopper holds just that.
    expect(events(YOGHURT, 1000, 10)).toEqual([
      { kind: 'basket-changed', aisleId: YOGHURT, quantity: 1 },
    ]);
  });

  it('reports surplus put back on an aisle nothing was taken from, with no basket change', () => {
    const { firmware, events } = taredYoghurt();

    expect(events(YOGHURT, 1200, 10)).toEqual([
      {
        kind: 'anomaly',
        anomaly: {
          aisleId: YOGHURT,
          kind: 'more-returned-than-taken',
          grams: -200,
          atMs: 1_900,
        },
      },
    ]);
    expect(firmware.basket().size).toBe(0);
  });

  it('ignores a single wild reading in a still stream', () => {
    const { firmware, readings, events } = taredYoghurt();

    expect(readings(YOGHURT, [1000, 1000, 1800, 1000, 1000])).toEqual([]);
    expect(events(YOGHURT, 1000, 30)).toEqual([]);

    events(TOMATOES, 2000, 10);

    expect(firmware.isSettled()).toBe(true);
  });

  it('tracks slow drift below the smallest change into the zero', () => {
    const { firmware, readings } = taredYoghurt();
    // 0.5 g/s for 100 s: 50 g in all, never 5 g between two windows.
    const drifting = Array.from({ length: 1_000 }, (_, i) =>
      Math.round(1000 + 0.05 * (i + 1)),
    );

    expect(readings(YOGHURT, drifting)).toEqual([]);
    expect(firmware.basket().size).toBe(0);
    expect(firmware.isSettled()).toBe(false); // the tomatoes were never read

    readings(TOMATOES, Array(10).fill(2000));

    expect(firmware.isSettled()).toBe(true);
  });

  it('counts a piece taken from a drifted zero as one piece', () => {
    const { readings, events } = taredYoghurt();

    readings(
      YOGHURT,
      Array.from({ length: 400 }, (_, i) => Math.round(1000 + 0.05 * (i + 1))),
    );

    expect(events(YOGHURT, 820, 10)).toEqual([changed(YOGHURT, 1)]);
  });

  describe('#unsettledAnomalies', () => {
    it('reports a scale that never came to rest after a change, with the grams it was off', () => {
      const { firmware, readings, at } = taredYoghurt();

      // 426 g gone, but the readings swing by 4 g, wider than the 3 g band.
      expect(
        readings(YOGHURT, [574, 578, 574, 578, 574, 578, 574, 578]),
      ).toEqual([]);
      expect(firmware.unsettledAnomalies(at())).toEqual([
        { aisleId: YOGHURT, kind: 'unsettled', grams: 423.6, atMs: at() },
      ]);
      expect(firmware.basket().size).toBe(0);
    });

    it('says nothing of settled scales, untouched ones, or noise around the zero', () => {
      const { firmware, readings, events, at } = taredYoghurt();

      readings(YOGHURT, [998, 1002, 998, 1002]);
      events(TOMATOES, Number.NaN);
      expect(firmware.unsettledAnomalies(at())).toEqual([]);
    });
  });

  describe('missing readings', () => {
    it('reports no-reading once, after a window of missed readings', () => {
      const { feed, events } = taredYoghurt();
      const perSample = feed(YOGHURT, Number.NaN, 5);

      expect(perSample.slice(0, 4)).toEqual(Array(4).fill([]));
      expect(perSample[4]).toEqual([
        {
          kind: 'anomaly',
          anomaly: {
            aisleId: YOGHURT,
            kind: 'no-reading',
            grams: 0,
            atMs: 1_400,
          },
        },
      ]);
      expect(events(YOGHURT, Number.NaN, 50)).toEqual([]);
    });

    it('starts counting again after a reading comes through', () => {
      const { events } = taredYoghurt();

      events(YOGHURT, Number.NaN, 4);
      events(YOGHURT, 1000);

      expect(events(YOGHURT, Number.NaN, 4)).toEqual([]);
    });

    it('leaves a dead scale out of the settled check', () => {
      const { firmware, events } = scales();

      events(TOMATOES, 2000, 10);
      events(YOGHURT, Number.NaN, 5);

      expect(firmware.isSettled()).toBe(true);
    });
  });

  describe('#catchUp', () => {
    it('zeroes an aisle never read at the mean of its readings, still or not', () => {
      const { firmware, events } = scales();

      // A 6 g spread is not still, but the aisle has stood untouched.
      firmware.catchUp(YOGHURT, [998, 1003, 1000, 1002, 997]);

      expect(events(YOGHURT, 800, 10)).toEqual([changed(YOGHURT, 1)]);
    });

    it('keeps the zero of an aisle read before when the readings are far from it', () => {
      const { firmware, events } = taredYoghurt();

      firmware.catchUp(YOGHURT, Array(5).fill(800));

      expect(events(YOGHURT, 800, 10)).toEqual([changed(YOGHURT, 1)]);
    });

    it('moves the zero of an aisle read before to still readings near it', () => {
      const { firmware, events } = taredYoghurt();

      firmware.catchUp(YOGHURT, Array(5).fill(1003));

      expect(events(YOGHURT, 1003, 10)).toEqual([]);
      expect(events(YOGHURT, 803, 10)).toEqual([changed(YOGHURT, 1)]);
    });

    it('ignores readings that are not all numbers', () => {
      const { firmware, events } = scales();

      firmware.catchUp(YOGHURT, [1000, Number.NaN, 1000]);

      // Not zeroed: the first still window becomes the zero.
      expect(events(YOGHURT, 800, 10)).toEqual([]);
    });
  });

  describe('#isSettled', () => {
    it('is false before every scale has two windows of readings', () => {
      const { firmware, events } = scales();

      events(YOGHURT, 1000, 10);
      events(TOMATOES, 2000, 9);

      expect(firmware.isSettled()).toBe(false);

      events(TOMATOES, 2000);

      expect(firmware.isSettled()).toBe(true);
    });

    it('is false while a change waits for its second still window', () => {
      const { firmware, feed } = scales();

      feed(TOMATOES, 2000, 10);
      feed(YOGHURT, 1000, 10);
      const perSample = feed(YOGHURT, 800, 9);

      expect(perSample.flat()).toEqual([]);
      expect(firmware.isSettled()).toBe(false);

      expect(feed(YOGHURT, 800)).toEqual([[changed(YOGHURT, 1)]]);
      expect(firmware.isSettled()).toBe(true);
    });

    it('is false while a scale is moving', () => {
      const { firmware, events, readings } = scales();

      events(TOMATOES, 2000, 10);
      events(YOGHURT, 1000, 10);
      readings(YOGHURT, [1000, 1004]);

      expect(firmware.isSettled()).toBe(false);
    });
  });
});
