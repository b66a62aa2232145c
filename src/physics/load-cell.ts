import type { SeededRandom } from './random.js';

/**
 * One load cell under one aisle, as its ADC reports it. The world passes in
 * the true load on the cell each time the firmware samples; the cell answers
 * with what the scale would show. `NaN` means no reading came (a dead cell).
 */
export interface LoadCell {
  read(trueGrams: number, atMs: number): number;
  /** Something hit the shelf: it rings for a moment, no weight changes. */
  knock(atMs: number, strengthGrams: number): void;
  /**
   * A fault that starts now and lasts for the rest of the session. A
   * drifting cell's zero wanders by `gramsPerMinute`.
   */
  fail(fault: LoadCellFault, atMs: number, gramsPerMinute?: number): void;
}

/**
 * - `stuck`: the reading freezes where it is; nothing taken from the aisle
 *   is seen, so nothing taken is charged.
 * - `dead`: no readings at all.
 * - `spikes`: a burst of wild readings for `SPIKE_BURST_MS`, then normal again.
 * - `drift`: the zero wanders steadily (a failing amplifier, a cell warming
 *   in the sun), far faster than a healthy cell's drift.
 */
export type LoadCellFault = 'stuck' | 'dead' | 'spikes' | 'drift';

export const LOAD_CELL_FAULTS: readonly LoadCellFault[] = [
  'stuck',
  'dead',
  'spikes',
  'drift',
];

/**
 * What a realistic cell does. The defaults and where they come from:
 *
 * - `resolutionGrams` 1: retail shelf scales resolve 1 to 2 g.
 * - `noiseGrams` 0.2 (standard deviation): an HX711-class ADC at 10 samples/s
 *   contributes well under 0.1 g on a 5 kg cell (about 50 nV rms at gain 128);
 *   a shelf in a shop picks up a little more from footsteps and the cooling
 *   fan, so a 1 g display flickers by one count now and then.
 * - `driftGramsPerMinute` 0.3 (standard deviation of the drawn rate): zero
 *   drift of a cell and its amplifier with temperature, as the cabinet's
 *   compressor cycles.
 * - `creepFraction` 0.0002 over `creepMinutes` 30: OIML R 60 class C3 cells
 *   may creep by about 0.02 % of a load change in 30 minutes.
 * - `overshootFraction` 0.2, `ringingHz` 4, `ringDecayMs` 150: a shelf on a
 *   cell is a mass on a spring; a lift or a drop makes it ring for half a
 *   second or so before the reading settles.
 */
export interface LoadCellSettings {
  resolutionGrams: number;
  noiseGrams: number;
  driftGramsPerMinute: number;
  creepFraction: number;
  creepMinutes: number;
  overshootFraction: number;
  ringingHz: number;
  ringDecayMs: number;
}

export const REALISTIC_LOAD_CELL: Readonly<LoadCellSettings> = Object.freeze({
  resolutionGrams: 1,
  noiseGrams: 0.2,
  driftGramsPerMinute: 0.3,
  creepFraction: 0.0002,
  creepMinutes: 30,
  overshootFraction: 0.2,
  ringingHz: 4,
  ringDecayMs: 150,
});

/**
 * A cell in a hard place: a cabinet beside a door that slams and a fridge
 * compressor, an amplifier warming up. Five times the noise and ten times the
 * drift of a realistic cell.
 */
export const NOISY_LOAD_CELL: Readonly<LoadCellSettings> = Object.freeze({
  ...REALISTIC_LOAD_CELL,
  noiseGrams: 1,
  driftGramsPerMinute: 3,
});

/** How long a burst of spikes lasts. */
export const SPIKE_BURST_MS = 800;

const MS_PER_MINUTE = 60_000;

/**
 * A perfect cell: the true load, exactly, at once. Faults still apply; the
 * random source only places the spikes of a burst.
 */
export function createIdealLoadCell(random: SeededRandom): LoadCell {
  return new FaultyCell(
    { read: (trueGrams) => trueGrams, knock: () => undefined },
    random,
  );
}

/** A cell with noise, drift, creep, ringing and quantisation. */
export function createRealisticLoadCell(
  random: SeededRandom,
  settings: LoadCellSettings = REALISTIC_LOAD_CELL,
): LoadCell {
  return new FaultyCell(new RealisticCell(random, settings), random);
}

type HealthyCell = Pick<LoadCell, 'read' | 'knock'>;

interface Ring {
  atMs: number;
  amplitude: number;
  phase: number;
}

interface Creep {
  atMs: number;
  grams: number;
}

// A class rather than a closure: its numbers live in fields of their own, so
// that a cell read ten times a second allocates nothing to remember them.
class RealisticCell implements HealthyCell {
  readonly #random: SeededRandom;
  readonly #settings: LoadCellSettings;
  readonly #driftPerMs: number;
  readonly #creepTauMs: number;
  readonly #ringDecayMs: number;
  readonly #rings: Ring[] = [];
  readonly #creeps: Creep[] = [];
  // NaN until the first reading.
  #startedAt = Number.NaN;
  #lastTrue = Number.NaN;

  constructor(random: SeededRandom, settings: LoadCellSettings) {
    this.#random = random;
    this.#settings = settings;
    this.#driftPerMs =
      random.gaussian(0, settings.driftGramsPerMinute) / MS_PER_MINUTE;
    this.#creepTauMs = (settings.creepMinutes * MS_PER_MINUTE) / 3;
    this.#ringDecayMs = Math.max(settings.ringDecayMs, 1);
  }

  read(trueGrams: number, atMs: number): number {
    const settings = this.#settings;

    if (Number.isNaN(this.#startedAt)) this.#startedAt = atMs;
    if (!Number.isNaN(this.#lastTrue) && trueGrams !== this.#lastTrue) {
      const change = trueGrams - this.#lastTrue;

      this.#rings.push({
        atMs,
        amplitude: change * settings.overshootFraction,
        phase: 0,
      });
      this.#creeps.push({ atMs, grams: change });
    }
    this.#lastTrue = trueGrams;

    const shown =
      trueGrams +
      this.#ringing(atMs) +
      this.#creep(atMs) +
      this.#driftPerMs * (atMs - this.#startedAt) +
      this.#random.gaussian(0, settings.noiseGrams);

    return quantise(shown, settings.resolutionGrams);
  }

  knock(atMs: number, strengthGrams: number): void {
    this.#rings.push({ atMs, amplitude: strengthGrams, phase: Math.PI / 2 });
  }

  #ringing(atMs: number): number {
    const rings = this.#rings;
    const ringDecayMs = this.#ringDecayMs;
    let sum = 0;

    for (let i = rings.length - 1; i >= 0; i--) {
      const ring = rings[i]!;
      const elapsed = atMs - ring.atMs;

      // After eight decay times the ring is below a thousandth of itself.
      if (elapsed > 8 * ringDecayMs) {
        rings.splice(i, 1);
        continue;
      }
      sum +=
        ring.amplitude *
        Math.exp(-elapsed / ringDecayMs) *
        Math.cos(
          2 * Math.PI * this.#settings.ringingHz * (elapsed / 1000) +
            ring.phase,
        );
    }

    return sum;
  }

  #creep(atMs: number): number {
    const creeps = this.#creeps;
    let sum = 0;

    for (let i = 0; i < creeps.length; i++) {
      const step = creeps[i]!;

      sum +=
        step.grams *
        this.#settings.creepFraction *
        (1 - Math.exp(-(atMs - step.atMs) / this.#creepTauMs));
    }

    return sum;
  }
}

function quantise(grams: number, resolution: number): number {
  return resolution > 0 ? Math.round(grams / resolution) * resolution : grams;
}

// Faults sit on top of any model: a stuck or dead ADC looks the same whatever
// the cell behind it does.
class FaultyCell implements LoadCell {
  readonly #healthy: HealthyCell;
  readonly #random: SeededRandom;
  #stuck = false;
  #dead = false;
  #spikesUntil = Number.NEGATIVE_INFINITY;
  #last = Number.NaN;
  #driftFromMs = Number.NaN;
  #driftGramsPerMs = 0;

  constructor(healthy: HealthyCell, random: SeededRandom) {
    this.#healthy = healthy;
    this.#random = random;
  }

  read(trueGrams: number, atMs: number): number {
    if (this.#dead) return Number.NaN;

    const healthy =
      this.#healthy.read(trueGrams, atMs) +
      (Number.isNaN(this.#driftFromMs)
        ? 0
        : Math.round((atMs - this.#driftFromMs) * this.#driftGramsPerMs));

    if (this.#stuck) return this.#last;
    this.#last = healthy;
    if (atMs < this.#spikesUntil) {
      const draw = this.#random.next();

      // About every other reading of a burst is wild, by hundreds of grams.
      if (draw < 0.5)
        return healthy + (draw < 0.25 ? 1 : -1) * (300 + 4000 * draw);
    }

    return healthy;
  }

  knock(atMs: number, strengthGrams: number): void {
    this.#healthy.knock(atMs, strengthGrams);
  }

  fail(fault: LoadCellFault, atMs: number, gramsPerMinute = 0): void {
    if (fault === 'drift') {
      this.#driftFromMs = atMs;
      this.#driftGramsPerMs = gramsPerMinute / MS_PER_MINUTE;
    }
    if (fault === 'dead') this.#dead = true;
    if (fault === 'stuck') this.#stuck = true;
    if (fault === 'spikes') this.#spikesUntil = atMs + SPIKE_BURST_MS;
  }
}
