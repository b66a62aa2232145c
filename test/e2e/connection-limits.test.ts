import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningEmulator } from '../../src/index.js';
import { connectUntilFirstFrame, startQuietEmulator } from './conversation.js';
import { rawExchange, upgradeRequest } from './raw-socket.js';

const DOOR = '{"msg":"","success":true,"type":"door"}';

let emulator: RunningEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** The HTTP answer to a handshake that was refused, or 101. */
function handshake(
  url: string,
  localAddress = '127.0.0.1',
): Promise<{ status: number; body: string; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { localAddress });

    socket.on('upgrade', () => resolve({ status: 101, body: '', socket }));
    socket.on('unexpected-response', (_request, response) => {
      let body = '';

      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, body, socket }),
      );
    });
    socket.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

describe('connection limits', () => {
  it('refuses the connection past maxConnections with 503, and admits again once one closes', async () => {
    emulator = await startQuietEmulator({ speed: 1, maxConnections: 2 });

    const first = await connectUntilFirstFrame(
      emulator.purchaseUrl({ deviceNo: 'L-1' }),
    );
    const second = await connectUntilFirstFrame(
      emulator.purchaseUrl({ deviceNo: 'L-2' }),
    );
    const third = await handshake(emulator.purchaseUrl({ deviceNo: 'L-3' }));

    expect(third.status).toBe(503);
    expect(JSON.parse(third.body)).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'too many WebSocket connections (limit 2); try again later',
    });

    first.socket.close();
    await first.rest;

    const fourth = await connectUntilFirstFrame(
      emulator.purchaseUrl({ deviceNo: 'L-4' }),
    );

    expect(fourth.first).toBe(DOOR);
    fourth.socket.close();
    second.socket.close();
  });

  it('refuses a purchase socket past maxConnectionsPerIp from one address, not from another', async () => {
    emulator = await startQuietEmulator({ speed: 1, maxConnectionsPerIp: 1 });

    const first = await connectUntilFirstFrame(
      emulator.purchaseUrl({ deviceNo: 'IP-1' }),
    );
    const sameAddress = await handshake(
      emulator.purchaseUrl({ deviceNo: 'IP-2' }),
    );
    // The whole of 127.0.0.0/8 is this machine on Linux and macOS.
    const otherAddress = await handshake(
      emulator.purchaseUrl({ deviceNo: 'IP-3' }),
      '127.0.0.2',
    );

    expect(sameAddress.status).toBe(503);
    expect(JSON.parse(sameAddress.body).message).toBe(
      'too many purchase sockets from 127.0.0.1 (limit 1); close one first',
    );
    expect(otherAddress.status).toBe(101);
    otherAddress.socket.close();
    first.socket.close();
  });

  it('gives the place back when a handshake fails', async () => {
    emulator = await startQuietEmulator({ speed: 1, maxConnectionsPerIp: 1 });

    const url = new URL(emulator.purchaseUrl());
    const refused = await rawExchange(
      emulator.port,
      upgradeRequest(url.pathname + url.search, {
        'Sec-WebSocket-Version': '12',
      }),
    );

    expect(refused.status).toBe(400);
    // The server ends the connection after its answer.
    await new Promise((resolve) => refused.socket.once('close', resolve));

    const after = await connectUntilFirstFrame(emulator.purchaseUrl());

    expect(after.first).toBe(DOOR);
    after.socket.close();
  });
});
