import { Decimal } from './decimal.js';
import type { Aisle, Product } from '../catalogue/cabinet.js';
import { toFen, type RoundingMode } from './rounding.js';

/** A weighed product is priced per 斤, and one 斤 is 500 g. */
export const GRAMS_PER_JIN = 500;

// Enough significant digits that no product of a price (at most 14 digits)
// and a quantity is ever rounded before the one rounding to fen.
const Exact = Decimal.clone({ precision: 60 });

export interface BasketEntry {
  aisle: Aisle;
  /** Grams of a weighed product, pieces of a counted one. */
  quantity: number;
}

export interface PricedLine extends BasketEntry {
  /** The line total in 元, at 2 decimals. */
  amount: Decimal;
}

export interface PricedBasket {
  lines: PricedLine[];
  /** The sum of the line totals. */
  amount: Decimal;
}

/**
 * The total of one line: grams / 500 × price for a weighed product, pieces ×
 * price for a counted one, rounded once to whole fen.
 *
 * @example priceLine(fruitAt3_08, 394, 'half-up') // 2.43
 */
export function priceLine(
  product: Product,
  quantity: number,
  rounding: RoundingMode,
): Decimal {
  const price = new Exact(product.price);
  const raw =
    product.pricing === 'weighed'
      ? price.times(quantity).dividedBy(GRAMS_PER_JIN)
      : price.times(quantity);

  return toFen(new Decimal(raw), rounding);
}

/**
 * Prices every entry and sums the rounded lines, as the order amount is the
 * sum of what each line shows.
 */
export function priceBasket(
  entries: readonly BasketEntry[],
  rounding: RoundingMode,
): PricedBasket {
  const lines = entries.map((entry) => ({
    ...entry,
    amount: priceLine(entry.aisle.product, entry.quantity, rounding),
  }));
  const amount = lines.reduce(
    (sum, line) => sum.plus(line.amount),
    new Decimal(0),
  );

  return { lines, amount };
}
