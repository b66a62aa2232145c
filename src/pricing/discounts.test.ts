import { describe, expect, it } from 'vitest';
import { aisle, product } from '../../test/support/catalogue.js';
import type { Aisle } from '../catalogue/cabinet.js';
import { Decimal } from './decimal.js';
import {
  applyDiscounts,
  type AmountOffRule,
  type BuyGetFreeRule,
  type DiscountedAmount,
} from './discounts.js';
import { priceBasket, type PricedLine } from './price-basket.js';

const COLA = 3501;

const cola = aisle(
  6150,
  product({ id: COLA, price: new Decimal('3.00000'), unitWeightGrams: 345 }),
);
const crisps = aisle(
  6161,
  product({ id: 3541, price: new Decimal('7.50000'), unitWeightGrams: 82 }),
);
const water = aisle(
  6151,
  product({ id: 3502, price: new Decimal('2.00000'), unitWeightGrams: 568 }),
);
const noodles = aisle(
  6160,
  product({ id: 3530, price: new Decimal('4.50000'), unitWeightGrams: 144 }),
);
const fruit = aisle(
  5595,
  product({
    id: 3343,
    pricing: 'weighed',
    price: new Decimal('3.08000'),
    unitWeightGrams: undefined,
  }),
);

const buyTwoColasGetOne: BuyGetFreeRule = {
  kind: 'buy-get-free',
  name: '可口可乐 买二送一',
  productId: COLA,
  buy: 2,
  free: 1,
};
const twentyOffThree: AmountOffRule = {
  kind: 'amount-off',
  name: '满20减3',
  minimum: new Decimal('20.00'),
  off: new Decimal('3.00'),
};

function lines(...entries: Array<[Aisle, number]>): readonly PricedLine[] {
  return priceBasket(
    entries.map(([onAisle, quantity]) => ({ aisle: onAisle, quantity })),
    'half-up',
  ).lines;
}

// Money as the wire shows it, at 2 decimals; a value that is not whole fen
// is shown in full, so that it can never equal the fen it rounds to.
const fen = (value: Decimal) =>
  value.decimalPlaces() <= 2 ? value.toFixed(2) : value.toString();

function shown({ discounts, amount }: DiscountedAmount) {
  return {
    discounts: discounts.map((applied) => ({
      ...applied,
      amount: fen(applied.amount),
    })),
    amount: fen(amount),
  };
}

describe('applyDiscounts', () => {
  it('charges 6.00 for 3 colas at 3.00 when two bought give one free', () => {
    const result = applyDiscounts(lines([cola, 3]), [buyTwoColasGetOne]);

    expect(result.amount.eq('6.00')).toBe(true);
    expect(result.discounts[0]!.amount.eq('3.00')).toBe(true);
    expect(shown(result)).toEqual({
      discounts: [
        { name: '可口可乐 买二送一', kind: 'buy-get-free', amount: '3.00' },
      ],
      amount: '6.00',
    });
  });

  it('gives one cola free of 5, and two of 6', () => {
    expect(
      shown(applyDiscounts(lines([cola, 5]), [buyTwoColasGetOne])),
    ).toEqual({
      discounts: [
        { name: '可口可乐 买二送一', kind: 'buy-get-free', amount: '3.00' },
      ],
      amount: '12.00',
    });
    expect(
      shown(applyDiscounts(lines([cola, 6]), [buyTwoColasGetOne])),
    ).toEqual({
      discounts: [
        { name: '可口可乐 买二送一', kind: 'buy-get-free', amount: '6.00' },
      ],
      amount: '12.00',
    });
  });

  it('gives nothing free of 2 colas, and does not list the rule', () => {
    expect(
      shown(applyDiscounts(lines([cola, 2]), [buyTwoColasGetOne])),
    ).toEqual({ discounts: [], amount: '6.00' });
  });

  it('counts the pieces of one product over every aisle that carries it', () => {
    const secondColaAisle = aisle(6152, cola.product);

    expect(
      shown(
        applyDiscounts(lines([cola, 2], [secondColaAisle, 1]), [
          buyTwoColasGetOne,
        ]),
      ),
    ).toEqual({
      discounts: [
        { name: '可口可乐 买二送一', kind: 'buy-get-free', amount: '3.00' },
      ],
      amount: '6.00',
    });
  });

  it('ignores a weighed line that shares the rule product id', () => {
    const weighedCola = aisle(5599, { ...fruit.product, id: COLA });

    expect(
      shown(applyDiscounts(lines([weighedCola, 1500]), [buyTwoColasGetOne])),
    ).toEqual({ discounts: [], amount: '9.24' });
  });

  it('rounds a free piece of a price with 5 decimals half-up to fen', () => {
    const odd = aisle(
      7001,
      product({ id: COLA, price: new Decimal('3.33335') }),
    );

    // 3 pieces are charged 10.00 (10.00005 rounded); the free one is 3.33335.
    expect(shown(applyDiscounts(lines([odd, 3]), [buyTwoColasGetOne]))).toEqual(
      {
        discounts: [
          { name: '可口可乐 买二送一', kind: 'buy-get-free', amount: '3.33' },
        ],
        amount: '6.67',
      },
    );
  });

  it('takes 3.00 off an order of exactly 20.00', () => {
    // 2 bags of crisps at 7.50, a cola at 3.00 and water at 2.00.
    const basket = lines([crisps, 2], [cola, 1], [water, 1]);

    expect(shown(applyDiscounts(basket, [twentyOffThree]))).toEqual({
      discounts: [{ name: '满20减3', kind: 'amount-off', amount: '3.00' }],
      amount: '17.00',
    });
  });

  it('takes nothing off an order of 19.99, and does not list the rule', () => {
    const cheap = aisle(7002, product({ price: new Decimal('19.99') }));

    expect(shown(applyDiscounts(lines([cheap, 1]), [twentyOffThree]))).toEqual({
      discounts: [],
      amount: '19.99',
    });
  });

  it('applies the rules in the order listed, each to what the earlier left', () => {
    // A bag of crisps, 3 colas and a bowl of noodles: 21.00.
    const basket = lines([crisps, 1], [cola, 3], [noodles, 1]);

    // The free cola leaves 18.00, short of 20.00.
    expect(
      shown(applyDiscounts(basket, [buyTwoColasGetOne, twentyOffThree])),
    ).toEqual({
      discounts: [
        { name: '可口可乐 买二送一', kind: 'buy-get-free', amount: '3.00' },
      ],
      amount: '18.00',
    });
    // 21.00 reaches 20.00 first; the cola is free after that.
    expect(
      shown(applyDiscounts(basket, [twentyOffThree, buyTwoColasGetOne])),
    ).toEqual({
      discounts: [
        { name: '满20减3', kind: 'amount-off', amount: '3.00' },
        { name: '可口可乐 买二送一', kind: 'buy-get-free', amount: '3.00' },
      ],
      amount: '15.00',
    });
  });

  it('never takes the amount below 0.00, cutting a rule to what is left', () => {
    const bigOff: AmountOffRule = {
      kind: 'amount-off',
      name: '满0减50',
      minimum: new Decimal('0'),
      off: new Decimal('50.00'),
    };

    expect(
      shown(applyDiscounts(lines([cola, 3]), [buyTwoColasGetOne, bigOff])),
    ).toEqual({
      discounts: [
        { name: '可口可乐 买二送一', kind: 'buy-get-free', amount: '3.00' },
        { name: '满0减50', kind: 'amount-off', amount: '6.00' },
      ],
      amount: '0.00',
    });
  });

  it('does not list a rule that comes after the amount reached 0.00', () => {
    const everything: AmountOffRule = {
      kind: 'amount-off',
      name: '全免',
      minimum: new Decimal('0'),
      off: new Decimal('100.00'),
    };
    const again: AmountOffRule = { ...everything, name: '再减' };

    expect(
      shown(applyDiscounts(lines([cola, 1]), [everything, again])),
    ).toEqual({
      discounts: [{ name: '全免', kind: 'amount-off', amount: '3.00' }],
      amount: '0.00',
    });
  });

  it('gives the sum of the lines when there are no rules', () => {
    expect(shown(applyDiscounts(lines([crisps, 1], [fruit, 394]), []))).toEqual(
      { discounts: [], amount: '9.93' },
    );
  });
});
