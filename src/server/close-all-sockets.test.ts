import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { closeAllSockets } from './close-all-sockets.js';

class FakeSocket extends EventEmitter {
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  closes: [number, string][] = [];
  terminated = false;

  constructor(public readyState: number) {
    super();
  }

  close(code: number, reason: string): void {
    this.closes.push([code, reason]);
    this.readyState = this.CLOSING;
  }

  terminate(): void {
    this.terminated = true;
    this.finish();
  }

  /** The peer answered, or the connection ended. */
  finish(): void {
    this.readyState = this.CLOSED;
    this.emit('close');
  }
}

const sockets = (...list: FakeSocket[]) => list as unknown as WebSocket[];

describe('closeAllSockets', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('tells an open socket 1001 and waits for its answer', async () => {
    const open = new FakeSocket(1);
    let done = false;
    const closing = closeAllSockets(sockets(open), 1000).then(
      () => (done = true),
    );

    expect(open.closes).toEqual([[1001, 'emulator shutting down']]);
    open.finish();
    await closing;

    expect([done, open.terminated]).toEqual([true, false]);
  });

  it('cuts an open socket that does not answer within the grace', async () => {
    const silent = new FakeSocket(1);
    const closing = closeAllSockets(sockets(silent), 1000);

    await vi.advanceTimersByTimeAsync(999);
    expect(silent.terminated).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    await closing;
    expect(silent.terminated).toBe(true);
  });

  it('cuts a socket already closing at once, without waiting for the grace', async () => {
    // A purchase ended and its client never answered our close frame.
    const closing = new FakeSocket(2);

    await closeAllSockets(sockets(closing), 1000);

    expect(closing.terminated).toBe(true);
    expect(closing.closes).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves closed sockets alone', async () => {
    const closed = new FakeSocket(3);

    await closeAllSockets(sockets(closed), 1000);

    expect([closed.closes, closed.terminated]).toEqual([[], false]);
  });
});
