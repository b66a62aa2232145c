import type { Decimal } from '../pricing/decimal.js';
import type { AppliedDiscount } from '../pricing/discounts.js';
import type { PricedLine } from '../pricing/price-basket.js';

/** An order the cloud made when the door closed on a non-empty basket. */
export interface Order {
  /** 20 digits: the session's start as yyMMddHHmmss, then 8 unique digits. */
  tradeNo: string;
  deviceNo: string;
  /** When the order was made, in epoch milliseconds. */
  createdAt: number;
  /** What the shopper pays: the lines' sum less the discounts. */
  amount: Decimal;
  /** The cabinet's discount rules that took something off, in their order. */
  discounts: readonly AppliedDiscount[];
  /**
   * Whether password-free payment (免密支付) took the money. When it did, the
   * shopper has nothing left to do and there is no manual payment address.
   */
  creditPay: boolean;
  /**
   * The manual payment address as a path on this emulator (the frame makes
   * it absolute); empty when paid password-free.
   */
  orderInfo: string;
  lines: readonly PricedLine[];
}

/** Where the emulator serves the page of an order left to pay by hand. */
export const PAYMENT_PAGE_PREFIX = '/pay/';

export function paymentPagePath(tradeNo: string): string {
  return PAYMENT_PAGE_PREFIX + tradeNo;
}
