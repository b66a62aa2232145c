import type { Order } from '../cabinet/order.js';
import type {
  CloseExpectation,
  ConnectionExpectation,
  Expectations,
  FrameExpectation,
  OrderExpectation,
} from '../scenario/scenario.js';
import { checkFrame, readFrame, type ReceivedFrame } from './check-frame.js';
import { formatOffset } from './format-offset.js';
import type { ConnectionRecord, ScenarioOutcome } from './run-result.js';

/**
 * Checks what a run observed against a scenario's expectations and returns
 * one readable sentence per broken expectation: an empty list means the
 * scenario passed. Frames are numbered from 1, list elements from 0, times
 * count from the moment the shopper connected.
 *
 * @example
 * checkExpectations({ frames: [{ type: 'door' }, { type: 'final' }] }, outcome)
 * // ['expected 2 frames, received 1 (the last: door at +0.812s); nothing matches the expected final']
 */
export function checkExpectations(
  expect: Expectations,
  outcome: ScenarioOutcome,
): string[] {
  const failures = outcome.faults.map(
    (fault) =>
      `a cabinet model failed (${fault}); the purchase ended with the reasonless failure`,
  );

  failures.push(...checkConnection(expect, outcome.shopper, ''));

  if (expect.order !== undefined) {
    failures.push(...checkOrder(expect.order, outcome.order));
  }
  if (expect.otherShoppers !== undefined) {
    failures.push(
      ...checkOtherShoppers(expect.otherShoppers, outcome.otherShoppers),
    );
  }

  return failures;
}

function checkConnection(
  expect: ConnectionExpectation,
  record: ConnectionRecord,
  prefix: string,
): string[] {
  const failures: string[] = [];

  if (expect.frames !== undefined) {
    failures.push(...checkFrames(expect.frames, record.frames));
  }
  if (expect.close !== undefined) {
    failures.push(...checkClose(expect.close, record.close));
  }

  return failures.map((failure) => `${prefix}${failure}`);
}

function checkFrames(
  expected: readonly FrameExpectation[],
  received: ConnectionRecord['frames'],
): string[] {
  const frames = received.map(readFrame);
  const failures: string[] = [];

  if (frames.length !== expected.length) {
    failures.push(describeCountMismatch(expected, frames));
  }

  const paired = Math.min(frames.length, expected.length);
  for (let index = 0; index < paired; index += 1) {
    failures.push(...checkFrame(expected[index]!, frames[index]!));
  }

  return failures;
}

function describeCountMismatch(
  expected: readonly FrameExpectation[],
  frames: readonly ReceivedFrame[],
): string {
  const head = `expected ${count(expected.length, 'frame')}, received ${frames.length}`;

  if (frames.length > expected.length) {
    const extra = frames
      .slice(expected.length)
      .map(
        (frame) => `${frame.type ?? 'untyped'} at ${formatOffset(frame.atMs)}`,
      );

    return `${head}: extra ${extra.join(', ')}`;
  }

  const missing = expected
    .slice(frames.length)
    .map((frame) => frame.type)
    .join(', ');
  const last = frames.at(-1);

  if (last === undefined) {
    return `${head}: no ${missing}`;
  }

  const lastType = last.type ?? 'untyped frame';

  // Frames are matched in order, so what is missing is the expected tail,
  // whatever types the frames received had.
  return `${head} (the last: ${lastType} at ${formatOffset(last.atMs)}); nothing matches the expected ${missing}`;
}

function checkClose(
  expected: CloseExpectation,
  close: ConnectionRecord['close'],
): string[] {
  if (close === undefined) {
    const wanted = [
      expected.code,
      expected.reason === undefined
        ? undefined
        : JSON.stringify(expected.reason),
    ]
      .filter((part) => part !== undefined)
      .join(' ');

    return [
      `close: expected ${wanted === '' ? 'a close' : wanted}, found the connection still open`,
    ];
  }

  const label = `close (at ${formatOffset(close.atMs)})`;
  const failures: string[] = [];

  if (expected.code !== undefined && close.code !== expected.code) {
    failures.push(
      `${label}: code: expected ${expected.code}, found ${close.code}`,
    );
  }
  if (expected.reason !== undefined && close.reason !== expected.reason) {
    failures.push(
      `${label}: reason: expected ${JSON.stringify(expected.reason)}, found ${JSON.stringify(close.reason)}`,
    );
  }

  return failures;
}

function checkOrder(
  expected: OrderExpectation | null,
  order: Order | null,
): string[] {
  if (expected === null) {
    return order === null
      ? []
      : [`order: expected none, found ${describeOrder(order)}`];
  }
  if (order === null) {
    const amount =
      expected.amount === undefined ? '' : ` of ${expected.amount}`;

    return [`order: expected an order${amount}, found none`];
  }

  const failures: string[] = [];
  const amount = order.amount.toFixed(2);
  const isCreditPay = order.creditPay ? '1' : '0';

  if (expected.amount !== undefined && amount !== expected.amount) {
    failures.push(`order.amount: expected ${expected.amount}, found ${amount}`);
  }
  if (
    expected.isCreditPay !== undefined &&
    isCreditPay !== expected.isCreditPay
  ) {
    failures.push(
      `order.isCreditPay: expected "${expected.isCreditPay}", found "${isCreditPay}"`,
    );
  }

  return failures;
}

function describeOrder(order: Order): string {
  return `order ${order.tradeNo} of ${order.amount.toFixed(2)}`;
}

function checkOtherShoppers(
  expected: readonly ConnectionExpectation[],
  records: readonly ConnectionRecord[],
): string[] {
  const failures: string[] = [];

  if (records.length !== expected.length) {
    failures.push(
      `other shoppers: expected ${count(expected.length, 'connection')}, found ${records.length}`,
    );
  }

  const paired = Math.min(records.length, expected.length);
  for (let index = 0; index < paired; index += 1) {
    // The scenario's own shopper is shopper 1.
    const prefix = `shopper ${index + 2}: `;
    failures.push(
      ...checkConnection(expected[index]!, records[index]!, prefix),
    );
  }

  return failures;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
