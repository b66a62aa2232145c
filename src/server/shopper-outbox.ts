import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { ConnectionFault } from '../scenario/scenario.js';
import type { Clock, Timer } from '../time/clock.js';
import { CloseCode, closeReason } from './close-codes.js';

/**
 * Bytes that may wait in memory for one shopper who does not read (the
 * socket's `bufferedAmount`, on top of what the kernel holds). A purchase
 * sends a few kilobytes; a megabyte is a reader that stopped.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

// A reader cut for not reading gets this long for the close frame to get
// out behind what it has not read; then the connection is cut. Wall-clock
// time, like the buffer it protects.
const NOT_READING_GRACE_MS = 1000;

export interface ShopperOutboxOptions {
  /** Hears of every frame as it goes out on the socket. */
  onSent?: (text: string) => void;
  /** Bytes that may wait for the shopper before it is cut as not reading. */
  maxBufferedBytes?: number;
}

interface OutgoingFrame {
  text: string;
  /** The purchase is over once this frame is out: close after it. */
  last: boolean;
  dueAt: number;
}

/**
 * The frames on their way to one shopper, in order. Normally each goes out
 * the moment it is made; a scenario's connection faults hold one back, send
 * one twice, or break the connection, on the session's own clock so that a
 * replay in virtual time sees them at the same moments.
 *
 * Memory per shopper is bounded: once more than `maxBufferedBytes` wait to
 * be sent, the socket is closed with 4002 and, if even the close frame
 * cannot get out, cut. The purchase itself goes on, as on any dropped
 * connection.
 */
export class ShopperOutbox {
  readonly #socket: WebSocket;
  readonly #clock: Clock;
  readonly #log: FastifyBaseLogger;
  readonly #onSent: ((text: string) => void) | undefined;
  readonly #maxBufferedBytes: number;
  #queue: OutgoingFrame[] = [];
  #timer: Timer | undefined;
  #delayNextMs = 0;
  #duplicateNext = false;

  constructor(
    socket: WebSocket,
    clock: Clock,
    log: FastifyBaseLogger,
    {
      onSent,
      maxBufferedBytes = MAX_BUFFERED_BYTES,
    }: ShopperOutboxOptions = {},
  ) {
    this.#socket = socket;
    this.#clock = clock;
    this.#log = log;
    this.#onSent = onSent;
    this.#maxBufferedBytes = maxBufferedBytes;
  }

  send(text: string, last: boolean): void {
    const now = this.#clock.now();
    // A frame never overtakes one held back before it.
    const dueAt = Math.max(
      now + this.#delayNextMs,
      this.#queue.at(-1)?.dueAt ?? now,
    );
    const copies = this.#duplicateNext ? 2 : 1;

    this.#delayNextMs = 0;
    this.#duplicateNext = false;
    for (let copy = 1; copy <= copies; copy++) {
      this.#queue.push({ text, last: last && copy === copies, dueAt });
    }
    this.#flush();
  }

  breakConnection(fault: ConnectionFault): void {
    this.#log.info({ fault }, 'scenario breaks the connection');

    switch (fault.kind) {
      case 'drop':
        // No closing handshake: to the phone, the network went away.
        this.#socket.terminate();
        break;
      case 'close':
        this.#socket.close(fault.code, closeReason(fault.reason));
        break;
      case 'delay-next-frame':
        this.#delayNextMs += fault.ms;
        break;
      case 'duplicate-next-frame':
        this.#duplicateNext = true;
        break;
    }
  }

  /** Drops whatever is still waiting; the connection is gone. */
  dispose(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#queue = [];
  }

  #flush(): void {
    const now = this.#clock.now();

    while (this.#queue.length > 0 && this.#queue[0]!.dueAt <= now) {
      this.#deliver(this.#queue.shift()!);
    }

    const next = this.#queue[0];

    if (next && !this.#timer) {
      this.#timer = this.#clock.schedule(next.dueAt - now, () => {
        this.#timer = undefined;
        this.#flush();
      });
    }
  }

  #deliver(frame: OutgoingFrame): void {
    if (this.#socket.readyState !== this.#socket.OPEN) {
      this.#log.debug(
        { frame: frame.text },
        'shopper gone; frame not delivered',
      );
      return;
    }
    this.#log.debug({ frame: frame.text }, 'frame sent');
    this.#socket.send(frame.text);
    this.#onSent?.(frame.text);
    if (this.#socket.bufferedAmount > this.#maxBufferedBytes) {
      this.#cutSlowReader();
    } else if (frame.last) {
      this.#socket.close(CloseCode.purchaseFinished, 'purchase finished');
    }
  }

  #cutSlowReader(): void {
    const socket = this.#socket;

    this.#log.warn(
      { bufferedBytes: socket.bufferedAmount, limit: this.#maxBufferedBytes },
      'shopper not reading; socket closed, the cabinet carries on',
    );
    this.dispose();
    socket.close(CloseCode.notReading, 'shopper not reading');

    const cut = setTimeout(() => socket.terminate(), NOT_READING_GRACE_MS);

    cut.unref();
    socket.once('close', () => clearTimeout(cut));
  }
}
