import { describe, expect, it } from 'vitest';
import { aisle, product } from '../../test/support/catalogue.js';
import { Decimal } from './decimal.js';
import { priceBasket, priceLine } from './price-basket.js';

const fruit = product({
  pricing: 'weighed',
  price: new Decimal('3.08000'),
  unitWeightGrams: undefined,
});
const yoghurt = product({ price: new Decimal('7.90000') });

describe('priceLine', () => {
  it('prices 394 g at 3.08 元/斤 as 2.43, the vendor example', () => {
    expect(priceLine(fruit, 394, 'half-up').toFixed(2)).toBe('2.43');
    expect(priceLine(fruit, 394, 'up').toFixed(2)).toBe('2.43');
  });

  it('prices 2 pieces at 7.90 元/件 as 15.80', () => {
    expect(priceLine(yoghurt, 2, 'half-up').toFixed(2)).toBe('15.80');
  });

  it('rounds 10 g at 3.08 元/斤 (0.0616) to 0.06 half-up but 0.07 up', () => {
    expect(priceLine(fruit, 10, 'half-up').toFixed(2)).toBe('0.06');
    expect(priceLine(fruit, 10, 'up').toFixed(2)).toBe('0.07');
  });

  it('rounds an exact half fen up, where binary floats would round down', () => {
    // 500 g at 1.005 元/斤 is exactly 1.005; (1.005).toFixed(2) is "1.00".
    const cheap = product({
      pricing: 'weighed',
      price: new Decimal('1.00500'),
      unitWeightGrams: undefined,
    });

    expect(priceLine(cheap, 500, 'half-up').toFixed(2)).toBe('1.01');
  });

  it('rounds a counted line whose price has more than 2 decimals', () => {
    const odd = product({ price: new Decimal('3.33333') });

    expect(priceLine(odd, 3, 'half-up').toFixed(2)).toBe('10.00');
    expect(priceLine(odd, 3, 'up').toFixed(2)).toBe('10.00');
    expect(priceLine(odd, 2, 'up').toFixed(2)).toBe('6.67');
  });
});

describe('priceBasket', () => {
  it('sums the rounded lines into the order amount', () => {
    const basket = priceBasket(
      [
        { aisle: aisle(5595, fruit), quantity: 394 },
        { aisle: aisle(6140, yoghurt), quantity: 2 },
      ],
      'half-up',
    );

    expect(basket.lines.map((line) => line.amount.toFixed(2))).toEqual([
      '2.43',
      '15.80',
    ]);
    expect(basket.amount.toFixed(2)).toBe('18.23');
  });

  it('sums the rounded lines, not the raw ones', () => {
    const bulk = product({
      pricing: 'weighed',
      price: new Decimal('1.00000'),
      unitWeightGrams: undefined,
    });
    const basket = priceBasket(
      [
        { aisle: aisle(1, bulk), quantity: 3 },
        { aisle: aisle(2, bulk), quantity: 3 },
      ],
      'half-up',
    );

    // Each line is 0.006 → 0.01; the raw sum 0.012 would round to 0.01.
    expect(basket.lines.map((line) => line.amount.toFixed(2))).toEqual([
      '0.01',
      '0.01',
    ]);
    expect(basket.amount.toFixed(2)).toBe('0.02');
  });

  it('gives 0 for an empty basket', () => {
    expect(priceBasket([], 'half-up').amount.toFixed(2)).toBe('0.00');
  });
});
