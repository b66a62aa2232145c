import { mkdtempSync, rmSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JournalError } from '../errors.js';
import { OrderJournal, readJournal } from './order-journal.js';
import type { OrderRecord } from './order-record.js';

// The journal writes through node:fs; this file lets one write fail half-way,
// as a full disk does, which no real file system does on demand.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();

  return { ...actual, writeSync: vi.fn(actual.writeSync) };
});

const realWriteSync = (
  await vi.importActual<typeof import('node:fs')>('node:fs')
).writeSync;

function order(tradeNo: string): OrderRecord {
  return {
    tradeNo,
    deviceNo: 'C-001',
    createTime: '2019-10-11 14:45:44',
    createdAt: '2019-10-11T06:45:44.120Z',
    amount: '0.00',
    isCreditPay: '1',
    orderInfo: '',
    discounts: [],
    lines: [],
  };
}

describe('OrderJournal after a write that failed half-way', () => {
  let folder: string;
  let file: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'journal-torn-'));
    file = join(folder, 'orders.jsonl');
  });
  afterEach(() => {
    vi.mocked(fs.writeSync).mockReset();
    vi.mocked(fs.writeSync).mockImplementation(realWriteSync);
    rmSync(folder, { recursive: true, force: true });
  });

  it('starts the next entry on a fresh line, so the order after a torn one is kept', () => {
    const { journal } = OrderJournal.open(file);
    const writeSync = vi.mocked(fs.writeSync);

    journal.appendOrder(order('1'));
    // Half the entry reaches the file, then the disk is full.
    writeSync
      .mockImplementationOnce(((fd: number, buffer: Buffer) =>
        realWriteSync(fd, buffer, 0, 20)) as typeof realWriteSync)
      .mockImplementationOnce(() => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), {
          code: 'ENOSPC',
        });
      });
    expect(() => journal.appendOrder(order('2'))).toThrow(JournalError);
    journal.appendOrder(order('3'));
    journal.close();

    const contents = readJournal(file);

    expect(contents.lines.map((line) => line.entry)).toMatchObject([
      { tradeNo: '1' },
      { tradeNo: '3' },
    ]);
    expect(contents.skipped).toEqual([
      { line: 2, reason: 'not a whole JSON value (a write cut short?)' },
    ]);
  });

  it('adds no blank line after a write that failed before writing anything', () => {
    const { journal } = OrderJournal.open(file);

    vi.mocked(fs.writeSync).mockImplementationOnce(() => {
      throw new Error('EIO: i/o error');
    });
    expect(() => journal.appendOrder(order('1'))).toThrow(JournalError);
    journal.appendOrder(order('2'));
    journal.close();

    expect(fs.readFileSync(file, 'utf8').split('\n')).toHaveLength(2);
  });
});
