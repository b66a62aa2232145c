import type { Decimal } from '../pricing/decimal.js';
import { WireFormatError } from '../errors.js';

/**
 * A number written with a fixed count of decimals. The cloud is a Java service
 * whose BigDecimal values keep their scale in JSON (`3.08000`, `15.80`), which
 * `JSON.stringify` of a JavaScript number cannot reproduce (`3.08`, `15.8`).
 */
export class ScaledNumber {
  readonly value: Decimal;
  readonly scale: number;

  constructor(value: Decimal, scale: number) {
    if (!value.isFinite() || value.decimalPlaces() > scale) {
      throw new WireFormatError(
        `${value.toString()} cannot be written at scale ${scale} without rounding`,
      );
    }
    this.value = value;
    this.scale = scale;
  }

  toWire(): string {
    return this.value.toFixed(this.scale);
  }
}

export type WireValue =
  | string
  | boolean
  | number
  | ScaledNumber
  | readonly WireValue[]
  | { readonly [key: string]: WireValue };

/**
 * Writes a value as compact JSON, keys in insertion order, with every
 * `ScaledNumber` at its scale. Plain numbers must be safe integers: anything
 * with decimals on this wire is money and must be a `ScaledNumber`.
 */
export function toWireJson(value: WireValue): string {
  if (typeof value === 'string' || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new WireFormatError(
        `${value} is not a safe integer; decimals must be written as ScaledNumber`,
      );
    }
    return String(value);
  }
  if (value instanceof ScaledNumber) {
    return value.toWire();
  }
  if (Array.isArray(value)) {
    return `[${value.map(toWireJson).join(',')}]`;
  }

  const members = Object.entries(value).map(
    ([key, member]) => `${JSON.stringify(key)}:${toWireJson(member)}`,
  );

  return `{${members.join(',')}}`;
}
