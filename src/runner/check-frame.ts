import { isLosslessNumber, parse, stringify } from 'lossless-json';
import { Decimal } from '../pricing/decimal.js';
import type {
  FrameExpectation,
  ItemExpectation,
  DiscountExpectation,
} from '../scenario/scenario.js';
import { formatOffset } from './format-offset.js';

/** A received frame, parsed once, named the way failure messages name it. */
export interface ReceivedFrame {
  /** `frame 2 (update at +5.632s)`: its place, its type and its time. */
  label: string;
  /** Its type when it has one, for messages about missing or extra frames. */
  type: string | undefined;
  atMs: number;
  /** The parsed object; undefined when the text is not a JSON object. */
  body: Record<string, unknown> | undefined;
  /** Why the frame could not be read, when it could not. */
  problem?: string;
}

type Check = (path: string, found: unknown) => string | undefined;

/**
 * Reads frame `index` (counted from 0, named from 1) keeping every number's
 * text: the cloud writes BigDecimals at their scale, so `2.430` is a
 * different frame from `2.43` and a plain `JSON.parse` would hide that.
 */
export function readFrame(
  frame: { atMs: number; text: string },
  index: number,
): ReceivedFrame {
  const at = formatOffset(frame.atMs);
  const name = `frame ${index + 1}`;
  let value: unknown;

  try {
    value = parse(frame.text);
  } catch {
    return {
      label: `${name} (text at ${at})`,
      type: undefined,
      atMs: frame.atMs,
      body: undefined,
      problem: `not JSON: ${JSON.stringify(shorten(frame.text))}`,
    };
  }

  if (!isRecord(value)) {
    return {
      label: `${name} (JSON at ${at})`,
      type: undefined,
      atMs: frame.atMs,
      body: undefined,
      problem: `not a JSON object: ${shorten(frame.text)}`,
    };
  }

  const type = typeof value.type === 'string' ? value.type : undefined;

  return {
    label: `${name} (${type ?? 'untyped'} at ${at})`,
    type,
    atMs: frame.atMs,
    body: value,
  };
}

/**
 * Compares one received frame with its expectation, only on the fields the
 * expectation names, and returns one sentence per difference.
 *
 * @example checkFrame({ type: 'update', amount: '2.43' }, frame)
 * // ['frame 2 (update at +5.632s): data.amount: expected 2.43, found 2.430']
 */
export function checkFrame(
  expected: FrameExpectation,
  frame: ReceivedFrame,
): string[] {
  const { body, label } = frame;

  if (body === undefined) {
    return [`${label}: ${frame.problem ?? 'unreadable'}`];
  }

  // Once the type is wrong, every other field would differ too: one
  // sentence says it better than a list of consequences.
  const typeProblem = sameString(expected.type)('type', body.type);
  if (typeProblem !== undefined) {
    return [`${label}: ${typeProblem}`];
  }

  const data = member(body, 'data');
  const problems = [
    ...checkTime(expected, frame.atMs),
    optional(expected.msg, sameString, 'msg', member(body, 'msg')),
    optional(
      expected.amount,
      sameDecimal,
      'data.amount',
      member(data, 'amount'),
    ),
    optional(
      expected.isCreditPay,
      sameString,
      'data.isCreditPay',
      member(data, 'isCreditPay'),
    ),
    optional(
      expected.orderInfo,
      sameString,
      'data.orderInfo',
      member(data, 'orderInfo'),
    ),
    optional(
      expected.tradeNo,
      sameString,
      'data.tradeNo',
      member(data, 'tradeNo'),
    ),
    optional(
      expected.createTime,
      sameString,
      'data.createTime',
      member(data, 'createTime'),
    ),
    ...optionalList(
      expected.discounts,
      'data.discounts',
      member(data, 'discounts'),
      'discount',
      checkDiscount,
    ),
    ...optionalList(
      expected.items,
      'data.list',
      member(data, 'list'),
      'item',
      checkItem,
    ),
  ];

  return problems
    .filter((problem) => problem !== undefined)
    .map((problem) => `${label}: ${problem}`);
}

function checkTime(expected: FrameExpectation, exactMs: number): string[] {
  const problems: string[] = [];
  // Compared at the whole milliseconds reports and transcripts show, so that
  // a frame shown at +5.200s is never "too late" for a window ending at 5.2s.
  const atMs = Math.round(exactMs);

  if (expected.afterMs !== undefined && atMs < Math.round(expected.afterMs)) {
    problems.push(
      `arrived too early: expected no sooner than ${formatOffset(expected.afterMs)}`,
    );
  }
  if (expected.beforeMs !== undefined && atMs > Math.round(expected.beforeMs)) {
    problems.push(
      `arrived too late: expected no later than ${formatOffset(expected.beforeMs)}`,
    );
  }

  return problems;
}

function checkItem(
  expected: ItemExpectation,
  path: string,
  found: unknown,
): (string | undefined)[] {
  return [
    optional(
      expected.aisleId,
      sameInteger,
      `${path}.aisleId`,
      member(found, 'aisleId'),
    ),
    optional(expected.id, sameInteger, `${path}.id`, member(found, 'id')),
    optional(expected.name, sameString, `${path}.name`, member(found, 'name')),
    optional(
      expected.quantity,
      sameInteger,
      `${path}.quantity`,
      member(found, 'quantity'),
    ),
    optional(
      expected.amount,
      sameDecimal,
      `${path}.amount`,
      member(found, 'amount'),
    ),
    optional(
      expected.price,
      sameDecimal,
      `${path}.price`,
      member(found, 'price'),
    ),
  ];
}

function checkDiscount(
  expected: DiscountExpectation,
  path: string,
  found: unknown,
): (string | undefined)[] {
  return [
    optional(expected.name, sameString, `${path}.name`, member(found, 'name')),
    optional(
      expected.amount,
      sameDecimal,
      `${path}.amount`,
      member(found, 'amount'),
    ),
  ];
}

function optional<T>(
  expected: T | undefined,
  compare: (expected: T) => Check,
  path: string,
  found: unknown,
): string | undefined {
  return expected === undefined ? undefined : compare(expected)(path, found);
}

// A list is compared element for element only when the lengths agree: with
// one element missing, every later pair would be a misleading mismatch.
function optionalList<T>(
  expected: readonly T[] | undefined,
  path: string,
  found: unknown,
  noun: string,
  compare: (
    expected: T,
    path: string,
    found: unknown,
  ) => (string | undefined)[],
): (string | undefined)[] {
  if (expected === undefined) {
    return [];
  }

  const wanted = count(expected.length, noun);
  if (!Array.isArray(found)) {
    return [`${path}: expected ${wanted}, found ${show(found)}`];
  }
  if (found.length !== expected.length) {
    const names = found.map(describeElement).join(', ');
    const foundText = count(found.length, noun);

    return [
      `${path}: expected ${wanted}, found ${foundText}${names === '' ? '' : `: ${names}`}`,
    ];
  }

  return expected.flatMap((element, index) =>
    compare(element, `${path}[${index}]`, found[index]),
  );
}

function sameString(expected: string): Check {
  return (path, found) =>
    found === expected
      ? undefined
      : `${path}: expected ${JSON.stringify(expected)}, found ${show(found)}`;
}

// Ids and quantities are integers, and `394.0` is still 394 pieces or grams.
function sameInteger(expected: number): Check {
  return (path, found) =>
    isLosslessNumber(found) && Number(found.value) === expected
      ? undefined
      : `${path}: expected ${expected}, found ${show(found)}`;
}

// Money is compared as written: the scale is part of the protocol.
function sameDecimal(expected: string): Check {
  return (path, found) => {
    if (isLosslessNumber(found) && found.value === expected) {
      return undefined;
    }

    const hint =
      isLosslessNumber(found) && sameValue(found.value, expected)
        ? ' (same value, written at another scale)'
        : '';

    return `${path}: expected ${expected}, found ${show(found)}${hint}`;
  };
}

function sameValue(a: string, b: string): boolean {
  try {
    return new Decimal(a).equals(new Decimal(b));
  } catch {
    return false;
  }
}

function member(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !isLosslessNumber(value)
  );
}

function describeElement(element: unknown): string {
  const name = member(element, 'name');

  return typeof name === 'string' ? name : show(element);
}

/** A found value as it appeared on the wire; `nothing` when absent. */
export function show(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (isLosslessNumber(value)) {
    return value.value;
  }

  return shorten(stringify(value) ?? String(value));
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function shorten(text: string): string {
  const limit = 80;

  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
