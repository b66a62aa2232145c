import type { Aisle, Cabinet } from '../catalogue/cabinet.js';
import type { SeededRandom } from './random.js';

/**
 * Pieces of one product are not all the same weight: filling machines are
 * allowed a tolerance, so each piece is drawn around the unit weight with
 * this relative spread (standard deviation).
 */
export const PIECE_WEIGHT_SPREAD = 0.01;

/** The tray an aisle's goods stand on; the firmware tares it away. */
export const TRAY_GRAMS = 350;

interface AisleLoad {
  aisle: Aisle;
  /** Weights of the pieces on a counted aisle, the front one last. */
  pieces: number[];
  /** Their total, kept as they change: the cells weigh it ten times a second. */
  piecesGrams: number;
  /** Grams of a weighed product on the aisle. */
  bulkGrams: number;
  /** Things on the aisle that are not its product: misplaced goods, litter. */
  strayGrams: number;
}

/**
 * What is physically in the cabinet and in the shopper's hands. Scenarios act
 * on the world; the load cells weigh it; nothing here knows about baskets or
 * prices.
 */
export class CabinetWorld {
  readonly #aisles = new Map<number, AisleLoad>();
  /** Per product aisle: the pieces (weights) or grams the shopper holds. */
  readonly #hand = new Map<number, number[]>();

  constructor(cabinet: Cabinet, random: SeededRandom) {
    for (const aisle of cabinet.aisles.values()) {
      const { product } = aisle;
      const pieces =
        product.pricing === 'counted'
          ? Array.from({ length: aisle.stock }, () =>
              random.gaussian(
                product.unitWeightGrams!,
                product.unitWeightGrams! * PIECE_WEIGHT_SPREAD,
              ),
            )
          : [];

      this.#aisles.set(aisle.aisleId, {
        aisle,
        pieces,
        piecesGrams: sum(pieces),
        bulkGrams: product.pricing === 'weighed' ? aisle.stock : 0,
        strayGrams: 0,
      });
    }
  }

  /** Everything resting on the aisle's load cell, tray included. */
  trueGrams(aisleId: number): number {
    const load = this.#load(aisleId);
    return TRAY_GRAMS + load.piecesGrams + load.bulkGrams + load.strayGrams;
  }

  /** Pieces (counted aisle) or grams (weighed) of its product on the aisle. */
  onShelf(aisleId: number): number {
    const load = this.#load(aisleId);

    return load.aisle.product.pricing === 'counted'
      ? load.pieces.length
      : load.bulkGrams;
  }

  /** Pieces or grams of the aisle's product in the shopper's hands. */
  held(aisleId: number): number {
    const held = this.#held(aisleId);

    return this.#load(aisleId).aisle.product.pricing === 'counted'
      ? held.length
      : held.reduce((sum, grams) => sum + grams, 0);
  }

  /** Lifts `quantity` pieces or grams off the aisle into the shopper's hand. */
  take(aisleId: number, quantity: number): void {
    const load = this.#load(aisleId);
    const held = this.#held(aisleId);

    if (load.aisle.product.pricing === 'counted') {
      held.push(...load.pieces.splice(load.pieces.length - quantity, quantity));
      load.piecesGrams = sum(load.pieces);
    } else {
      load.bulkGrams -= quantity;
      held.push(quantity);
    }
  }

  /**
   * Puts back pieces or grams of the product taken from `fromAisleId`, onto
   * `ontoAisleId`: the same aisle, or another one by mistake.
   */
  putBack(fromAisleId: number, quantity: number, ontoAisleId: number): void {
    const from = this.#load(fromAisleId);
    const held = this.#held(fromAisleId);
    const returned =
      from.aisle.product.pricing === 'counted'
        ? held.splice(held.length - quantity, quantity)
        : takeGrams(held, quantity);
    const onto = this.#load(ontoAisleId);

    if (ontoAisleId !== fromAisleId) {
      onto.strayGrams += returned.reduce((sum, grams) => sum + grams, 0);
    } else if (from.aisle.product.pricing === 'counted') {
      onto.pieces.push(...returned);
      onto.piecesGrams = sum(onto.pieces);
    } else {
      onto.bulkGrams += quantity;
    }
  }

  /** Leaves something that is not for sale on the aisle. */
  placeObject(aisleId: number, grams: number): void {
    this.#load(aisleId).strayGrams += grams;
  }

  #load(aisleId: number): AisleLoad {
    const load = this.#aisles.get(aisleId);

    if (!load) throw new RangeError(`the cabinet has no aisle ${aisleId}`);

    return load;
  }

  #held(aisleId: number): number[] {
    let held = this.#hand.get(aisleId);

    if (!held) this.#hand.set(aisleId, (held = []));

    return held;
  }
}

// Grams of a weighed product leave the hand as one lump of `quantity` grams.
function takeGrams(held: number[], quantity: number): number[] {
  const total = held.reduce((sum, grams) => sum + grams, 0) - quantity;

  held.length = 0;
  if (total > 0) held.push(total);

  return [quantity];
}

// Oldest piece first, as the total has always been summed.
function sum(grams: readonly number[]): number {
  return grams.reduce((total, piece) => total + piece, 0);
}
