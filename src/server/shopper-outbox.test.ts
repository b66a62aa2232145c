import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { systemClock } from '../time/clock.js';
import { ShopperOutbox } from './shopper-outbox.js';

// A socket whose unsent bytes the test decides.
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closes: [number, string][] = [];
  terminated = false;

  send(text: string): void {
    this.sent.push(text);
  }

  close(code: number, reason: string): void {
    this.closes.push([code, reason]);
    this.readyState = 2;
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
}

const quiet = pino({ level: 'silent' }) as FastifyBaseLogger;

describe('ShopperOutbox', () => {
  let socket: FakeSocket;
  let outbox: ShopperOutbox;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    outbox = new ShopperOutbox(
      socket as unknown as WebSocket,
      systemClock,
      quiet,
      { maxBufferedBytes: 1000 },
    );
  });
  afterEach(() => vi.useRealTimers());

  it('closes with 1000 after the last frame of a purchase', () => {
    outbox.send('door', false);
    outbox.send('final', true);

    expect(socket.sent).toEqual(['door', 'final']);
    expect(socket.closes).toEqual([[1000, 'purchase finished']]);
  });

  it('keeps sending while what waits stays within the limit', () => {
    socket.bufferedAmount = 1000;
    outbox.send('update', false);

    expect(socket.closes).toEqual([]);
  });

  it('closes with 4002 once more than the limit waits, and sends nothing more', () => {
    socket.bufferedAmount = 1001;
    outbox.send('update', false);
    outbox.send('final', true);

    expect(socket.sent).toEqual(['update']);
    expect(socket.closes).toEqual([[4002, 'shopper not reading']]);
  });

  it('cuts the connection when the close cannot get out within a second', () => {
    socket.bufferedAmount = 1001;
    outbox.send('update', false);

    vi.advanceTimersByTime(999);
    expect(socket.terminated).toBe(false);

    vi.advanceTimersByTime(1);
    expect(socket.terminated).toBe(true);
  });

  it('does not cut a reader that caught up and closed in time', () => {
    socket.bufferedAmount = 1001;
    outbox.send('update', false);
    socket.emit('close');
    vi.advanceTimersByTime(5000);

    expect(socket.terminated).toBe(false);
  });
});
