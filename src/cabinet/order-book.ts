import type { Order } from './order.js';

/** An order as the emulator keeps it, with what happened to it since. */
export interface KeptOrder {
  order: Order;
  /** When a manual-payment order was paid at its page; undefined while unpaid. */
  paidAt: number | undefined;
}

/**
 * How many orders a long-running emulator keeps in memory. A busy load test
 * makes thousands an hour; the oldest are let go first.
 */
export const KEPT_ORDERS = 10_000;

/** The orders the cloud made, newest last, findable by `tradeNo`. */
export class OrderBook {
  readonly #byTradeNo = new Map<string, KeptOrder>();
  readonly #limit: number;

  constructor(limit = KEPT_ORDERS) {
    this.#limit = limit;
  }

  record(order: Order): void {
    this.#byTradeNo.set(order.tradeNo, { order, paidAt: undefined });

    // A Map iterates in insertion order, so the first key is the oldest.
    if (this.#byTradeNo.size > this.#limit) {
      const oldest = this.#byTradeNo.keys().next().value;

      if (oldest !== undefined) this.#byTradeNo.delete(oldest);
    }
  }

  find(tradeNo: string): KeptOrder | undefined {
    return this.#byTradeNo.get(tradeNo);
  }

  /**
   * Marks a manual-payment order paid. Returns false when there is no such
   * order, it was paid password-free, or it is paid already.
   */
  markPaid(tradeNo: string, atMs: number): boolean {
    const kept = this.#byTradeNo.get(tradeNo);

    if (!kept || kept.order.creditPay || kept.paidAt !== undefined)
      return false;
    kept.paidAt = atMs;

    return true;
  }

  /** Every kept order, oldest first. */
  list(): KeptOrder[] {
    return [...this.#byTradeNo.values()];
  }
}
