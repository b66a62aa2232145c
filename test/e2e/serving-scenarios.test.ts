import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLED_FIXTURES_DIR } from '../../src/config.js';
import type { RunningEmulator } from '../../src/index.js';
import { converse, startQuietEmulator } from './conversation.js';
import { scratchFolder } from '../support/scratch-folder.js';

const DOOR = '{"msg":"","success":true,"type":"door"}';
const EMPTY_FINAL = '{"data":{"list":[]},"type":"final"}';

let emulator: RunningEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** A copy of the bundled fixtures whose default cabinet is changed by `edit`. */
function fixturesWith(edit: (cabinet: Record<string, unknown>) => void) {
  const dir = scratchFolder('cabinet-emu-fixtures-');

  cpSync(BUNDLED_FIXTURES_DIR, dir, { recursive: true });

  const file = join(dir, 'cabinets', 'default.json');
  const cabinet = JSON.parse(readFileSync(file, 'utf8')) as Record<
    string,
    unknown
  >;

  edit(cabinet);
  writeFileSync(file, JSON.stringify(cabinet, null, 2));

  return dir;
}

describe('choosing a scenario while serving', () => {
  it('plays the scenario a fixture gives a device, and the default elsewhere', async () => {
    const fixturesDir = fixturesWith((cabinet) => {
      cabinet.scenarios = { 'risky-device': 'risk-control' };
    });

    emulator = await startQuietEmulator({ fixturesDir, scenario: 'empty' });

    const risky = await converse(
      emulator.purchaseUrl({ deviceNo: 'risky-device' }),
    );
    const other = await converse(
      emulator.purchaseUrl({ deviceNo: 'other-device' }),
    );

    expect(risky.frames.at(-1)).toBe(
      '{"msg":"由于微信风控原因,订单创建失败,请您尝试支付宝扫码购物。","success":false,"type":"failure"}',
    );
    expect(other.frames).toEqual([DOOR, EMPTY_FINAL]);
  });

  it('refuses to start when a device names a scenario that does not exist', async () => {
    const fixturesDir = fixturesWith((cabinet) => {
      cabinet.scenarios = { 'some-device': 'no-such-scenario' };
    });

    await expect(startQuietEmulator({ fixturesDir })).rejects.toMatchObject({
      code: 'EMU_ERR_FIXTURE_INVALID',
      message: expect.stringMatching(
        /default\.json: \/scenarios\/some-device: unknown scenario "no-such-scenario"; expected one of: /,
      ),
    });
  });

  it('refuses a device scenario that another fixture serves', async () => {
    const fixturesDir = fixturesWith((cabinet) => {
      cabinet.scenarios = { 'promo-cabinet': 'empty' };
    });

    await expect(startQuietEmulator({ fixturesDir })).rejects.toThrow(
      'default.json: /scenarios/promo-cabinet: device "promo-cabinet" is served by',
    );
  });

  it('plays a scenario file given by path', async () => {
    const dir = scratchFolder('cabinet-emu-scenario-');
    const file = join(dir, 'water.yaml');

    writeFileSync(
      file,
      [
        'description: takes a bottle of water',
        'timeline:',
        '  - open-door',
        '  - wait: 1s',
        '  - take: { aisle: 6151, count: 1 }',
        '  - wait: 2s',
        '  - close-door',
        '',
      ].join('\n'),
    );
    emulator = await startQuietEmulator({ scenario: file });

    const { frames } = await converse(emulator.purchaseUrl());

    expect(frames).toHaveLength(3);
    expect(frames[2]).toContain('"amount":2.00,"tradeNo"');
  });

  it('reports an invalid scenario file at its line and column', async () => {
    const dir = scratchFolder('cabinet-emu-scenario-');
    const file = join(dir, 'bad.yaml');

    writeFileSync(file, 'description: bad\ntimeline:\n  - wait: soon\n');

    await expect(startQuietEmulator({ scenario: file })).rejects.toThrow(
      `${file}:3:11: timeline[0].wait:`,
    );
  });
});

describe('manual payment', () => {
  it('serves the order at orderInfo, takes a pretend payment once', async () => {
    emulator = await startQuietEmulator({ scenario: 'manual-payment' });

    const { frames } = await converse(emulator.purchaseUrl());
    const final = JSON.parse(frames.at(-1)!) as {
      data: { tradeNo: string; orderInfo: string; isCreditPay: string };
    };
    const { tradeNo, orderInfo, isCreditPay } = final.data;

    expect(isCreditPay).toBe('0');
    expect(orderInfo).toBe(`${emulator.url}/pay/${tradeNo}`);

    const unpaid = await fetch(orderInfo);

    expect(unpaid.status).toBe(200);
    expect(await unpaid.json()).toMatchObject({
      tradeNo,
      amount: '7.50',
      paymentMode: 'manual',
      paid: false,
      lines: [{ aisleId: 6161, quantity: 1, amount: '7.50' }],
    });

    const page = await fetch(orderInfo, { headers: { accept: 'text/html' } });

    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('支付 ¥7.50');

    // As the page's form posts it from a browser.
    const paid = await fetch(orderInfo, {
      method: 'POST',
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
      redirect: 'manual',
    });

    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`/pay/${tradeNo}`);
    expect(await (await fetch(orderInfo)).json()).toMatchObject({
      paid: true,
    });

    const again = await fetch(orderInfo, { method: 'POST' });

    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: `order ${tradeNo} is paid already`,
    });
  });

  it('answers 404 for an order it never made', async () => {
    emulator = await startQuietEmulator();

    const response = await fetch(`${emulator.url}/pay/123`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'no order with tradeNo "123"',
    });
  });

  it('has nothing to pay for an order paid password-free', async () => {
    emulator = await startQuietEmulator({ scenario: 'seed-yoghurt' });

    const { frames } = await converse(emulator.purchaseUrl());
    const { tradeNo } = (
      JSON.parse(frames.at(-1)!) as { data: { tradeNo: string } }
    ).data;
    const response = await fetch(`${emulator.url}/pay/${tradeNo}`, {
      method: 'POST',
    });

    expect(response.status).toBe(409);
    expect(((await response.json()) as { message: string }).message).toBe(
      `order ${tradeNo} was paid password-free; there is nothing to pay`,
    );
  });
});
