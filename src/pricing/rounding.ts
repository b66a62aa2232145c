import { Decimal, type DecimalRounding } from './decimal.js';

/**
 * How a line amount is brought to whole fen (2 decimals). The vendor document
 * does not say; its worked example (394 g at 3.08 元/斤 is 2.43) fits both.
 * Half-up is the default; `up` matches another vendor of weight cabinets.
 */
export type RoundingMode = 'half-up' | 'up';

export const ROUNDING_MODES: readonly RoundingMode[] = ['half-up', 'up'];

const decimalRounding: Record<RoundingMode, DecimalRounding> = {
  'half-up': Decimal.ROUND_HALF_UP,
  up: Decimal.ROUND_UP,
};

/** Rounds a money value to whole fen. */
export function toFen(value: Decimal, mode: RoundingMode): Decimal {
  return value.toDecimalPlaces(2, decimalRounding[mode]);
}
