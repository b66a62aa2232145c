import type { Aisle, Cabinet } from '../catalogue/cabinet.js';
import { ReadingWindow } from './reading-window.js';

/**
 * How the firmware reads its scales. Defaults and where they come from:
 *
 * - `sampleRateHz` 10: the slower of the two rates of an HX711 (10 or 80
 *   samples/s), chosen by most shelf scales for its lower noise.
 * - `windowSamples` 5 (0.5 s at 10 Hz) and `stableBandGrams` 3: research
 *   stores weigh shelf plates and flag events with a moving-variance test
 *   over about half a second; a window is still when its readings span no
 *   more than three scale divisions.
 * - A change is accepted after `settleWindows` 3 still windows in a row at
 *   the same level (within `confirmBandGrams` 1), so a shelf still ringing
 *   from a lift is never mistaken for settled. The first of them may still
 *   hold the last of the ringing, so only the others (a second of readings)
 *   are averaged into the new weight: averaging that long is what makes
 *   whole grams exact.
 * - `minChangeGrams` 5: smaller changes are drift or crumbs and are tracked
 *   into the zero, as scales do with automatic zero tracking.
 * - `countTolerance` 0.2: a change on a counted aisle is N pieces when it lies
 *   within 20 % of one unit weight of N × unit weight.
 */
export interface FirmwareSettings {
  sampleRateHz: number;
  windowSamples: number;
  stableBandGrams: number;
  confirmBandGrams: number;
  settleWindows: number;
  minChangeGrams: number;
  countTolerance: number;
}

export const DEFAULT_FIRMWARE: Readonly<FirmwareSettings> = Object.freeze({
  sampleRateHz: 10,
  windowSamples: 5,
  stableBandGrams: 3,
  confirmBandGrams: 1,
  settleWindows: 3,
  minChangeGrams: 5,
  countTolerance: 0.2,
});

/** A weight change the firmware could not turn into goods; nothing is charged for it. */
export interface Anomaly {
  aisleId: number;
  kind:
    /** Not a whole number of pieces, or a change on an aisle of nothing. */
    | 'unexplained-change'
    /**
     * More came back than the basket held from this aisle; what it held is
     * returned, `grams` is the surplus.
     */
    | 'more-returned-than-taken'
    /** The cell stopped answering. */
    | 'no-reading'
    /**
     * The scale never came to rest before the purchase was priced (a cell
     * too noisy for the firmware's stability band, a shelf still swinging):
     * `grams` is how far its recent readings lay from its last settled
     * weight.
     */
    | 'unsettled';
  /** The settled change in grams; positive when weight left the aisle. */
  grams: number;
  atMs: number;
}

export type FirmwareEvent =
  | { kind: 'basket-changed'; aisleId: number; quantity: number }
  | { kind: 'anomaly'; anomaly: Anomaly };

interface AisleScale {
  aisle: Aisle;
  /** The last `settleWindows × windowSamples` readings, oldest first. */
  recent: ReadingWindow;
  /**
   * The settled weight the basket is measured from; NaN until tared (a
   * number field, so that updating it ten times a second allocates nothing).
   */
  level: number;
  missedReadings: number;
  reportedDead: boolean;
}

/**
 * The cabinet's firmware: it watches every aisle's scale, accepts a weight
 * only once it is still, and turns each settled change into pieces or grams
 * in the basket. It never sees what the shopper did, only what the scales say.
 */
export class WeightFirmware {
  readonly settings: FirmwareSettings;
  readonly #scales = new Map<number, AisleScale>();
  readonly #basket = new Map<number, number>();

  constructor(cabinet: Cabinet, settings: FirmwareSettings = DEFAULT_FIRMWARE) {
    this.settings = settings;
    for (const aisle of cabinet.aisles.values()) {
      this.#scales.set(aisle.aisleId, {
        aisle,
        recent: new ReadingWindow(
          settings.settleWindows * settings.windowSamples,
        ),
        level: Number.NaN,
        missedReadings: 0,
        reportedDead: false,
      });
    }
  }

  /** Milliseconds between samples. */
  get sampleIntervalMs(): number {
    return 1000 / this.settings.sampleRateHz;
  }

  /** Pieces or grams in the basket per aisle, in the order first taken. */
  basket(): ReadonlyMap<number, number> {
    return this.#basket;
  }

  /**
   * Takes one reading of one aisle and returns what it changed: the basket,
   * an anomaly, or nothing. An aisle not yet tared is tared on its first
   * still window.
   */
  sample(
    aisleId: number,
    grams: number,
    atMs: number,
  ): readonly FirmwareEvent[] {
    const scale = this.#scales.get(aisleId);

    if (!scale) return NO_EVENTS;
    // A cell that gives no reading, or nonsense, has not been read.
    if (typeof grams !== 'number' || !Number.isFinite(grams))
      return this.#missed(scale, atMs);

    const { recent } = scale;
    const { windowSamples } = this.settings;

    scale.missedReadings = 0;
    recent.push(grams);
    if (recent.length < windowSamples) return NO_EVENTS;

    const latestFrom = recent.length - windowSamples;

    if (!this.#still(recent, latestFrom, windowSamples)) return NO_EVENTS;

    const latestMean = recent.mean(latestFrom, windowSamples);

    if (Number.isNaN(scale.level)) {
      scale.level = latestMean;
      return NO_EVENTS;
    }

    const change = scale.level - latestMean;

    if (Math.abs(change) < this.settings.minChangeGrams) {
      // Zero tracking: follow slow drift while nothing happens, averaging
      // over a couple of seconds so that noise does not move the zero.
      scale.level += (latestMean - scale.level) / (4 * windowSamples);
      return NO_EVENTS;
    }
    if (recent.length < recent.capacity) return NO_EVENTS;

    const measuredCount = recent.length - windowSamples;
    const settled = recent.mean(windowSamples, measuredCount);

    if (
      !this.#still(recent, 0, windowSamples) ||
      !this.#still(recent, windowSamples, measuredCount) ||
      Math.abs(recent.mean(0, windowSamples) - settled) >
        this.settings.confirmBandGrams
    ) {
      return NO_EVENTS;
    }

    const removed = scale.level - settled;

    scale.level = settled;

    return this.#explain(scale.aisle, removed, atMs);
  }

  /**
   * Zeroes every still scale at its current weight, as the firmware does when
   * the lock opens; a scale that is moving is zeroed on its next still
   * window. The basket is unchanged.
   */
  tare(): void {
    const { windowSamples } = this.settings;

    for (const scale of this.#scales.values()) {
      const { recent } = scale;
      const latestFrom = recent.length - windowSamples;

      scale.level =
        latestFrom >= 0 && this.#still(recent, latestFrom, windowSamples)
          ? recent.mean(latestFrom, windowSamples)
          : Number.NaN;
    }
  }

  /**
   * Whether every scale is still and has nothing left to report: the moment
   * after the door closes when the basket can be priced.
   */
  isSettled(): boolean {
    for (const scale of this.#scales.values()) {
      if (!this.#done(scale)) return false;
    }

    return true;
  }

  /**
   * Whether one aisle has nothing left to report: settled, or its cell
   * reported as giving no readings.
   */
  isAisleDone(aisleId: number): boolean {
    const scale = this.#scales.get(aisleId);

    return scale !== undefined && this.#done(scale);
  }

  /**
   * Whether one aisle's scale is still at its zero with nothing to report:
   * more readings of it change nothing but the zero's slow tracking.
   */
  isAisleSettled(aisleId: number): boolean {
    const scale = this.#scales.get(aisleId);

    return scale !== undefined && this.#settled(scale);
  }

  /**
   * The anomalies of giving up on still scales, for a purchase priced
   * without waiting any longer: every aisle whose latest window of readings
   * lies at least `minChangeGrams` from its last settled weight, which the basket
   * therefore never counted. Aisles never read, or whose cell gives no
   * readings, have nothing to say.
   */
  unsettledAnomalies(atMs: number): Anomaly[] {
    const anomalies: Anomaly[] = [];

    for (const scale of this.#scales.values()) {
      const { recent } = scale;

      if (
        scale.reportedDead ||
        Number.isNaN(scale.level) ||
        recent.length === 0 ||
        this.#settled(scale)
      ) {
        continue;
      }

      // The latest window: where the scale is now, not where it came from.
      const count = Math.min(this.settings.windowSamples, recent.length);
      const removedGrams =
        scale.level - recent.mean(recent.length - count, count);

      if (Math.abs(removedGrams) >= this.settings.minChangeGrams) {
        anomalies.push({
          aisleId: scale.aisle.aisleId,
          kind: 'unsettled',
          grams: round1(removedGrams),
          atMs,
        });
      }
    }

    return anomalies;
  }

  /**
   * Takes a window of fresh readings of a settled aisle that has not been
   * read for a while, and moves its zero to them, where zero tracking would
   * have brought it had the aisle been read all along. Readings that are not
   * still, or not near the zero, change nothing: the samples that follow
   * deal with them as always.
   *
   * An aisle never read before has stood untouched since the session began,
   * so its zero is simply their mean, still or not: what taring it at the
   * lock's click would have found, averaged longer.
   */
  catchUp(aisleId: number, readings: readonly number[]): void {
    const scale = this.#scales.get(aisleId);

    if (
      scale === undefined ||
      readings.length === 0 ||
      !readings.every(Number.isFinite)
    ) {
      return;
    }

    const neverRead = Number.isNaN(scale.level) && scale.recent.length === 0;
    const nearZero =
      !Number.isNaN(scale.level) &&
      Math.max(...readings) - Math.min(...readings) <=
        this.settings.stableBandGrams &&
      Math.abs(mean(readings) - scale.level) < this.settings.minChangeGrams;

    if (neverRead || nearZero) {
      scale.level = mean(readings);
      for (const grams of readings.slice(-this.settings.windowSamples)) {
        scale.recent.push(grams);
      }
    }
  }

  #done(scale: AisleScale): boolean {
    return scale.reportedDead || this.#settled(scale);
  }

  #settled(scale: AisleScale): boolean {
    const { recent } = scale;

    return (
      !Number.isNaN(scale.level) &&
      recent.length >= recent.capacity &&
      this.#still(recent, 0, recent.length) &&
      Math.abs(scale.level - recent.mean(0, recent.length)) <
        this.settings.minChangeGrams
    );
  }

  #explain(aisle: Aisle, removedGrams: number, atMs: number): FirmwareEvent[] {
    const { product } = aisle;
    const anomaly = (kind: Anomaly['kind'], grams: number): FirmwareEvent => ({
      kind: 'anomaly',
      anomaly: { aisleId: aisle.aisleId, kind, grams: round1(grams), atMs },
    });
    const unit = product.unitWeightGrams ?? 1;
    let quantity: number;

    if (product.pricing === 'weighed') {
      quantity = Math.round(removedGrams);
    } else {
      quantity = Math.round(removedGrams / unit);
      if (
        quantity === 0 ||
        Math.abs(removedGrams - quantity * unit) >
          this.settings.countTolerance * unit
      ) {
        return [anomaly('unexplained-change', removedGrams)];
      }
    }

    const before = this.#basket.get(aisle.aisleId) ?? 0;
    const after = before + quantity;

    if (after > 0) {
      this.#basket.set(aisle.aisleId, after);
      return [
        { kind: 'basket-changed', aisleId: aisle.aisleId, quantity: after },
      ];
    }

    // More came back than the basket holds from this aisle: what was taken
    // is returned in full, and the surplus is goods from somewhere else.
    this.#basket.delete(aisle.aisleId);

    const events: FirmwareEvent[] = [];

    if (before > 0)
      events.push({
        kind: 'basket-changed',
        aisleId: aisle.aisleId,
        quantity: 0,
      });
    if (after < 0) {
      const surplusGrams =
        product.pricing === 'weighed' ? after : removedGrams + before * unit;

      events.push(anomaly('more-returned-than-taken', surplusGrams));
    }

    return events;
  }

  #missed(scale: AisleScale, atMs: number): readonly FirmwareEvent[] {
    scale.missedReadings += 1;
    if (
      scale.reportedDead ||
      scale.missedReadings < this.settings.windowSamples
    ) {
      return NO_EVENTS;
    }

    scale.reportedDead = true;
    return [
      {
        kind: 'anomaly',
        anomaly: {
          aisleId: scale.aisle.aisleId,
          kind: 'no-reading',
          grams: 0,
          atMs,
        },
      },
    ];
  }

  #still(recent: ReadingWindow, from: number, count: number): boolean {
    return recent.span(from, count) <= this.settings.stableBandGrams;
  }
}

// Returned when a reading changes nothing, which is nearly always: one
// shared empty list rather than a new one per reading.
const NO_EVENTS: readonly FirmwareEvent[] = Object.freeze([]);

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
