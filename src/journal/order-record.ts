import type { Order } from '../cabinet/order.js';
import type { DiscountKind } from '../pricing/discounts.js';
import { formatChinaDateTime } from '../time/china-time.js';

/** One line of a recorded order, as plain JSON. */
export interface OrderLineRecord {
  aisleId: number;
  productId: number;
  name: string;
  typeName: string;
  /** `"1"` weighed (quantity in grams), `"0"` counted (in pieces). */
  isBulk: '1' | '0';
  /** 元 per 斤 or per piece, with the 5 decimals of the wire. */
  price: string;
  costPrice: string;
  quantity: number;
  quantityUnit: 'g' | '件';
  /** The line total, with 2 decimals. */
  amount: string;
  /** The picture's file name, served under `/upload/image/`. */
  image: string;
}

/** What one discount rule took off, as plain JSON. */
export interface DiscountRecord {
  name: string;
  type: DiscountKind;
  /** With 2 decimals. */
  amount: string;
}

/**
 * An order as the journal keeps it: everything needed to show it again,
 * with money as exact decimal strings so that no amount passes through a
 * binary float.
 */
export interface OrderRecord {
  tradeNo: string;
  deviceNo: string;
  /** China time, `yyyy-MM-dd HH:mm:ss`, as the `final` frame said. */
  createTime: string;
  /** The same moment to the millisecond, ISO 8601 in UTC. */
  createdAt: string;
  /** What the shopper pays, with 2 decimals. */
  amount: string;
  /** `"1"` paid password-free, `"0"` left to pay at `orderInfo`. */
  isCreditPay: '1' | '0';
  /** The payment page's path on the emulator; empty when paid password-free. */
  orderInfo: string;
  discounts: DiscountRecord[];
  lines: OrderLineRecord[];
}

/**
 * An order and what became of it, as `RunningEmulator.orders()` lists it.
 * `paidAt` is when a manual-payment order was paid at its page (ISO 8601);
 * undefined while unpaid, and for orders paid password-free.
 */
export interface RecordedOrder extends OrderRecord {
  paid: boolean;
  paidAt: string | undefined;
}

export function toOrderRecord(order: Order): OrderRecord {
  return {
    tradeNo: order.tradeNo,
    deviceNo: order.deviceNo,
    createTime: formatChinaDateTime(order.createdAt),
    createdAt: new Date(order.createdAt).toISOString(),
    amount: order.amount.toFixed(2),
    isCreditPay: order.creditPay ? '1' : '0',
    orderInfo: order.orderInfo,
    discounts: order.discounts.map((discount) => ({
      name: discount.name,
      type: discount.kind,
      amount: discount.amount.toFixed(2),
    })),
    lines: order.lines.map(({ aisle, quantity, amount }) => ({
      aisleId: aisle.aisleId,
      productId: aisle.product.id,
      name: aisle.product.name,
      typeName: aisle.product.typeName,
      isBulk: aisle.product.pricing === 'weighed' ? '1' : '0',
      price: aisle.product.price.toFixed(5),
      costPrice: aisle.product.costPrice.toFixed(5),
      quantity,
      quantityUnit: aisle.product.pricing === 'weighed' ? 'g' : '件',
      amount: amount.toFixed(2),
      image: aisle.product.image,
    })),
  };
}
