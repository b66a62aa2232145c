import { Decimal } from './decimal.js';
import type { PricedLine } from './price-basket.js';

/**
 * Of every `buy + free` pieces of one counted product in an order, `free` are
 * not charged: 买二送一 is `buy` 2, `free` 1.
 */
export interface BuyGetFreeRule {
  kind: 'buy-get-free';
  /** Shown to the shopper; unique within a cabinet. */
  name: string;
  productId: number;
  buy: number;
  free: number;
}

/**
 * `off` is taken off an order whose amount, after the rules listed before
 * this one, is at least `minimum`: 满20减3 is `minimum` 20.00, `off` 3.00.
 */
export interface AmountOffRule {
  kind: 'amount-off';
  /** Shown to the shopper; unique within a cabinet. */
  name: string;
  minimum: Decimal;
  off: Decimal;
}

/** A discount rule of a cabinet's catalogue. */
export type DiscountRule = BuyGetFreeRule | AmountOffRule;

export type DiscountKind = DiscountRule['kind'];

export const DISCOUNT_KINDS: readonly DiscountKind[] = [
  'buy-get-free',
  'amount-off',
];

/** What one rule took off an order. */
export interface AppliedDiscount {
  name: string;
  kind: DiscountKind;
  /** At 2 decimals, more than 0. */
  amount: Decimal;
}

export interface DiscountedAmount {
  /** The rules that took something off, in the order they were applied. */
  discounts: AppliedDiscount[];
  /** What is left to pay, never below 0.00. */
  amount: Decimal;
}

// A price has at most 14 digits; enough that a price times a count of pieces
// is exact, so the only rounding is the one to fen.
const Exact = Decimal.clone({ precision: 60 });

const ZERO = new Decimal(0);

/**
 * Applies `rules` one after another to the order of `lines`, starting from
 * the sum of the line amounts (the basket amount of `priceBasket`). A rule
 * that takes nothing off is left out; a rule that would take more than is
 * left takes what is left.
 *
 * @example
 * // 3 colas at 3.00 under 买二送一:
 * applyDiscounts(lines, [{ kind: 'buy-get-free', name: '买二送一',
 *   productId: 3501, buy: 2, free: 1 }])
 * // { discounts: [{ name: '买二送一', kind: 'buy-get-free', amount: 3.00 }],
 * //   amount: 6.00 }
 */
export function applyDiscounts(
  lines: readonly PricedLine[],
  rules: readonly DiscountRule[],
): DiscountedAmount {
  const discounts: AppliedDiscount[] = [];
  let amount = lines.reduce((sum, line) => sum.plus(line.amount), ZERO);

  for (const rule of rules) {
    const wanted =
      rule.kind === 'buy-get-free'
        ? buyGetFreeDiscount(lines, rule)
        : amount.gte(rule.minimum)
          ? rule.off
          : ZERO;
    const taken = Decimal.min(wanted, amount);

    if (taken.lte(0)) continue;

    discounts.push({ name: rule.name, kind: rule.kind, amount: taken });
    amount = amount.minus(taken);
  }

  return { discounts, amount };
}

function buyGetFreeDiscount(
  lines: readonly PricedLine[],
  rule: BuyGetFreeRule,
): Decimal {
  const counted = lines.filter(
    ({ aisle }) =>
      aisle.product.id === rule.productId &&
      aisle.product.pricing === 'counted',
  );
  const pieces = counted.reduce((sum, line) => sum + line.quantity, 0);
  const freePieces = Math.floor(pieces / (rule.buy + rule.free)) * rule.free;

  if (freePieces === 0) return ZERO;

  // The catalogue refuses a rule whose product has two prices; should lines
  // built in code have two, the free pieces are the cheapest, as at a till.
  const unitPrice = Decimal.min(
    ...counted.map(({ aisle }) => aisle.product.price),
  );

  // A line amount is fen, but a unit price may have up to 5 decimals: 3
  // pieces at 3.33333 are charged 10.00, and one of them free is 3.33333.
  // Only then does a discount need rounding, half-up to fen. An amount-off
  // rule never does: `off` has at most 2 decimals, and what is left of an
  // order (fen lines less fen discounts) is always fen.
  return new Decimal(
    new Exact(unitPrice)
      .times(freePieces)
      .toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
  );
}
