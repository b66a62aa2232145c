import type { JournalLine, OrderJournal } from '../journal/order-journal.js';
import {
  toOrderRecord,
  type OrderRecord,
  type RecordedOrder,
} from '../journal/order-record.js';
import type { Order } from './order.js';

/** An order as the emulator keeps it, with what happened to it since. */
export interface KeptOrder {
  order: OrderRecord;
  /** When a manual-payment order was paid at its page; undefined while unpaid. */
  paidAt: number | undefined;
}

/**
 * How many orders a long-running emulator keeps in memory. A busy load test
 * makes thousands an hour; the oldest are let go first (the journal, when
 * there is one, keeps them all).
 */
export const KEPT_ORDERS = 10_000;

export interface OrderBookOptions {
  limit?: number;
  /** Where every order and payment is written before it is kept. */
  journal?: OrderJournal;
}

/** The orders the cloud made, newest last, findable by `tradeNo`. */
export class OrderBook {
  readonly #byTradeNo = new Map<string, KeptOrder>();
  readonly #limit: number;
  readonly #journal: OrderJournal | undefined;

  constructor({ limit = KEPT_ORDERS, journal }: OrderBookOptions = {}) {
    this.#limit = limit;
    this.#journal = journal;
  }

  /**
   * Keeps an order, journalled first: when the journal cannot be written
   * this throws and the order is not kept, so that the purchase fails rather
   * than tell the shopper of an order that would not survive a restart.
   */
  record(order: Order): void {
    const record = toOrderRecord(order);

    this.#journal?.appendOrder(record);
    this.#keep(record, undefined);
  }

  find(tradeNo: string): KeptOrder | undefined {
    return this.#byTradeNo.get(tradeNo);
  }

  /**
   * Marks a manual-payment order paid, journalled first. Returns false when
   * there is no such order, it was paid password-free, or it is paid already.
   */
  markPaid(tradeNo: string, atMs: number): boolean {
    const kept = this.#byTradeNo.get(tradeNo);

    if (!kept || kept.order.isCreditPay === '1' || kept.paidAt !== undefined)
      return false;
    this.#journal?.appendPayment(tradeNo, atMs);
    kept.paidAt = atMs;

    return true;
  }

  /**
   * Takes back what a journal holds, without writing it again. Returns the
   * payment lines of orders it does not hold (their order line was lost).
   */
  restore(lines: readonly JournalLine[]): JournalLine[] {
    const orphans: JournalLine[] = [];

    for (const line of lines) {
      const { entry } = line;

      if (entry.event === 'order') {
        const { event: _event, ...record } = entry;

        this.#keep(record, undefined);
      } else {
        const kept = this.#byTradeNo.get(entry.tradeNo);

        if (kept) kept.paidAt = Date.parse(entry.paidAt);
        else orphans.push(line);
      }
    }

    return orphans;
  }

  /** Every kept order, oldest first. */
  list(): KeptOrder[] {
    return [...this.#byTradeNo.values()];
  }

  /** Every kept order as plain data, oldest first, for API users. */
  recorded(): RecordedOrder[] {
    return this.list().map(({ order, paidAt }) => ({
      ...structuredClone(order),
      paid: order.isCreditPay === '1' || paidAt !== undefined,
      paidAt: paidAt === undefined ? undefined : new Date(paidAt).toISOString(),
    }));
  }

  #keep(order: OrderRecord, paidAt: number | undefined): void {
    // A tradeNo met again (a replay with a fixed seed in the same second)
    // is the newer order; moving it to the end keeps the book in order.
    this.#byTradeNo.delete(order.tradeNo);
    this.#byTradeNo.set(order.tradeNo, { order, paidAt });

    // A Map iterates in insertion order, so the first key is the oldest.
    if (this.#byTradeNo.size > this.#limit) {
      const oldest = this.#byTradeNo.keys().next().value;

      if (oldest !== undefined) this.#byTradeNo.delete(oldest);
    }
  }
}
