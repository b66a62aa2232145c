import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  converse,
  connectUntilFirstFrame,
  startQuietEmulator,
} from './conversation.js';
import { BIN, launch, type Launched } from './launch.js';
import { capturingLogger } from './log-capture.js';
import {
  closeCodeOf,
  framesUntilClose,
  OPCODE,
  rawExchange,
  upgradeRequest,
} from './raw-socket.js';

const DOOR = '{"msg":"","success":true,"type":"door"}';

// Some machines (containers, CI runners) have no IPv6 loopback at all.
const hasIpv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createServer();

  probe.once('error', () => resolve(false));
  probe.listen(0, '::1', () => probe.close(() => resolve(true)));
});

describe('shutting down through the API', () => {
  it('tells every shopper 1001, ends running purchases and cuts a client that never answered a close', async () => {
    const { logger, lines } = capturingLogger();
    const emulator = await startQuietEmulator({ speed: 1, logger });
    const shoppers = await Promise.all(
      ['SD-1', 'SD-2'].map((deviceNo) =>
        connectUntilFirstFrame(emulator.purchaseUrl({ deviceNo })),
      ),
    );
    // A refused client that reads the close frame and never answers it.
    const url = new URL(emulator.purchaseUrl({ deviceNo: 'SD-1' }));
    const deaf = await rawExchange(
      emulator.port,
      upgradeRequest(url.pathname + url.search),
      { frames: 2 },
    );
    const deafEnd = new Promise((resolve) =>
      deaf.socket.once('close', resolve),
    );

    expect(deaf.frames.map(({ opcode }) => opcode)).toEqual([
      OPCODE.text,
      OPCODE.close,
    ]);
    expect(closeCodeOf(deaf.frames[1]!)).toBe(4001);

    await emulator.close();

    for (const shopper of shoppers) {
      const { closeCode, closeReason, frames } = await shopper.rest;

      expect([closeCode, closeReason]).toEqual([
        1001,
        'emulator shutting down',
      ]);
      expect(frames).toEqual([DOOR]);
    }
    await deafEnd;
    expect(
      lines
        .filter((line) => line.msg === 'purchase ended')
        .map((line) => [line.deviceNo, line.end]),
    ).toEqual([
      ['SD-1', 'cancelled'],
      ['SD-2', 'cancelled'],
    ]);
  });
});

describe('cabinet-emu serve stopped by a signal', () => {
  async function serving(
    host: string,
  ): Promise<{ serve: Launched; port: number }> {
    const serve = launch('node', [
      BIN,
      'serve',
      '--host',
      host,
      '--port',
      '0',
      '--log-level',
      'silent',
      '--no-journal',
    ]);

    for (const deadline = Date.now() + 14_000; Date.now() < deadline;) {
      const match = /listening on http:\/\/\S+:(\d+) /.exec(serve.output());

      if (match) return { serve, port: Number(match[1]) };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`not listening; output was:\n${serve.output()}`);
  }

  const purchaseAt = (address: string, port: number, deviceNo: string) =>
    `ws://${address}:${port}/websocket/ssib/purchase?token=T&deviceNo=${deviceNo}&appId=A`;

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'tells every shopper 1001 and exits 0 on %s',
    async (signal) => {
      const { serve, port } = await serving('127.0.0.1');
      const shoppers = await Promise.all(
        ['S-1', 'S-2'].map((deviceNo) =>
          connectUntilFirstFrame(purchaseAt('127.0.0.1', port, deviceNo)),
        ),
      );

      serve.child.kill(signal);

      for (const shopper of shoppers) {
        expect((await shopper.rest).closeCode).toBe(1001);
      }
      expect(await serve.exited).toBe(0);
    },
  );

  it.skipIf(!hasIpv6Loopback)(
    'listening on :: for IPv4 and IPv6, tells shoppers on both 1001 and exits 0 (skipped where the machine has no IPv6 loopback)',
    async () => {
      const { serve, port } = await serving('::');
      const overIpv4 = await connectUntilFirstFrame(
        purchaseAt('127.0.0.1', port, 'V4'),
      );
      const overIpv6 = await connectUntilFirstFrame(
        purchaseAt('[::1]', port, 'V6'),
      );

      serve.child.kill('SIGTERM');

      expect((await overIpv4.rest).closeCode).toBe(1001);
      expect((await overIpv6.rest).closeCode).toBe(1001);
      expect(await serve.exited).toBe(0);
    },
  );
});
