import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningEmulator } from '../../src/index.js';
import { converse, startQuietEmulator } from './conversation.js';
import { capturingLogger, type LogLine } from './log-capture.js';

const DOOR = '{"msg":"","success":true,"type":"door"}';

describe('a shopper whose connection drops between door and final', () => {
  let emulator: RunningEmulator;
  const { logger, lines } = capturingLogger();

  beforeAll(async () => {
    // seed-yoghurt at speed 10: about half a second from door to final.
    emulator = await startQuietEmulator({
      scenario: 'seed-yoghurt',
      speed: 10,
      logger,
    });
  });
  afterAll(() => emulator.close());

  const lineOf = (msg: string, deviceNo: string) =>
    lines.find((line) => line.msg === msg && line.deviceNo === deviceNo);

  function until(find: () => LogLine | undefined): Promise<LogLine> {
    return new Promise((resolve) => {
      const poll = setInterval(() => {
        const found = find();

        if (found) {
          clearInterval(poll);
          resolve(found);
        }
      }, 10);
    });
  }

  it('makes and keeps the order, then frees the device for a new purchase', async () => {
    const socket = new WebSocket(emulator.purchaseUrl({ deviceNo: 'DROP-1' }));
    const tcp = new Promise<Socket>((resolve) =>
      socket.once('upgrade', (response) => resolve(response.socket)),
    );
    const frames: string[] = [];

    socket.on('message', (data) => frames.push(String(data)));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('message', resolve));

    // The phone loses the network: no close frame, the TCP connection is gone.
    (await tcp).destroy();

    const started = lineOf('purchase started', 'DROP-1')!;
    const ended = await until(() => lineOf('purchase ended', 'DROP-1'));

    expect(frames).toEqual([DOOR]);
    expect(
      lineOf(
        'shopper disconnected mid-purchase; the cabinet carries on',
        'DROP-1',
      ),
    ).toMatchObject({ code: 1006 });
    expect(ended.end).toBe('order-made');

    // The order the shopper never heard of is kept, at its payment page.
    const kept = await fetch(`${emulator.url}/pay/${String(started.tradeNo)}`);

    expect(kept.status).toBe(200);
    expect(await kept.json()).toMatchObject({
      tradeNo: started.tradeNo,
      deviceNo: 'DROP-1',
      amount: '15.80',
      paid: true,
    });

    const again = await converse(emulator.purchaseUrl({ deviceNo: 'DROP-1' }));
    const restarted = lines.filter(
      (line) => line.msg === 'purchase started' && line.deviceNo === 'DROP-1',
    );

    expect(again.frames).toHaveLength(3);
    expect(again.frames[2]).toContain(
      `"tradeNo":"${String(restarted[1]!.tradeNo)}"`,
    );
    expect(restarted[1]!.tradeNo).not.toBe(started.tradeNo);
  });
});
