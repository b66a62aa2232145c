import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningEmulator } from '../../src/index.js';
import { startQuietEmulator } from './conversation.js';

// Debian's chromium package; playwright-core drives it and downloads nothing.
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS_DIR = fileURLToPath(
  new URL('../../test-artifacts', import.meta.url),
);
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && process.env.CI) {
  throw new Error(
    `the dashboard tests need Chromium at ${CHROMIUM} and CI is set; install it with: apt-get install -y chromium (.ci/run does)`,
  );
}

const title = haveChromium
  ? 'the dashboard'
  : `the dashboard (skipped: no Chromium at ${CHROMIUM}; apt-get install -y chromium)`;

describe.skipIf(!haveChromium)(title, () => {
  let emulator: RunningEmulator;
  let browser: Browser;
  let page: Page;

  const frames = (type: string) =>
    page.locator(`#frames li[data-type="${type}"]`);

  beforeAll(async () => {
    // At 5 times real speed the scales settle in a fraction of a second,
    // and the manual scenario's door alarm is still 24 s away.
    emulator = await startQuietEmulator({ scenario: 'manual', speed: 5 });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  it('loads with the demo cabinet, the manual scenario and a QR code', async () => {
    const errors: string[] = [];

    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${emulator.url}/`);
    await page.waitForSelector('body[data-ready="true"]');

    expect(await page.title()).toBe('Cabinet emulator');
    expect(await page.locator('#cabinet').inputValue()).toBe('demo-cabinet');
    expect(await page.locator('#scenario').inputValue()).toBe('manual');
    expect(await page.locator('#purchase-url').textContent()).toBe(
      emulator.purchaseUrl(),
    );
    expect(
      await page
        .locator('#qr')
        .evaluate((image) => (image as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('starts a purchase over the real purchase socket and shows its door frame', async () => {
    await page.click('#start');

    await expect
      .poll(() => frames('door').locator('.frame-text').textContent())
      .toBe('{"msg":"","success":true,"type":"door"}');
    // The manual scenario opens the door itself; the page says so.
    await expect
      .poll(() => page.locator('#status').textContent())
      .toBe('Door open: take goods, then close the door');
  });

  it('shows the update of an item taken by clicking its aisle', async () => {
    await page.waitForSelector('.aisle[data-aisle-id="6150"]');
    await page.click('.aisle[data-aisle-id="6150"]');
    await page.click('#take');
    await frames('update').first().waitFor();

    expect(await frames('update').first().textContent()).toContain(
      '"aisleId":6150,"amount":3.00',
    );
    expect(await page.locator('#basket').textContent()).toContain(
      '可口可乐330ml',
    );
  });

  it('shows the final frame with its trade number once the door is closed', async () => {
    await page.click('#close-door');
    await frames('final').waitFor();

    expect(await frames('final').textContent()).toMatch(
      /"amount":3\.00,"tradeNo":"\d{20}"/,
    );
    expect(await page.locator('#order').textContent()).toMatch(
      /^Order \d{20} · ¥3\.00/,
    );
    await frames('close').waitFor();
  });

  it('saves a screenshot of the page', async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({
      path: `${ARTIFACTS_DIR}/dashboard.png`,
      fullPage: true,
    });

    expect(existsSync(`${ARTIFACTS_DIR}/dashboard.png`)).toBe(true);
  });

  it("fails a purchase with WeChat's risk-control refusal when asked to", async () => {
    await page.goto(`${emulator.url}/?deviceNo=dash-risk`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#start');
    await frames('door').waitFor();
    await page.click('.aisle[data-aisle-id="6161"]');
    await page.click('#take');
    await frames('update').waitFor();
    await page.click('#refuse-order');
    await page.click('#close-door');
    await frames('failure').waitFor();

    expect(await frames('failure').locator('.frame-text').textContent()).toBe(
      '{"msg":"由于微信风控原因,订单创建失败,请您尝试支付宝扫码购物。","success":false,"type":"failure"}',
    );
    expect(await page.locator('#order').textContent()).toBe(
      'Failed · 由于微信风控原因,订单创建失败,请您尝试支付宝扫码购物。',
    );
  });

  it('plays the scenario chosen on the page for its own purchase only', async () => {
    await page.goto(`${emulator.url}/?deviceNo=dash-once`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.selectOption('#scenario', 'empty');
    await page.click('#start');
    await frames('final').waitFor();

    const cabinet = (await (
      await fetch(`${emulator.url}/emulator/cabinets/dash-once`)
    ).json()) as { scenario: string; scenarioAssigned: boolean };

    expect([cabinet.scenario, cabinet.scenarioAssigned]).toEqual([
      'manual',
      false,
    ]);

    // Whenever the page looks at the cabinet again (here on an event of
    // the device), how its purchase ended stays shown, not Idle.
    await expect.poll(() => page.locator('#start').isDisabled()).toBe(false);
    const looked = page.waitForResponse((response) =>
      response.url().endsWith('/emulator/cabinets/dash-once'),
    );

    await fetch(`${emulator.url}/emulator/cabinets/dash-once/scenario`, {
      method: 'DELETE',
    });
    await looked;
    await page.evaluate(() => new Promise((done) => setTimeout(done, 50)));
    expect(await page.locator('#status').textContent()).toBe(
      'Finished: order made',
    );
  });

  it('gives the device its own scenario back as soon as its purchase has started', async () => {
    const cabinet = async () =>
      (await (
        await fetch(`${emulator.url}/emulator/cabinets/dash-leave`)
      ).json()) as {
        scenario: string;
        scenarioAssigned: boolean;
        session: { scenario: string } | null;
      };

    await page.goto(`${emulator.url}/?deviceNo=dash-leave`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.selectOption('#scenario', 'jammed-lock');
    await page.click('#start');

    // While the purchase still waits for its lock (a page closed now
    // would leave nothing behind), the device plays its own again.
    await expect
      .poll(async () => {
        const { scenario, scenarioAssigned, session } = await cabinet();

        return [session?.scenario, scenario, scenarioAssigned];
      })
      .toEqual(['jammed-lock', 'manual', false]);
    await frames('failure').waitFor();
  });

  it('gives the device its own scenario back when the page closes while its choice is still being made', async () => {
    const leaving = await browser.newPage();
    const cabinet = async () =>
      (await (
        await fetch(`${emulator.url}/emulator/cabinets/dash-gone`)
      ).json()) as { scenario: string; scenarioAssigned: boolean };
    let chosen: () => void = () => undefined;
    const choiceMade = new Promise<void>((resolve) => (chosen = resolve));

    // The server takes the choice; its answer is held until the page is gone.
    await leaving.route(
      '**/emulator/cabinets/dash-gone/scenario',
      async (route) => {
        const response = await route.fetch();

        chosen();
        await new Promise((resolve) => setTimeout(resolve, 3000));
        await route.fulfill({ response }).catch(() => undefined);
      },
    );
    await leaving.goto(`${emulator.url}/?deviceNo=dash-gone`);
    await leaving.waitForSelector('body[data-ready="true"]');
    await leaving.selectOption('#scenario', 'risk-control');
    await leaving.click('#start');
    await choiceMade;
    expect((await cabinet()).scenario).toBe('risk-control');
    await leaving.close({ runBeforeUnload: true });

    await expect
      .poll(async () => {
        const { scenario, scenarioAssigned } = await cabinet();

        return [scenario, scenarioAssigned];
      })
      .toEqual(['manual', false]);
  });

  it('turns Jam the lock, with no purchase running, into the jammed-lock scenario', async () => {
    await page.click('#jam-lock');

    expect(await page.locator('#scenario').inputValue()).toBe('jammed-lock');
    expect(await page.locator('#notice').textContent()).toContain(
      'The next purchase plays the jammed-lock scenario',
    );
  });

  it('keeps Start off while another shopper is at the cabinet', async () => {
    await page.goto(`${emulator.url}/?deviceNo=dash-busy`);
    await page.waitForSelector('body[data-ready="true"]');

    const phone = new WebSocket(
      emulator.purchaseUrl({ deviceNo: 'dash-busy' }),
    );

    try {
      await frames('door').waitFor();
      await expect.poll(() => page.locator('#start').isDisabled()).toBe(true);
      expect(await page.locator('#status').textContent()).toBe(
        'Purchase running (manual)',
      );
    } finally {
      phone.terminate();
    }
  });

  it('says a device number in the address is not one, and shows the demo cabinet instead', async () => {
    await page.goto(`${emulator.url}/?deviceNo=%20%20`);
    await page.waitForSelector('body[data-ready="true"]');

    expect(await page.locator('#notice').textContent()).toBe(
      '?deviceNo="  " is not a device number (it is blank); showing demo-cabinet.',
    );
    expect(await page.locator('#cabinet').inputValue()).toBe('demo-cabinet');
    expect(new URL(page.url()).search).toBe('?deviceNo=demo-cabinet');
    expect(await page.locator('.aisle').count()).toBeGreaterThan(0);
  });

  it('takes the admin token out of the address once the page has loaded', async () => {
    await page.goto(
      `${emulator.url}/?deviceNo=dash-token&adminToken=a-token-of-twelve`,
    );
    await page.waitForSelector('body[data-ready="true"]');

    expect(new URL(page.url()).search).toBe('?deviceNo=dash-token');
  });
});
