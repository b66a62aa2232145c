import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { JournalError } from '../errors.js';
import type { OrderRecord } from './order-record.js';

/** A line of the journal: an order made, or a manual payment taken. */
export type JournalEntry =
  | ({ event: 'order' } & OrderRecord)
  | { event: 'paid'; tradeNo: string; paidAt: string };

export interface JournalLine {
  /** 1-based. */
  line: number;
  /** The line as stored, without its newline. */
  text: string;
  entry: JournalEntry;
}

/** A line that was not read back, and why. */
export interface SkippedLine {
  line: number;
  reason: string;
}

export interface JournalContents {
  lines: JournalLine[];
  skipped: SkippedLine[];
  /** False when the last line lost its newline, as a write cut short does. */
  endsWithNewline: boolean;
}

/**
 * Reads a journal. A line that is not a whole entry (the torn end of a write
 * the process did not live to finish, or anything else) is skipped and
 * reported, so one bad line never costs the orders around it. Throws
 * `JournalError` when the file cannot be read at all.
 */
export function readJournal(file: string): JournalContents {
  let text: string;

  try {
    refuseUnlessRegularFile(file);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (err as Error).message;

    throw new JournalError(file, `cannot read the journal: ${reason}`, {
      cause: err,
    });
  }

  const lines: JournalLine[] = [];
  const skipped: SkippedLine[] = [];
  const texts = text.split('\n');

  // A file that ends with a newline splits into one empty string more.
  if (texts.at(-1) === '') texts.pop();
  texts.forEach((line, index) => {
    if (line.trim() === '') return;

    const parsed = parseEntry(line);

    if (typeof parsed === 'string') {
      skipped.push({ line: index + 1, reason: parsed });
    } else {
      lines.push({ line: index + 1, text: line, entry: parsed });
    }
  });

  return {
    lines,
    skipped,
    endsWithNewline: text === '' || text.endsWith('\n'),
  };
}

/**
 * Appends orders and payments to a JSON Lines file, one entry a line.
 *
 * Each entry is written with one synchronous write before the call returns,
 * so an order is in the file before its `final` frame goes out: a process
 * that crashes or is killed loses nothing. The file is not fsynced after
 * every entry (only on close), so a power cut or kernel crash may lose the
 * entries of the last few seconds; an emulator's orders are not worth a
 * disk flush per purchase.
 */
export class OrderJournal {
  readonly file: string;
  #fd: number | undefined;
  // Set when a write failed after part of its entry reached the file: the
  // next entry must not be glued onto that torn line.
  #lineTorn = false;

  private constructor(file: string, fd: number) {
    this.file = file;
    this.#fd = fd;
  }

  /**
   * Opens `file` for appending, creating it and its folder when missing, and
   * returns what it already holds. When its last line was cut short, the
   * next entry starts on a fresh line.
   */
  static open(file: string): {
    journal: OrderJournal;
    contents: JournalContents;
  } {
    let fd: number;

    try {
      mkdirSync(dirname(file), { recursive: true });
      refuseUnlessRegularFile(file);
      fd = openSync(file, 'a');
    } catch (err) {
      throw new JournalError(
        file,
        `cannot open the journal for writing: ${(err as Error).message}`,
        { cause: err },
      );
    }

    const journal = new OrderJournal(file, fd);

    try {
      const contents = readJournal(file);

      if (!contents.endsWithNewline) journal.#write('\n');

      return { journal, contents };
    } catch (err) {
      journal.close();
      throw err;
    }
  }

  appendOrder(record: OrderRecord): void {
    this.#write(`${JSON.stringify({ event: 'order', ...record })}\n`);
  }

  appendPayment(tradeNo: string, paidAtMs: number): void {
    const paidAt = new Date(paidAtMs).toISOString();

    this.#write(`${JSON.stringify({ event: 'paid', tradeNo, paidAt })}\n`);
  }

  /** Flushes the file to disk and closes it; later appends throw. */
  close(): void {
    if (this.#fd === undefined) return;

    const fd = this.#fd;

    this.#fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  #write(text: string): void {
    if (this.#fd === undefined) {
      throw new JournalError(this.file, 'the journal is closed');
    }

    const bytes = Buffer.from(this.#lineTorn ? `\n${text}` : text, 'utf8');
    let written = 0;

    try {
      while (written < bytes.length) {
        written += writeSync(this.#fd, bytes, written);
      }
      this.#lineTorn = false;
    } catch (err) {
      if (written > 0) this.#lineTorn = true;
      throw new JournalError(
        this.file,
        `cannot append to the journal: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
}

// A device (/dev/full, /dev/zero) or a pipe never ends when read back,
// and a folder cannot be appended to: only a file is a journal.
function refuseUnlessRegularFile(file: string): void {
  let isFile: boolean;

  try {
    isFile = statSync(file).isFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!isFile) throw new Error('not a regular file');
}

const DECIMAL_2 = /^-?\d+\.\d{2}$/;
const DECIMAL_5 = /^\d+\.\d{5}$/;

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string';
const isNonEmpty: Check = (value) => typeof value === 'string' && value !== '';
const isInteger: Check = (value) => Number.isSafeInteger(value);
const isIsoTime: Check = (value) =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value));
const matches =
  (pattern: RegExp): Check =>
  (value) =>
    typeof value === 'string' && pattern.test(value);
const oneOf =
  (...allowed: string[]): Check =>
  (value) =>
    typeof value === 'string' && allowed.includes(value);

const ORDER_FIELDS: Record<string, Check> = {
  tradeNo: isNonEmpty,
  deviceNo: isNonEmpty,
  createTime: isString,
  createdAt: isIsoTime,
  amount: matches(DECIMAL_2),
  isCreditPay: oneOf('1', '0'),
  orderInfo: isString,
};

const LINE_FIELDS: Record<string, Check> = {
  aisleId: isInteger,
  productId: isInteger,
  name: isString,
  typeName: isString,
  isBulk: oneOf('1', '0'),
  price: matches(DECIMAL_5),
  costPrice: matches(DECIMAL_5),
  quantity: isInteger,
  quantityUnit: oneOf('g', '件'),
  amount: matches(DECIMAL_2),
  image: isString,
};

const DISCOUNT_FIELDS: Record<string, Check> = {
  name: isString,
  type: isString,
  amount: matches(DECIMAL_2),
};

const PAYMENT_FIELDS: Record<string, Check> = {
  tradeNo: isNonEmpty,
  paidAt: isIsoTime,
};

// The entry a line holds, or why it holds none.
function parseEntry(text: string): JournalEntry | string {
  let value: unknown;

  try {
    value = JSON.parse(text);
  } catch {
    return 'not a whole JSON value (a write cut short?)';
  }

  if (!isObject(value)) return 'not a JSON object';

  if (value.event === 'paid') {
    return badField(value, PAYMENT_FIELDS) ?? (value as JournalEntry);
  }
  if (value.event !== 'order') {
    return `unknown event ${JSON.stringify(value.event)}`;
  }

  const problem =
    badField(value, ORDER_FIELDS) ??
    badList(value, 'lines', LINE_FIELDS) ??
    badList(value, 'discounts', DISCOUNT_FIELDS);

  return problem ?? (value as JournalEntry);
}

function badField(
  value: Record<string, unknown>,
  checks: Record<string, Check>,
  where = '',
): string | undefined {
  for (const [key, check] of Object.entries(checks)) {
    if (!check(value[key])) {
      return `${where}${key}: unexpected value ${JSON.stringify(value[key])}`;
    }
  }

  return undefined;
}

function badList(
  value: Record<string, unknown>,
  key: string,
  checks: Record<string, Check>,
): string | undefined {
  const list = value[key];

  if (!Array.isArray(list)) return `${key}: expected a list`;

  for (const [index, item] of list.entries()) {
    if (!isObject(item)) return `${key}[${index}]: expected an object`;

    const problem = badField(item, checks, `${key}[${index}].`);

    if (problem) return problem;
  }

  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
