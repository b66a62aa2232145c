import { request } from 'node:http';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { lanAddresses } from '../../src/server/lan-addresses.js';
import { startQuietEmulator } from './conversation.js';

function httpGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; body: string }>(
    (resolve, reject) => {
      request(url, { headers }, (response) => {
        const chunks: Buffer[] = [];

        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            type: String(response.headers['content-type']),
            body: Buffer.concat(chunks).toString(),
          }),
        );
      })
        .on('error', reject)
        .end();
    },
  );
}

describe('the dashboard route', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startQuietEmulator();
  });
  afterAll(() => emulator.close());

  it('serves the page at /', async () => {
    const response = await httpGet(`${emulator.url}/`);

    expect(response.status).toBe(200);
    expect(response.type).toBe('text/html; charset=utf-8');
    expect(response.body).toContain(
      '<script type="module" src="/dashboard/app.js">',
    );
  });

  it('sends /dashboard and /dashboard/ to the page, keeping the query', async () => {
    for (const path of ['/dashboard', '/dashboard/']) {
      const response = await fetch(`${emulator.url}${path}?deviceNo=C-7`, {
        redirect: 'manual',
      });

      expect([path, response.status, response.headers.get('location')]).toEqual(
        [path, 302, '/?deviceNo=C-7'],
      );
    }
  });

  it("serves the page's modules as JavaScript", async () => {
    const response = await httpGet(`${emulator.url}/dashboard/app.js`);

    expect(response.status).toBe(200);
    expect(response.type).toBe('application/javascript; charset=utf-8');
  });

  it('leaves other paths to the JSON 404, also the page files outside /dashboard/', async () => {
    const response = await httpGet(`${emulator.url}/missing.js`);

    expect(response.status).toBe(404);
    expect(response.body).toBe(
      '{"statusCode":404,"error":"Not Found","message":"no route for GET /missing.js"}',
    );
    expect((await httpGet(`${emulator.url}/app.js`)).status).toBe(404);
  });

  it('gives the purchase address of a cabinet as the browser reached it', async () => {
    // Reached under a LAN address, as a phone would: the admin token is on.
    const guarded = await startQuietEmulator({
      adminToken: 'a-token-of-twelve',
    });

    try {
      const response = await httpGet(
        `${guarded.url}/dashboard/purchase-url?deviceNo=C-7`,
        {
          host: '192.168.1.20:8080',
          authorization: 'Bearer a-token-of-twelve',
        },
      );

      expect(JSON.parse(response.body)).toEqual({
        url: 'ws://192.168.1.20:8080/websocket/ssib/purchase?token=demo-token&deviceNo=C-7&appId=demo-app',
        reachableFromLan: true,
      });
    } finally {
      await guarded.close();
    }
  });

  it('answers admin paths only under a loopback name while it has no admin token', async () => {
    for (const host of ['localhost:8080', '127.0.0.1', '[::1]:8080']) {
      expect(
        (await httpGet(`${emulator.url}/dashboard/scenarios`, { host })).status,
      ).toBe(200);
    }

    const rebound = await httpGet(`${emulator.url}/emulator/orders`, {
      host: 'rebind.attacker.example:8080',
    });

    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).message).toBe(
      'the control API and dashboard answer only requests addressed to localhost, 127.0.0.1 or [::1] unless an admin token is set (--admin-token); this one was addressed to "rebind.attacker.example:8080"',
    );
    // The cabinet's own paths stay open under any name.
    expect(
      (
        await httpGet(`${emulator.url}/api/imgserver`, {
          host: 'cabinet.example',
        })
      ).status,
    ).toBe(200);
  });

  it('draws that address as an SVG QR code', async () => {
    const response = await httpGet(
      `${emulator.url}/dashboard/qr.svg?deviceNo=C-7`,
    );
    const expected = await QRCode.toString(
      emulator.purchaseUrl({ deviceNo: 'C-7' }),
      {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      },
    );

    expect(response.status).toBe(200);
    expect(response.type).toBe('image/svg+xml; charset=utf-8');
    expect(response.body).toBe(expected);
  });

  it('refuses a QR code without a device number', async () => {
    const response = await httpGet(`${emulator.url}/dashboard/qr.svg`);

    expect(response.status).toBe(400);
    expect(response.body).toBe(
      '{"statusCode":400,"error":"Bad Request","message":"missing query parameter: deviceNo"}',
    );
  });

  it('lists the bundled scenarios, manual first', async () => {
    const { scenarios } = JSON.parse(
      (await httpGet(`${emulator.url}/dashboard/scenarios`)).body,
    ) as { scenarios: Array<{ name: string }> };

    expect(scenarios[0]!.name).toBe('manual');
    expect(scenarios.map(({ name }) => name)).toContain('happy-path');
  });
});

describe('the dashboard route on every interface', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startQuietEmulator({ host: '0.0.0.0' });
  });
  afterAll(() => emulator.close());

  it('offers a phone the LAN address when the browser is on loopback', async () => {
    const lan = lanAddresses()[0];
    // Off loopback the dashboard is behind the admin token.
    const response = await httpGet(
      `${emulator.url}/dashboard/purchase-url?deviceNo=C-8`,
      { authorization: `Bearer ${emulator.config.adminToken}` },
    );
    const host = lan ?? '127.0.0.1';

    expect(JSON.parse(response.body)).toEqual({
      url: `ws://${host}:${emulator.port}/websocket/ssib/purchase?token=demo-token&deviceNo=C-8&appId=demo-app`,
      reachableFromLan: lan !== undefined,
    });
  });
});
