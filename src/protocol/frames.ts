import type { Decimal } from '../pricing/decimal.js';
import type { Order } from '../cabinet/order.js';
import type { CabinetAds } from '../catalogue/cabinet.js';
import type { AppliedDiscount } from '../pricing/discounts.js';
import type { PricedBasket, PricedLine } from '../pricing/price-basket.js';
import { formatChinaDateTime } from '../time/china-time.js';
import { ScaledNumber, toWireJson, type WireValue } from './wire-json.js';

/** What a frame's text depends on besides the purchase itself. */
export interface FrameStyle {
  /**
   * The vendor document types `success` as a String, but its examples and the
   * vendor's own client compare it with `=== true`: a boolean is right, the
   * string form exists only for clients written against the document.
   */
  successAsString: boolean;
  /** Turns a picture's file name into the `thumbImage` value. */
  imageAddress(imageName: string): string;
  /**
   * Turns a path on this emulator into an absolute address, for `orderInfo`:
   * a payment page must open in the shopper's browser as it is.
   */
  pageAddress(path: string): string;
}

const PRICE_SCALE = 5;
const AMOUNT_SCALE = 2;

const money = (value: Decimal) => new ScaledNumber(value, AMOUNT_SCALE);
const unitPrice = (value: Decimal) => new ScaledNumber(value, PRICE_SCALE);

function success(value: boolean, style: FrameStyle): boolean | string {
  return style.successAsString ? String(value) : value;
}

export function doorFrame(style: FrameStyle): string {
  return toWireJson({ msg: '', success: success(true, style), type: 'door' });
}

export function failureFrame(message: string, style: FrameStyle): string {
  return toWireJson({
    msg: message,
    success: success(false, style),
    type: 'failure',
  });
}

export function updateFrame(basket: PricedBasket, style: FrameStyle): string {
  return toWireJson({
    data: {
      amount: money(basket.amount),
      list: basket.lines.map((line) => item(line, style)),
    },
    type: 'update',
  });
}

/** "开门无购物": the door opened and closed and nothing was taken. */
export function emptyFinalFrame(): string {
  return toWireJson({ data: { list: [] }, type: 'final' });
}

export function finalFrame(order: Order, style: FrameStyle): string {
  return toWireJson({
    data: {
      amount: money(order.amount),
      tradeNo: order.tradeNo,
      isCreditPay: order.creditPay ? '1' : '0',
      discounts: order.discounts.map(discount),
      createTime: formatChinaDateTime(order.createdAt),
      orderInfo: order.orderInfo && style.pageAddress(order.orderInfo),
      list: order.lines.map((line) => item(line, style)),
    },
    type: 'final',
  });
}

/**
 * What the cabinet's screen shows between purchases: type "0" is pictures,
 * their links joined with commas; type "1" is one video. Only the screen
 * channel carries it.
 *
 * @example adFrame({ type: 'images', links: ['/a.jpg', '/b.jpg'] })
 * // '{"data":{"type":"0","linkUrl":"/a.jpg,/b.jpg"},"type":"ad"}'
 */
export function adFrame(ads: CabinetAds): string {
  return toWireJson({
    data: {
      type: ads.type === 'images' ? '0' : '1',
      linkUrl: ads.type === 'images' ? ads.links.join(',') : ads.link,
    },
    type: 'ad',
  });
}

// The vendor document shows the discounts only as an empty list, so these
// fields are the emulator's own; their keys are in alphabetical order, as the
// cloud's serializer writes the keys of a list's elements (see the items).
function discount(applied: AppliedDiscount): WireValue {
  return {
    amount: money(applied.amount),
    name: applied.name,
    type: applied.kind,
  };
}

// Item keys are in alphabetical order, as the cloud's serializer writes them.
function item(line: PricedLine, style: FrameStyle): WireValue {
  const { product } = line.aisle;
  const weighed = product.pricing === 'weighed';

  return {
    aisleId: line.aisle.aisleId,
    amount: money(line.amount),
    costPrice: unitPrice(product.costPrice),
    id: product.id,
    isBulk: weighed ? '1' : '0',
    name: product.name,
    price: unitPrice(product.price),
    priceUnit: weighed ? '元/斤' : '元/件',
    quantity: line.quantity,
    quantityType: weighed ? '重量' : '数量',
    quantityUnit: weighed ? 'g' : '件',
    thumbImage: style.imageAddress(product.image),
    typeName: product.typeName,
  };
}
