import {
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderBook } from '../cabinet/order-book.js';
import { JournalError } from '../errors.js';
import { OrderJournal, readJournal } from './order-journal.js';
import type { OrderRecord } from './order-record.js';

function record(tradeNo: string, isCreditPay: '1' | '0' = '1'): OrderRecord {
  return {
    tradeNo,
    deviceNo: 'C-001',
    createTime: '2019-10-11 14:45:44',
    createdAt: '2019-10-11T06:45:44.120Z',
    amount: '15.80',
    isCreditPay,
    orderInfo: isCreditPay === '1' ? '' : `/pay/${tradeNo}`,
    discounts: [],
    lines: [
      {
        aisleId: 6140,
        productId: 3462,
        name: '华农原味酸牛奶(买二送一)',
        typeName: '华农酸奶',
        isBulk: '0',
        price: '7.90000',
        costPrice: '6.90000',
        quantity: 2,
        quantityUnit: '件',
        amount: '15.80',
        image: '19091215161757769747.jpg',
      },
    ],
  };
}

const FIRST = '19101114451054062737';
const SECOND = '19101114460054062738';
const THIRD = '19101114470054062739';

describe('OrderJournal', () => {
  let folder: string;
  let file: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'journal-'));
    file = join(folder, 'data', 'orders.jsonl');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('creates the file and its folder, and writes one entry a line', () => {
    const { journal, contents } = OrderJournal.open(file);

    expect(contents).toEqual({ lines: [], skipped: [], endsWithNewline: true });
    journal.appendOrder(record(FIRST, '0'));
    journal.appendPayment(FIRST, Date.UTC(2019, 9, 11, 6, 50, 0));
    journal.close();

    const lines = readFileSync(file, 'utf8').split('\n');

    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      `{"event":"order","tradeNo":"${FIRST}","deviceNo":"C-001","createTime":"2019-10-11 14:45:44","createdAt":"2019-10-11T06:45:44.120Z","amount":"15.80","isCreditPay":"0","orderInfo":"/pay/${FIRST}","discounts":[],"lines":[{"aisleId":6140,"productId":3462,"name":"华农原味酸牛奶(买二送一)","typeName":"华农酸奶","isBulk":"0","price":"7.90000","costPrice":"6.90000","quantity":2,"quantityUnit":"件","amount":"15.80","image":"19091215161757769747.jpg"}]}`,
    );
    expect(lines[1]).toBe(
      `{"event":"paid","tradeNo":"${FIRST}","paidAt":"2019-10-11T06:50:00.000Z"}`,
    );
    expect(lines[2]).toBe('');
  });

  it('reads back every whole order after a write cut short, and appends on a fresh line', () => {
    const first = OrderJournal.open(file).journal;

    first.appendOrder(record(FIRST));
    first.appendOrder(record(SECOND));
    first.close();

    // The process died half-way through the second order's line.
    const size = readFileSync(file).length;
    const cut = size - Math.floor(JSON.stringify(record(SECOND)).length / 2);

    truncateSync(file, cut);

    const { journal, contents } = OrderJournal.open(file);

    expect(contents.lines.map(({ entry }) => entry.tradeNo)).toEqual([FIRST]);
    expect(contents.skipped).toEqual([
      { line: 2, reason: 'not a whole JSON value (a write cut short?)' },
    ]);
    expect(contents.endsWithNewline).toBe(false);

    journal.appendOrder(record(THIRD));
    journal.close();

    const again = readJournal(file);

    expect(again.lines.map(({ line, entry }) => [line, entry.tradeNo])).toEqual(
      [
        [1, FIRST],
        [3, THIRD],
      ],
    );
    expect(again.skipped.map(({ line }) => line)).toEqual([2]);
    expect(again.endsWithNewline).toBe(true);
  });

  it('keeps a last entry that lost only its newline', () => {
    file = join(folder, 'orders.jsonl');
    writeFileSync(file, JSON.stringify({ event: 'order', ...record(FIRST) }));

    const { journal, contents } = OrderJournal.open(file);

    expect(contents.lines.map(({ entry }) => entry.tradeNo)).toEqual([FIRST]);
    expect(contents.skipped).toEqual([]);
    journal.appendOrder(record(SECOND));
    journal.close();
    expect(readJournal(file).lines.map(({ line }) => line)).toEqual([1, 2]);
  });

  it('skips lines that are not entries, saying why', () => {
    file = join(folder, 'odd.jsonl');
    writeFileSync(
      file,
      [
        '[1,2]',
        '{"event":"refund","tradeNo":"1"}',
        JSON.stringify({
          event: 'order',
          ...record(FIRST),
          amount: 15.8,
        }),
        JSON.stringify({
          event: 'order',
          ...record(SECOND),
          lines: [{ ...record(SECOND).lines[0], price: '7.9' }],
        }),
        '',
        '{"event":"paid","tradeNo":"1","paidAt":"yesterday"}',
        JSON.stringify({ event: 'order', ...record(THIRD) }),
      ].join('\n') + '\n',
    );

    const contents = readJournal(file);

    expect(contents.skipped).toEqual([
      { line: 1, reason: 'not a JSON object' },
      { line: 2, reason: 'unknown event "refund"' },
      { line: 3, reason: 'amount: unexpected value 15.8' },
      { line: 4, reason: 'lines[0].price: unexpected value "7.9"' },
      { line: 6, reason: 'paidAt: unexpected value "yesterday"' },
    ]);
    expect(contents.lines.map(({ line }) => line)).toEqual([7]);
  });

  it('refuses to read a journal that does not exist, with its code', () => {
    const missing = join(folder, 'missing.jsonl');

    expect(() => readJournal(missing)).toThrow(
      new JournalError(missing, 'cannot read the journal: no such file'),
    );
    expect(() => readJournal(missing)).toThrow(
      expect.objectContaining({ code: 'EMU_ERR_JOURNAL' }),
    );
  });

  it('refuses a device or a folder, which a journal cannot be', () => {
    expect(() => OrderJournal.open('/dev/full')).toThrow(
      new JournalError(
        '/dev/full',
        'cannot open the journal for writing: not a regular file',
      ),
    );
    expect(() => readJournal('/dev/zero')).toThrow(
      new JournalError(
        '/dev/zero',
        'cannot read the journal: not a regular file',
      ),
    );
    expect(() => readJournal(folder)).toThrow('not a regular file');
  });

  it('refuses appends once closed', () => {
    const { journal } = OrderJournal.open(file);

    journal.close();
    expect(() => journal.appendOrder(record(FIRST))).toThrow(
      `${file}: the journal is closed`,
    );
  });
});

describe('OrderBook with a journal', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'journal-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('restores orders and their payments, and reports payments of orders it lost', () => {
    const file = join(folder, 'orders.jsonl');
    const { journal } = OrderJournal.open(file);

    journal.appendOrder(record(FIRST, '0'));
    journal.appendOrder(record(SECOND, '0'));
    journal.appendPayment(SECOND, Date.UTC(2019, 9, 11, 7, 0, 0));
    journal.appendPayment(THIRD, Date.UTC(2019, 9, 11, 7, 0, 0));
    journal.close();

    const book = new OrderBook();
    const orphans = book.restore(readJournal(file).lines);

    expect(orphans.map(({ line }) => line)).toEqual([4]);
    expect(
      book
        .recorded()
        .map(({ tradeNo, paid, paidAt }) => ({ tradeNo, paid, paidAt })),
    ).toEqual([
      { tradeNo: FIRST, paid: false, paidAt: undefined },
      { tradeNo: SECOND, paid: true, paidAt: '2019-10-11T07:00:00.000Z' },
    ]);
  });

  it('journals a payment before marking it, and only once', () => {
    const file = join(folder, 'orders.jsonl');
    const { journal } = OrderJournal.open(file);
    const book = new OrderBook({ journal });

    book.restore([
      { line: 1, text: '', entry: { event: 'order', ...record(FIRST, '0') } },
    ]);
    expect(book.markPaid(FIRST, Date.UTC(2019, 9, 11, 7, 0, 0))).toBe(true);
    expect(book.markPaid(FIRST, Date.UTC(2019, 9, 11, 7, 1, 0))).toBe(false);
    journal.close();

    expect(readFileSync(file, 'utf8')).toBe(
      `{"event":"paid","tradeNo":"${FIRST}","paidAt":"2019-10-11T07:00:00.000Z"}\n`,
    );
  });
});
