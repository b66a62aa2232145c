import { describe, expect, it } from 'vitest';
import { Decimal } from '../pricing/decimal.js';
import { OrderBook } from './order-book.js';
import type { Order } from './order.js';

function order(tradeNo: string, creditPay = false): Order {
  return {
    tradeNo,
    deviceNo: 'D-1',
    createdAt: 0,
    amount: new Decimal('7.50'),
    discounts: [],
    creditPay,
    orderInfo: creditPay ? '' : `/pay/${tradeNo}`,
    lines: [],
  };
}

describe('OrderBook', () => {
  it('finds orders by tradeNo and lists them oldest first', () => {
    const book = new OrderBook();

    book.record(order('1'));
    book.record(order('2'));

    expect(book.find('2')?.order.tradeNo).toBe('2');
    expect(book.list().map(({ order }) => order.tradeNo)).toEqual(['1', '2']);
  });

  it('lets the oldest order go once it holds its limit', () => {
    const book = new OrderBook({ limit: 2 });

    book.record(order('1'));
    book.record(order('2'));
    book.record(order('3'));

    expect(book.find('1')).toBeUndefined();
    expect(book.list().map(({ order }) => order.tradeNo)).toEqual(['2', '3']);
  });

  it('marks a manual-payment order paid once, and never one paid password-free', () => {
    const book = new OrderBook();

    book.record(order('manual'));
    book.record(order('free', true));

    expect(book.markPaid('manual', 42)).toBe(true);
    expect(book.find('manual')?.paidAt).toBe(42);
    expect(book.markPaid('manual', 43)).toBe(false);
    expect(book.markPaid('free', 42)).toBe(false);
    expect(book.markPaid('unknown', 42)).toBe(false);
  });
});
