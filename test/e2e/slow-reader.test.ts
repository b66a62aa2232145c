import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Decimal } from '../../src/pricing/decimal.js';
import { priceBasket } from '../../src/pricing/price-basket.js';
import { MAX_BUFFERED_BYTES } from '../../src/server/shopper-outbox.js';
import { aisle, product } from '../support/catalogue.js';
import { serveFakeSessions } from './fake-sessions-server.js';

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

// An update frame of about 50 KB: one line whose product name is long.
const bigBasket = priceBasket(
  [
    {
      aisle: aisle(
        1,
        product({ name: '长'.repeat(16_000), price: new Decimal('1') }),
      ),
      quantity: 1,
    },
  ],
  'half-up',
);

function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => socket.once('open', () => resolve()));
}

describe('a shopper who stops reading', () => {
  it('is closed with 4002 and cut once too much waits for it; another shopper is untouched', async () => {
    const served = await serveFakeSessions({ heartbeatMs: 59_999 });
    const { sessions, lines, app: server } = served;
    const url = served.purchaseUrl;

    app = server;
    const slow = new WebSocket(url('SLOW'));
    const brisk = new WebSocket(url('BRISK'));
    const slowTcp = new Promise<Socket>((resolve) =>
      slow.once('upgrade', (response) => resolve(response.socket)),
    );
    let briskFrames = 0;

    brisk.on('message', () => (briskFrames += 1));
    await Promise.all([opened(slow), opened(brisk)]);

    // The slow shopper's phone reads nothing more from the network.
    (await slowTcp).pause();

    const slowSession = sessions.get('SLOW')!;
    const frame = { kind: 'basket-changed', basket: bigBasket } as const;
    let sent = 0;

    // Bounded: the kernel takes a few megabytes before anything waits in
    // the emulator's memory; 400 frames of 50 KB are 20 MB at most.
    while (server.websocketServer.clients.size === 2 && sent < 400) {
      slowSession.emit(frame);
      sent += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }

    const warning = lines.find(
      (line) =>
        line.msg ===
        'shopper not reading; socket closed, the cabinet carries on',
    );

    expect(warning).toMatchObject({
      deviceNo: 'SLOW',
      limit: MAX_BUFFERED_BYTES,
    });
    expect(warning!.bufferedBytes as number).toBeGreaterThan(
      MAX_BUFFERED_BYTES,
    );

    // The other shopper still gets what its session sends.
    sessions.get('BRISK')!.emit(frame);
    sessions.get('BRISK')!.emit({ kind: 'nothing-bought' });

    const briskClose = await new Promise<number>((resolve) =>
      brisk.on('close', resolve),
    );

    expect([briskFrames, briskClose]).toEqual([2, 1000]);

    // Once the server has cut it, the slow phone reads what the kernel held
    // and finds the connection gone without a close frame: the 4002 could
    // not get out behind the megabyte waiting before it.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (server.websocketServer.clients.size === 0) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });

    const slowClose = new Promise<number>((resolve) =>
      slow.on('close', resolve),
    );

    (await slowTcp).resume();
    expect(await slowClose).toBe(1006);
    expect(slowSession.isOver).toBe(false);
  });
});
