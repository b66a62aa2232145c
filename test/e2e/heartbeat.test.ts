import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningEmulator } from '../../src/index.js';
import { converse, startQuietEmulator } from './conversation.js';
import { capturingLogger, type LogLine } from './log-capture.js';

let emulator: RunningEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function until(lines: LogLine[], match: Partial<LogLine>): Promise<LogLine> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const found = lines.find((line) =>
        Object.entries(match).every(([key, value]) => line[key] === value),
      );

      if (found) {
        clearInterval(poll);
        resolve(found);
      }
    }, 10);
  });
}

describe('the heartbeat', () => {
  it('cuts a shopper that answers no pings, after two missed pongs; the cabinet carries on', async () => {
    const { logger, lines } = capturingLogger();

    // seed-yoghurt at speed 4 lasts about 1.3 s, many heartbeats.
    emulator = await startQuietEmulator({
      scenario: 'seed-yoghurt',
      speed: 4,
      heartbeatMs: 50,
      logger,
    });

    const socket = new WebSocket(emulator.purchaseUrl({ deviceNo: 'HB-1' }), {
      autoPong: false,
    });
    let pings = 0;

    socket.on('ping', () => (pings += 1));

    const code = await new Promise<number>((resolve) =>
      socket.on('close', resolve),
    );

    // Cut without a close frame: it was not listening.
    expect(code).toBe(1006);
    expect(pings).toBe(2);
    expect(lines).toContainEqual(
      expect.objectContaining({
        deviceNo: 'HB-1',
        missedPongs: 2,
        msg: 'shopper stopped answering pings; connection cut',
      }),
    );

    const ended = await until(lines, {
      msg: 'purchase ended',
      deviceNo: 'HB-1',
    });

    expect(ended.end).toBe('order-made');
  });

  it('keeps a shopper that answers, through many pings, to the end of the purchase', async () => {
    emulator = await startQuietEmulator({
      scenario: 'seed-yoghurt',
      speed: 4,
      heartbeatMs: 20,
    });

    let pings = 0;
    const conversation = await converse(emulator.purchaseUrl(), {
      onFrame: (socket, _frame, index) => {
        if (index === 0) socket.on('ping', () => (pings += 1));
      },
    });

    expect(conversation.frames).toHaveLength(3);
    expect(conversation.closeCode).toBe(1000);
    expect(pings).toBeGreaterThan(2);
  });
});
