import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderBook } from '../cabinet/order-book.js';
import {
  BUNDLED_FIXTURES_DIR,
  resolveConfig,
  type EmulatorOptions,
} from '../config.js';
import { systemClock } from '../time/clock.js';
import { isAdminPath, isLoopbackHost } from './admin-access.js';
import { createServer } from './create-server.js';

const TOKEN = 'correct-horse-battery';
const REFUSAL = {
  statusCode: 401,
  error: 'Unauthorized',
  message:
    'this address needs the emulator\'s admin token, printed at start-up: send the header "Authorization: Bearer TOKEN", or open the page once with ?adminToken=TOKEN (a cookie then lets the page in)',
};

async function buildApp(options: EmulatorOptions): Promise<FastifyInstance> {
  const app = await createServer({
    config: resolveConfig({ logLevel: 'silent', ...options }),
    openSession: () => {
      throw new Error('no purchases in this test');
    },
    orders: new OrderBook(),
    clock: systemClock,
    imagesDir: join(BUNDLED_FIXTURES_DIR, 'images'),
    logger: pino({ level: 'silent' }),
    origin: () => 'http://127.0.0.1',
  });

  // A stand-in for the control API; the dashboard's page (at /) and its
  // files (under /dashboard/) are the server's own.
  app.get('/emulator/ping', async () => ({ pong: true }));

  return app;
}

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.9.8.7', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['LocalHost', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
    ['cabinet.local', false],
  ])('says %s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('isAdminPath', () => {
  it.each([
    ['/', true],
    ['/emulator', true],
    ['/emulator/orders', true],
    ['/dashboard/app.js', true],
    ['/emulatorx', false],
    ['/upload/image/cola.jpg', false],
    ['/pay/19101114451054062737', false],
    ['/websocket/ssib/purchase', false],
  ])('says %s is guarded: %s', (path, guarded) => {
    expect(isAdminPath(path)).toBe(guarded);
  });
});

describe('the admin gate on a LAN address', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await buildApp({ host: '0.0.0.0', adminToken: TOKEN });
  });
  afterAll(() => app.close());

  it.each(['/emulator/ping', '/', '/dashboard/app.js', '/%65mulator/ping'])(
    'refuses %s without the token, saying how to pass it',
    async (url) => {
      const response = await app.inject({ url });

      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe(
        'Bearer realm="cabinet-emulator"',
      );
      expect(response.json()).toEqual(REFUSAL);
    },
  );

  it('refuses a wrong token, in every place a token may be', async () => {
    for (const request of [
      { headers: { authorization: 'Bearer correct-horse-battery!' } },
      { headers: { authorization: `Basic ${TOKEN}` } },
      { headers: { cookie: 'cabinet_emu_admin=correct-horse' } },
      { query: { adminToken: 'x' } },
    ]) {
      const response = await app.inject({ url: '/emulator/ping', ...request });

      expect(response.statusCode).toBe(401);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });

  it('lets a bearer token in', async () => {
    const response = await app.inject({
      url: '/emulator/ping',
      headers: { authorization: `Bearer ${TOKEN}` },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ pong: true });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it("sets a strict HttpOnly cookie on a browser's first visit with the token in the query, which lets the page's own requests in", async () => {
    const first = await app.inject({ url: `/?adminToken=${TOKEN}` });

    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<script type="module"');
    expect(first.headers['set-cookie']).toBe(
      `cabinet_emu_admin=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`,
    );
    expect(first.headers['referrer-policy']).toBe('no-referrer');

    const asset = await app.inject({
      url: '/dashboard/app.js',
      headers: { cookie: `theme=dark; cabinet_emu_admin=${TOKEN}` },
    });

    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^application\/javascript/);
  });

  it('leaves the purchase endpoint, pictures and payment pages open', async () => {
    const picture = await app.inject({
      url: '/upload/image/19091215161757769747.jpg',
    });
    const payment = await app.inject({ url: '/pay/19101114451054062737' });
    const purchase = await app.inject({ url: '/websocket/ssib/purchase' });

    expect(picture.statusCode).toBe(200);
    expect(payment.statusCode).toBe(404);
    expect(purchase.statusCode).toBe(426);
  });
});

describe('the admin gate on loopback', () => {
  it('is open when no token is given', async () => {
    const app = await buildApp({ host: '127.0.0.1' });
    const response = await app.inject({ url: '/emulator/ping' });

    expect(response.statusCode).toBe(200);
    await app.close();
  });

  it('is closed when a token is given all the same', async () => {
    const app = await buildApp({ host: '127.0.0.1', adminToken: TOKEN });
    const response = await app.inject({ url: '/emulator/ping' });

    expect(response.statusCode).toBe(401);
    await app.close();
  });
});

describe('the admin token in the configuration', () => {
  it('is made up, URL-safe, when the host is not loopback and none is given', () => {
    const first = resolveConfig({ host: '0.0.0.0' }).adminToken;
    const second = resolveConfig({ host: '192.168.1.20' }).adminToken;

    expect(first).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(second).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first).not.toBe(second);
    expect(resolveConfig({ host: 'localhost' }).adminToken).toBeUndefined();
  });

  it('refuses a short or unsafe token without showing it', () => {
    expect(() => resolveConfig({ adminToken: 'secret' })).toThrow(
      'adminToken: expected at least 12 characters of A-Z a-z 0-9 - . _ ~, got a token of 6 characters',
    );
    expect(() => resolveConfig({ adminToken: 'secret; Path=/x' })).toThrow(
      'adminToken: expected at least 12 characters of A-Z a-z 0-9 - . _ ~, got a token with other characters',
    );
  });
});
