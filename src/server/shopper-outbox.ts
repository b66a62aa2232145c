import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { ConnectionFault } from '../scenario/scenario.js';
import type { Clock, Timer } from '../time/clock.js';
import { CloseCode, closeReason } from './close-codes.js';

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
 */
export class ShopperOutbox {
  readonly #socket: WebSocket;
  readonly #clock: Clock;
  readonly #log: FastifyBaseLogger;
  readonly #onSent: ((text: string) => void) | undefined;
  #queue: OutgoingFrame[] = [];
  #timer: Timer | undefined;
  #delayNextMs = 0;
  #duplicateNext = false;

  /** `onSent` hears of every frame as it goes out on the socket. */
  constructor(
    socket: WebSocket,
    clock: Clock,
    log: FastifyBaseLogger,
    onSent?: (text: string) => void,
  ) {
    this.#socket = socket;
    this.#clock = clock;
    this.#log = log;
    this.#onSent = onSent;
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
    if (frame.last) {
      this.#socket.close(CloseCode.purchaseFinished, 'purchase finished');
    }
  }
}
