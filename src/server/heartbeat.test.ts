import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { keepAlive } from './heartbeat.js';

class FakeSocket extends EventEmitter {
  pings = 0;
  terminated = false;

  ping(): void {
    this.pings += 1;
  }

  terminate(): void {
    this.terminated = true;
    this.emit('close');
  }
}

describe('keepAlive', () => {
  let socket: FakeSocket;
  let dead: number;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    dead = 0;
    keepAlive(socket as unknown as WebSocket, 25_000, () => (dead += 1));
  });
  afterEach(() => vi.useRealTimers());

  it('pings once per interval', () => {
    vi.advanceTimersByTime(24_999);
    expect(socket.pings).toBe(0);

    vi.advanceTimersByTime(1);
    expect(socket.pings).toBe(1);
  });

  it('cuts a peer that misses two pongs in a row, and says so first', () => {
    vi.advanceTimersByTime(50_000);
    expect([socket.pings, socket.terminated]).toEqual([2, false]);

    vi.advanceTimersByTime(25_000);
    expect([socket.pings, socket.terminated, dead]).toEqual([2, true, 1]);
  });

  it('keeps a peer that answers, however late within the interval', () => {
    for (let tick = 0; tick < 10; tick++) {
      vi.advanceTimersByTime(25_000);
      socket.emit('pong');
    }

    expect([socket.pings, socket.terminated]).toEqual([10, false]);
  });

  it('forgives one missed pong once the next is answered', () => {
    vi.advanceTimersByTime(50_000);
    socket.emit('pong');
    vi.advanceTimersByTime(50_000);

    expect(socket.terminated).toBe(false);
  });

  it('stops pinging once the socket has closed', () => {
    socket.emit('close');
    vi.advanceTimersByTime(250_000);

    expect([socket.pings, dead]).toEqual([0, 0]);
  });
});
