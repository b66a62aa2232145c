import type { Aisle } from '../catalogue/cabinet.js';
import type { BasketEntry } from '../pricing/price-basket.js';

/**
 * What the shopper holds: per aisle, the grams or pieces taken and not put
 * back. Lines keep the order in which their aisles were first taken from.
 */
export class Basket {
  readonly #entries = new Map<number, BasketEntry>();

  /** Grams or pieces taken from `aisle` and not yet put back. */
  quantityFrom(aisle: Aisle): number {
    return this.#entries.get(aisle.aisleId)?.quantity ?? 0;
  }

  take(aisle: Aisle, quantity: number): void {
    this.#entries.set(aisle.aisleId, {
      aisle,
      quantity: this.quantityFrom(aisle) + quantity,
    });
  }

  /** Puts back at most what was taken; returns what is left in the basket. */
  putBack(aisle: Aisle, quantity: number): number {
    const left = this.quantityFrom(aisle) - quantity;

    if (left > 0) {
      this.#entries.set(aisle.aisleId, { aisle, quantity: left });
    } else {
      this.#entries.delete(aisle.aisleId);
    }

    return Math.max(left, 0);
  }

  get isEmpty(): boolean {
    return this.#entries.size === 0;
  }

  entries(): BasketEntry[] {
    return [...this.#entries.values()];
  }
}
