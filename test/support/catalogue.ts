import type { Aisle, Product } from '../../src/catalogue/cabinet.js';
import { Decimal } from '../../src/pricing/decimal.js';

/** A counted product of 1 元 and 100 g a piece, changed by `overrides`. */
export function product(overrides: Partial<Product> = {}): Product {
  return {
    id: 1,
    name: 'p',
    typeName: 't',
    pricing: 'counted',
    price: new Decimal('1'),
    costPrice: new Decimal('0'),
    unitWeightGrams: 100,
    image: 'p.jpg',
    ...overrides,
  };
}

/** An aisle of `stock` of `product` on shelf 1, on the cabinet's load cell. */
export function aisle(aisleId: number, onIt: Product, stock = 10_000): Aisle {
  return { aisleId, shelf: 1, stock, product: onIt, loadCell: undefined };
}
