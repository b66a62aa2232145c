import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { converse, startQuietEmulator } from './conversation.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MANUAL_PAYMENT = join(ROOT, 'scenarios', 'manual-payment.yaml');

function tradeNoOf(frame: string | undefined): string {
  return String(/"tradeNo":"(\d{20})"/.exec(frame ?? '')?.[1]);
}

function journalLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n');
}

describe('the order journal', () => {
  let folder: string;
  let journal: string;
  const running: RunningEmulator[] = [];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'emu-journal-'));
    journal = join(folder, 'orders.jsonl');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
    rmSync(folder, { recursive: true, force: true });
  });

  async function start(scenario = MANUAL_PAYMENT) {
    const emulator = await startQuietEmulator({ scenario, journal });

    running.push(emulator);

    return emulator;
  }

  async function buy(emulator: RunningEmulator): Promise<string> {
    const { frames } = await converse(emulator.purchaseUrl());

    return tradeNoOf(frames.at(-1));
  }

  it('holds the order before its final frame reaches the shopper', async () => {
    const emulator = await start('seed-yoghurt');
    let journalAtFinal = '';

    const { frames } = await converse(emulator.purchaseUrl(), {
      onFrame: (_socket, frame) => {
        if (frame.includes('"type":"final"'))
          journalAtFinal = readFileSync(journal, 'utf8');
      },
    });
    const tradeNo = tradeNoOf(frames.at(-1));

    expect(journalAtFinal).toMatch(
      new RegExp(
        `^\\{"event":"order","tradeNo":"${tradeNo}","deviceNo":"demo-cabinet","createTime":"[0-9: -]{19}","createdAt":"[0-9T:.Z-]{24}","amount":"15.80","isCreditPay":"1","orderInfo":"","discounts":\\[\\],"lines":\\[\\{"aisleId":6140,"productId":3462,"name":"华农原味酸牛奶\\(买二送一\\)","typeName":"华农酸奶","isBulk":"0","price":"7.90000","costPrice":"6.90000","quantity":2,"quantityUnit":"件","amount":"15.80","image":"19091215161757769747.jpg"\\}\\]\\}\\n$`,
      ),
    );
    expect(emulator.orders()).toEqual([
      expect.objectContaining({ tradeNo, amount: '15.80', paid: true }),
    ]);
  });

  it('survives a restart and a torn last line: every whole order and payment is back, and new orders append', async () => {
    const before = await start();
    const paidOne = await buy(before);
    const payment = await fetch(`${before.url}/pay/${paidOne}`, {
      method: 'POST',
    });

    expect(payment.status).toBe(200);

    const tornOne = await buy(before);

    await before.close();

    // A crash in the middle of writing the last order.
    const whole = readFileSync(journal);

    truncateSync(journal, whole.length - 120);
    expect(journalLines(journal)).toHaveLength(3);
    expect(journalLines(journal)[2]).toMatch(
      new RegExp(`^\\{"event":"order","tradeNo":"${tornOne}"`),
    );

    const after = await start();

    expect(
      after.orders().map(({ tradeNo, paid }) => ({ tradeNo, paid })),
    ).toEqual([{ tradeNo: paidOne, paid: true }]);

    const page = await fetch(`${after.url}/pay/${paidOne}`);

    expect(await page.json()).toMatchObject({ tradeNo: paidOne, paid: true });

    const newOne = await buy(after);
    const lines = journalLines(journal);

    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(
      new RegExp(`^\\{"event":"order","tradeNo":"${newOne}".*\\}$`),
    );
    expect(lines[4]).toBe('');
    expect(after.orders().map(({ tradeNo }) => tradeNo)).toEqual([
      paidOne,
      newOne,
    ]);
  });

  it('is off in the API unless asked for', async () => {
    const emulator = await startQuietEmulator({ scenario: 'seed-yoghurt' });

    running.push(emulator);
    expect(emulator.config.journal).toBeUndefined();
    await buy(emulator);
    expect(emulator.orders()).toHaveLength(1);
  });
});

describe('cabinet-emu orders', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'emu-orders-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const order = (tradeNo: string, isCreditPay: string, amount: string) =>
    JSON.stringify({
      event: 'order',
      tradeNo,
      deviceNo: 'C-001',
      createTime: '2019-10-11 14:45:44',
      createdAt: '2019-10-11T06:45:44.120Z',
      amount,
      isCreditPay,
      orderInfo: isCreditPay === '1' ? '' : `/pay/${tradeNo}`,
      discounts: [],
      lines: [],
    });
  const stored = [
    order('19101114451054062737', '1', '15.80'),
    order('19101114451054062738', '0', '7.50'),
    order('19101114451054062739', '0', '123.45'),
    '{"event":"paid","tradeNo":"19101114451054062738","paidAt":"2019-10-11T06:50:02.000Z"}',
  ];

  function orders(...args: string[]) {
    return spawnSync(
      process.execPath,
      ['bin/cabinet-emu.js', 'orders', ...args],
      { cwd: ROOT, encoding: 'utf8' },
    );
  }

  it('lists the orders as a table with their payment, oldest first', () => {
    const file = join(folder, 'orders.jsonl');

    writeFileSync(file, `${stored.join('\n')}\n{"event":"ord`);

    const { status, stdout, stderr } = orders('--journal', file);

    expect(status).toBe(0);
    expect(stdout).toBe(
      [
        'time                 tradeNo               device  amount  payment',
        '2019-10-11 14:45:44  19101114451054062737  C-001    15.80  password-free',
        '2019-10-11 14:45:44  19101114451054062738  C-001     7.50  paid 2019-10-11 14:50:02',
        '2019-10-11 14:45:44  19101114451054062739  C-001   123.45  unpaid',
        '',
      ].join('\n'),
    );
    expect(stderr).toBe(
      `cabinet-emu: ${file}:5: skipped: not a whole JSON value (a write cut short?)\n`,
    );
  });

  it('prints the lines as stored with --json', () => {
    const file = join(folder, 'orders.jsonl');

    writeFileSync(file, `${stored.join('\n')}\n`);

    const { status, stdout } = orders('--journal', file, '--json');

    expect(status).toBe(0);
    expect(stdout).toBe(`${stored.join('\n')}\n`);
  });

  it("reads the journal of serve's --data-dir", () => {
    const dataDir = join(folder, 'data');

    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'orders.jsonl'), `${stored.join('\n')}\n`);

    const { status, stdout } = orders('--data-dir', dataDir, '--json');

    expect(status).toBe(0);
    expect(stdout).toBe(`${stored.join('\n')}\n`);
  });

  it('lists no orders, and says where it looked, before serve has written a journal', () => {
    const file = join(folder, 'none.jsonl');
    const { status, stdout, stderr } = orders('--journal', file);

    expect(status).toBe(0);
    expect(stdout).toBe('no orders\n');
    expect(stderr).toBe(
      `cabinet-emu: no journal at ${file} yet; serve writes it with its first order\n`,
    );
  });

  it('shows control characters in a device number instead of sending them to the terminal', () => {
    const file = join(folder, 'orders.jsonl');
    const escaped = JSON.parse(order('19101114451054062737', '1', '2.43')) as {
      deviceNo: string;
    };

    escaped.deviceNo = '\u001b[31mRED\u0007';
    writeFileSync(file, `${JSON.stringify({ ...escaped })}\n`);

    const { status, stdout } = orders('--journal', file);

    expect(status).toBe(0);
    expect(stdout).toContain('\\u001b[31mRED\\u0007');
    expect(stdout).not.toMatch(/\u001b/);
  });
});
