import type {
  PurchaseSession,
  SessionEnd,
  SessionEvent,
} from '../../src/cabinet/purchase-session.js';
import { systemClock } from '../../src/time/clock.js';

/**
 * A purchase session driven by hand: what the route reads of a session, and
 * `emit` to send it any event. For tests of the connection, not the cabinet.
 */
export class FakeSession {
  readonly id = 'fake-session';
  readonly scenario = { name: 'fake' };
  readonly cabinet = { name: 'fake' };
  readonly tradeNo = '19101114451000000001';
  readonly clock = systemClock;
  readonly ended: Promise<SessionEnd>;
  isOver = false;
  started = false;
  readonly #listeners = new Set<(event: SessionEvent) => void>();
  #end!: (end: SessionEnd) => void;

  readonly #doorOnStart: boolean;

  /** With `doorOnStart`, the door opens as soon as the route starts it. */
  constructor({ doorOnStart = false } = {}) {
    this.#doorOnStart = doorOnStart;
    this.ended = new Promise((resolve) => (this.#end = resolve));
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.#listeners.add(listener);

    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.started = true;
    if (this.#doorOnStart) this.emit({ kind: 'door-opened' });
  }

  emit(event: SessionEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  finish(end: SessionEnd): void {
    this.isOver = true;
    this.#end(end);
  }

  /** This fake as the route sees it. */
  asSession(): PurchaseSession {
    return this as unknown as PurchaseSession;
  }
}
