import type { Cabinet } from '../catalogue/cabinet.js';
import { FailureMessage } from '../protocol/failure-messages.js';
import { priceBasket, type PricedBasket } from '../pricing/price-basket.js';
import type { RoundingMode } from '../pricing/rounding.js';
import type { PlannedStep } from '../scenario/plan-scenario.js';
import { DEFAULT_SETTLE_MS, type Scenario } from '../scenario/scenario.js';
import type { Clock, Timer } from '../time/clock.js';
import { Basket } from './basket.js';
import type { Order } from './order.js';
import type { TradeNumberIssuer } from './trade-number.js';

/** What the cloud tells the shopper's phone, before it becomes a frame. */
export type SessionEvent =
  | { kind: 'door-opened' }
  | { kind: 'basket-changed'; basket: PricedBasket }
  | { kind: 'order-made'; order: Order }
  | { kind: 'nothing-bought' }
  | { kind: 'failed'; message: string };

/** How a session ended: its last event's kind, or cancelled from outside. */
export type SessionEnd = Exclude<
  SessionEvent['kind'],
  'door-opened' | 'basket-changed'
> | 'cancelled';

export interface PurchaseSessionOptions {
  sessionId: string;
  deviceNo: string;
  cabinet: Cabinet;
  scenario: Scenario;
  /** The scenario's steps, checked against `cabinet` by `planScenario`. */
  steps: readonly PlannedStep[];
  clock: Clock;
  /** Plays the scenario this many times faster than written. */
  speed: number;
  rounding: RoundingMode;
  tradeNumbers: TradeNumberIssuer;
}

/**
 * One purchase at one cabinet, from the connection to the order. It plays the
 * scenario's steps on the clock and reports what the cloud would push; it
 * knows nothing of sockets, so it goes on when the shopper's phone drops.
 */
export class PurchaseSession {
  readonly id: string;
  readonly deviceNo: string;
  readonly cabinet: Cabinet;
  readonly scenario: Scenario;
  readonly startedAt: number;
  readonly tradeNo: string;
  readonly ended: Promise<SessionEnd>;

  readonly #options: PurchaseSessionOptions;
  readonly #basket = new Basket();
  readonly #listeners = new Set<(event: SessionEvent) => void>();
  #resolveEnded!: (end: SessionEnd) => void;
  #nextStep = 0;
  #timer: Timer | undefined;
  #state: 'new' | 'running' | 'over' = 'new';

  constructor(options: PurchaseSessionOptions) {
    this.#options = options;
    this.id = options.sessionId;
    this.deviceNo = options.deviceNo;
    this.cabinet = options.cabinet;
    this.scenario = options.scenario;
    this.startedAt = options.clock.now();
    this.tradeNo = options.tradeNumbers.issue(this.startedAt);
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  get isOver(): boolean {
    return this.#state === 'over';
  }

  /** Calls `listener` with every event from now on; returns an unsubscribe. */
  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.#listeners.add(listener);

    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#state !== 'new') return;

    this.#state = 'running';
    this.#playSteps();
  }

  /** Stops the session where it is; no further events are sent. */
  cancel(): void {
    this.#finish('cancelled');
  }

  #playSteps(): void {
    const { steps } = this.#options;

    while (this.#state === 'running' && this.#nextStep < steps.length) {
      const step = steps[this.#nextStep++]!;

      if (step.action === 'wait') {
        this.#after(step.ms, () => this.#playSteps());
        return;
      }
      this.#perform(step);
    }
  }

  #perform(step: Exclude<PlannedStep, { action: 'wait' }>): void {
    switch (step.action) {
      case 'unlock':
        this.#emit({ kind: 'door-opened' });
        break;

      case 'jam-lock':
        this.#end({ kind: 'failed', message: FailureMessage.operationFailed });
        break;

      case 'take':
        this.#basket.take(step.aisle, step.quantity);
        this.#emitBasket();
        break;

      case 'put-back':
        this.#basket.putBack(step.aisle, step.quantity);
        this.#emitBasket();
        break;

      case 'close-door':
        this.#after(this.scenario.settleMs ?? DEFAULT_SETTLE_MS, () =>
          this.#makeOrder(),
        );
        break;
    }
  }

  #makeOrder(): void {
    if (this.#basket.isEmpty) {
      this.#end({ kind: 'nothing-bought' });
      return;
    }
    if (this.scenario.refuseOrder !== undefined) {
      this.#end({ kind: 'failed', message: this.scenario.refuseOrder });
      return;
    }

    const basket = this.#pricedBasket();

    this.#end({
      kind: 'order-made',
      order: {
        tradeNo: this.tradeNo,
        deviceNo: this.deviceNo,
        createdAt: this.#options.clock.now(),
        amount: basket.amount,
        creditPay: true,
        orderInfo: '',
        lines: basket.lines,
      },
    });
  }

  #pricedBasket(): PricedBasket {
    return priceBasket(this.#basket.entries(), this.#options.rounding);
  }

  #emitBasket(): void {
    this.#emit({ kind: 'basket-changed', basket: this.#pricedBasket() });
  }

  #after(scriptMs: number, callback: () => void): void {
    const { clock, speed } = this.#options;

    this.#timer = clock.schedule(scriptMs / speed, () => {
      this.#timer = undefined;
      callback();
    });
  }

  #end(event: Extract<SessionEvent, { kind: SessionEnd }>): void {
    this.#emit(event);
    this.#finish(event.kind);
  }

  #emit(event: SessionEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #finish(end: SessionEnd): void {
    if (this.#state === 'over') return;

    this.#state = 'over';
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#listeners.clear();
    this.#resolveEnded(end);
  }
}
