import type { CabinetFleet } from '../cabinet/cabinet-fleet.js';
import type { OrderRecord } from '../journal/order-record.js';
import type { KeptOrder } from '../cabinet/order-book.js';
import type { PurchaseSession } from '../cabinet/purchase-session.js';
import type { Aisle } from '../catalogue/cabinet.js';
import type { Decimal } from '../pricing/decimal.js';
import type { PricedBasket } from '../pricing/price-basket.js';
import { deviceNoProblem } from '../protocol/device-number.js';
import type { SessionHistory, SessionRecord } from './session-history.js';

// The state objects the control API answers with, built from the fleet and
// the session history. Money is a decimal string, never a binary float;
// times of day are ISO 8601 in UTC, times within a session milliseconds
// since its shopper connected.

/**
 * A device number the API takes: one the purchase socket takes too. Others
 * are refused with 404, so that a wrong path is not mistaken for a device.
 */
export function isDeviceNo(deviceNo: string): boolean {
  return deviceNoProblem(deviceNo) === undefined;
}

export interface StateSources {
  fleet: CabinetFleet;
  history: SessionHistory;
}

/** One line of `GET /emulator/cabinets`. */
export function cabinetSummary(
  { fleet, history }: StateSources,
  deviceNo: string,
) {
  const session = fleet.sessionAt(deviceNo);

  return {
    deviceNo,
    fixture: fleet.cabinetFor(deviceNo).name,
    door: session?.doorState ?? 'locked',
    scenario: fleet.scenarioFor(deviceNo).name,
    scenarioAssigned: fleet.hasAssignedScenario(deviceNo),
    session: session ? sessionBrief(history.find(session.id), session) : null,
  };
}

/**
 * One cabinet as it is now: at rest when no session runs (its fixture's
 * stock, the door locked), else as its session has left it.
 */
export function cabinetState(
  sources: StateSources,
  deviceNo: string,
  imageAddress: (imageName: string) => string,
) {
  const { fleet, history } = sources;
  const cabinet = fleet.cabinetFor(deviceNo);
  const session = fleet.sessionAt(deviceNo);
  const record = session ? history.find(session.id) : undefined;

  return {
    ...cabinetSummary(sources, deviceNo),
    description: cabinet.description,
    aisles: [...cabinet.aisles.values()].map((aisle) =>
      aisleState(aisle, session, imageAddress),
    ),
    alarms: record?.alarms ?? [],
    anomalies: record?.anomalies ?? [],
    basket: session ? basketView(session.basket()) : null,
  };
}

function aisleState(
  aisle: Aisle,
  session: PurchaseSession | undefined,
  imageAddress: (imageName: string) => string,
) {
  const { product } = aisle;

  return {
    aisleId: aisle.aisleId,
    shelf: aisle.shelf,
    product: {
      id: product.id,
      name: product.name,
      typeName: product.typeName,
      pricing: product.pricing,
      price: money(product.price),
      imageUrl: imageAddress(product.image),
    },
    stock: session ? session.onShelf(aisle.aisleId) : aisle.stock,
    held: session ? session.held(aisle.aisleId) : 0,
    liveGrams: session ? session.liveGrams(aisle.aisleId) : null,
  };
}

function sessionBrief(
  record: SessionRecord | undefined,
  session: PurchaseSession,
) {
  return {
    id: session.id,
    scenario: session.scenario.name,
    startedAt: iso(session.startedAt),
    tradeNo: session.tradeNo,
    elapsedMs: Math.round(session.connectedForMs),
    waitingForActions: session.waitingForActions,
    frames: record?.transcript.length ?? 0,
  };
}

export function basketView(basket: PricedBasket) {
  return {
    amount: basket.amount.toFixed(2),
    lines: basket.lines.map((line) => ({
      aisleId: line.aisle.aisleId,
      productId: line.aisle.product.id,
      name: line.aisle.product.name,
      quantity: line.quantity,
      quantityUnit: line.aisle.product.pricing === 'weighed' ? 'g' : '件',
      amount: line.amount.toFixed(2),
    })),
  };
}

/** An order as `GET /emulator/orders` and the `order` event show it. */
export function orderView(order: OrderRecord, paidAt: number | undefined) {
  const creditPay = order.isCreditPay === '1';

  return {
    tradeNo: order.tradeNo,
    deviceNo: order.deviceNo,
    createdAt: order.createdAt,
    createTime: order.createTime,
    amount: order.amount,
    paymentMode: creditPay ? 'password-free' : 'manual',
    paid: creditPay || paidAt !== undefined,
    paidAt: paidAt === undefined ? null : iso(paidAt),
    orderInfo: order.orderInfo,
    discounts: order.discounts.map((discount) => ({
      name: discount.name,
      kind: discount.type,
      amount: discount.amount,
    })),
    lines: order.lines.map((line) => ({
      aisleId: line.aisleId,
      productId: line.productId,
      name: line.name,
      quantity: line.quantity,
      quantityUnit: line.quantityUnit,
      price: line.price,
      amount: line.amount,
    })),
  };
}

export function keptOrderView({ order, paidAt }: KeptOrder) {
  return orderView(order, paidAt);
}

/** A session of `GET /emulator/sessions`, without its transcript. */
export function sessionSummary(record: SessionRecord) {
  const { session } = record;

  return {
    id: session.id,
    deviceNo: session.deviceNo,
    scenario: session.scenario.name,
    tradeNo: session.tradeNo,
    startedAt: iso(session.startedAt),
    endedAt: record.endedAt === undefined ? null : iso(record.endedAt),
    end: record.end ?? null,
  };
}

export function sessionView(record: SessionRecord) {
  return {
    ...sessionSummary(record),
    transcript: record.transcript,
    alarms: record.alarms,
    anomalies: record.anomalies,
  };
}

function money(amount: Decimal): string {
  return amount.toFixed(Math.max(2, amount.decimalPlaces()));
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
