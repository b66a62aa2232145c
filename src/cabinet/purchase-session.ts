import type { Aisle, Cabinet } from '../catalogue/cabinet.js';
import { ActionRefusedError } from '../errors.js';
import {
  DEFAULT_FIRMWARE,
  WeightFirmware,
  type Anomaly,
  type FirmwareSettings,
} from '../firmware/weight-firmware.js';
import {
  Door,
  type DoorEvent,
  type DoorSettings,
  type DoorState,
} from '../physics/door.js';
import type { LoadCell } from '../physics/load-cell.js';
import type { LoadCellModel } from '../physics/models.js';
import type { SeededRandom } from '../physics/random.js';
import { CabinetWorld } from '../physics/world.js';
import { applyDiscounts } from '../pricing/discounts.js';
import { priceBasket, type PricedBasket } from '../pricing/price-basket.js';
import type { RoundingMode } from '../pricing/rounding.js';
import { FailureMessage } from '../protocol/failure-messages.js';
import { planStep, type PlannedStep } from '../scenario/plan-scenario.js';
import {
  DEFAULT_SETTLE_MS,
  MAX_SETTLE_MS,
  type ConnectionFault,
  type Scenario,
  type ScenarioStep,
} from '../scenario/scenario.js';
import type { Clock, Timer } from '../time/clock.js';
import { PacedClock } from '../time/paced-clock.js';
import { paymentPagePath, type Order } from './order.js';
import type { TradeNumberIssuer } from './trade-number.js';

interface AisleScale {
  aisleId: number;
  cell: LoadCell;
  /**
   * The last reading, tray included; NaN before the first and while the
   * cell gives none (a number field: storing it allocates nothing).
   */
  reading: number;
  /**
   * Untouched since the session began, or still at its zero and untouched
   * since: not read until something happens to it.
   */
  asleep: boolean;
  /** A failing cell is always read, for a fault is never still. */
  faulted: boolean;
}

/** What happens in a purchase that the rest of the emulator may show. */
export type SessionEvent =
  /** The lock opened: the cloud sends `door`. */
  | { kind: 'door-opened' }
  /** The lock or the door switch changed state. */
  | { kind: 'door-changed'; state: DoorState }
  | { kind: 'basket-changed'; basket: PricedBasket }
  | { kind: 'order-made'; order: Order }
  | { kind: 'nothing-bought' }
  | { kind: 'failed'; message: string }
  /** A weight change the firmware could not explain; nothing was charged. */
  | { kind: 'anomaly'; anomaly: Anomaly }
  /** The door has been open longer than its alarm limit. */
  | { kind: 'alarm'; openForMs: number }
  /** The scenario breaks the connection to the shopper now. */
  | { kind: 'connection-fault'; fault: ConnectionFault }
  /** The scenario has a second phone scan this cabinet now. */
  | { kind: 'another-shopper' }
  /**
   * A scripted step no longer fits the cabinet, because of steps sent
   * through the control API (the goods it takes are gone): it was skipped.
   */
  | { kind: 'step-skipped'; stepIndex: number; problem: string }
  /**
   * A model threw (a user's load-cell module, say). The session ends with the
   * cloud's reasonless failure right after this event.
   */
  | {
      kind: 'fault';
      error: unknown;
      /** The aisle whose load cell threw, when it was a load cell. */
      aisleId?: number;
    };

/** How a session ended: its last event's kind, or cancelled from outside. */
export type SessionEnd =
  'order-made' | 'nothing-bought' | 'failed' | 'cancelled';

type EndEvent = Extract<
  SessionEvent,
  { kind: 'order-made' | 'nothing-bought' | 'failed' }
>;

// Readings taken at once of an aisle that wakes: the firmware's zero
// tracking moves a twentieth of the way with each reading.
const CATCH_UP_READINGS = 20;

export interface PurchaseSessionOptions {
  sessionId: string;
  deviceNo: string;
  cabinet: Cabinet;
  scenario: Scenario;
  /** The scenario's steps, checked against `cabinet` by `planScenario`. */
  steps: readonly PlannedStep[];
  clock: Clock;
  /** Plays the session this many times faster than written. */
  speed: number;
  rounding: RoundingMode;
  tradeNumbers: TradeNumberIssuer;
  /** This session's own random stream; every model forks from it. */
  random: SeededRandom;
  door: DoorSettings;
  loadCellFor: (aisleId: number) => LoadCellModel;
  firmware?: FirmwareSettings;
}

/**
 * One purchase at one cabinet, from the connection to the order. The
 * scenario's shopper acts on the physical world; the door and the load cells
 * report what happens to them; the firmware turns settled weights into a
 * basket, and the session reports what the cloud would push. It knows
 * nothing of sockets, so it goes on when the shopper's phone drops.
 */
export class PurchaseSession {
  readonly id: string;
  readonly deviceNo: string;
  readonly cabinet: Cabinet;
  readonly scenario: Scenario;
  readonly startedAt: number;
  readonly tradeNo: string;
  readonly ended: Promise<SessionEnd>;

  /**
   * The session's own time. It goes on after the purchase ends, so that
   * what is still on its way to the shopper (a delayed frame) can follow.
   */
  readonly clock: Clock;

  readonly #options: PurchaseSessionOptions;
  readonly #clock: PacedClock;
  readonly #world: CabinetWorld;
  // Every aisle's cell and what the firmware last read from it, in the
  // cabinet's aisle order; looked up by aisle for the steps that touch one.
  readonly #scales: AisleScale[] = [];
  readonly #scaleOf = new Map<number, AisleScale>();
  #awakeScales = 0;
  readonly #firmware: WeightFirmware;
  readonly #door: Door;
  readonly #listeners = new Set<(event: SessionEvent) => void>();
  #resolveEnded!: (end: SessionEnd) => void;
  #nextStep = 0;
  #stepTimer: Timer | undefined;
  #sampleTimer: Timer | undefined;
  // When the firmware last read its scales; it reads on this beat, and while
  // nothing moves it stops reading and picks the beat up again on the next
  // touch.
  #lastSampleAt = 0;
  #sampling = false;
  #waitingToOpen = false;
  #openWhenUnlocked = false;
  #waitingForActions = false;
  #unlockAsked = false;
  #doorState: DoorState = 'locked';
  #closedAt: number | undefined;
  #orderRefusal: string | undefined;
  #state: 'new' | 'running' | 'over' = 'new';
  // The aisle whose load cell is being called, so that a model that throws
  // can be named by its aisle.
  #cellInUse: number | undefined;

  constructor(options: PurchaseSessionOptions) {
    const { cabinet, random } = options;

    this.#options = options;
    this.#clock = new PacedClock(options.clock, options.speed);
    this.clock = this.#clock;
    this.id = options.sessionId;
    this.deviceNo = options.deviceNo;
    this.cabinet = cabinet;
    this.scenario = options.scenario;
    // Stamps are wall-clock times even when the session plays faster: a
    // shopper's phone shows createTime as the time of day. The session's
    // own clock starts at the same instant, so no elapsed time is negative.
    this.startedAt = this.#clock.now();
    this.tradeNo = options.tradeNumbers.issue(this.startedAt);
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });

    this.#world = new CabinetWorld(cabinet, random.fork('world'));
    for (const aisleId of cabinet.aisles.keys()) {
      const scale: AisleScale = {
        aisleId,
        cell: options.loadCellFor(aisleId)(random.fork(`cell ${aisleId}`)),
        reading: Number.NaN,
        asleep: true,
        faulted: false,
      };

      this.#scales.push(scale);
      this.#scaleOf.set(aisleId, scale);
    }
    this.#firmware = new WeightFirmware(
      cabinet,
      options.firmware ?? DEFAULT_FIRMWARE,
    );
    this.#door = new Door(
      options.door,
      this.#clock,
      random.fork('door'),
      (event) => this.#guarded(() => this.#onDoor(event)),
    );
  }

  get isOver(): boolean {
    return this.#state === 'over';
  }

  get doorState(): DoorState {
    return this.#door.state;
  }

  /** Whether the timeline has reached `wait-for-actions`. */
  get waitingForActions(): boolean {
    return this.#waitingForActions;
  }

  /**
   * Milliseconds of session time since the shopper connected, as far as the
   * session has played: it stands still while nothing is due.
   */
  get elapsedMs(): number {
    return this.#clock.now() - this.startedAt;
  }

  /**
   * Milliseconds of session time the shopper has been connected for, by
   * the outside clock: unlike `elapsedMs` it moves while the session sleeps.
   */
  get connectedForMs(): number {
    return Math.max(0, this.#clock.dueNow() - this.startedAt);
  }

  /**
   * The aisle's last load-cell reading in grams, tray included; null before
   * the first sample and while the cell gives none.
   */
  liveGrams(aisleId: number): number | null {
    const reading = this.#scaleOf.get(aisleId)?.reading;

    return reading === undefined || Number.isNaN(reading) ? null : reading;
  }

  /** Pieces or grams of the aisle's product still on its shelf. */
  onShelf(aisleId: number): number {
    return this.#world.onShelf(aisleId);
  }

  /** Pieces or grams taken from the aisle that the shopper holds. */
  held(aisleId: number): number {
    return this.#world.held(aisleId);
  }

  /** The basket as the firmware sees it now, priced. */
  basket(): PricedBasket {
    return this.#pricedBasket();
  }

  /**
   * Plays one step now, beside the scenario's timeline: the control API's
   * way of moving the shopper, the door and the sensors by hand. Throws
   * `ActionRefusedError` when the step cannot be played at this moment (the
   * door is not open, the aisle holds less, the shopper holds less), or the
   * purchase is over.
   *
   * @example session.act({ action: 'take', aisleId: 6150, count: 1 })
   */
  act(step: ScenarioStep): void {
    const refuse = (message: string): never => {
      throw new ActionRefusedError(message);
    };

    if (this.#state !== 'running') {
      refuse(
        this.#state === 'new'
          ? 'the purchase has not started'
          : 'the purchase is over',
      );
    }
    if (step.action === 'wait' || step.action === 'wait-for-actions') {
      refuse(`${step.action} is a timeline step; an action is played at once`);
    }
    if (step.action === 'another-shopper') {
      refuse(
        'another-shopper is played only by cabinet-emu run; open a second connection to the purchase URL instead',
      );
    }

    // Whatever fell due while the session slept happens first, and the step
    // is played at the present moment, not at the session's last wake-up.
    this.#clock.catchUp();
    if (this.#state !== 'running') refuse('the purchase is over');

    const planned = planStep(step, this.cabinet, refuse);
    const problem = this.#problemNow(planned);

    if (problem !== undefined) refuse(problem);
    this.#guarded(() => {
      // A shopper who pulls before the click gets the door at the click.
      if (planned.action === 'open-door' && this.#door.state === 'unlocking') {
        this.#openWhenUnlocked = true;
        return;
      }
      this.#perform(planned as Exclude<PlannedStep, { action: 'wait' }>);
    });
  }

  /** Calls `listener` with every event from now on; returns an unsubscribe. */
  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.#listeners.add(listener);

    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#state !== 'new') return;

    this.#state = 'running';
    this.#guarded(() => {
      this.#showFirstReadings();
      if (!this.#options.steps.some((step) => step.action === 'unlock'))
        this.#requestUnlock();
      this.#playSteps();
    });
  }

  // Every aisle starts asleep: nobody has touched it, so reading it tells
  // the firmware nothing until somebody does (waking it zeroes it then). One
  // reading each is taken so that the live weights show something, and so
  // that a cell giving no reading from the start is read on, as a faulty
  // one, until the firmware reports it.
  #showFirstReadings(): void {
    const now = this.#clock.now();

    this.#lastSampleAt = now;
    for (const scale of this.#scales) {
      this.#cellInUse = scale.aisleId;
      scale.reading = scale.cell.read(
        this.#world.trueGrams(scale.aisleId),
        now,
      );
      this.#cellInUse = undefined;
      if (!Number.isFinite(scale.reading)) {
        scale.asleep = false;
        scale.faulted = true;
        this.#awakeScales += 1;
      }
    }
    if (this.#awakeScales > 0) this.#resumeSampling(now);
  }

  /** Stops the session where it is; no further events are sent. */
  cancel(): void {
    this.#finish('cancelled');
  }

  #playSteps(): void {
    const { steps } = this.#options;

    while (
      this.#state === 'running' &&
      !this.#waitingToOpen &&
      this.#nextStep < steps.length
    ) {
      const stepIndex = this.#nextStep++;
      const step = steps[stepIndex]!;

      if (step.action === 'wait') {
        this.#stepTimer = this.#schedule(step.ms, () => {
          this.#stepTimer = undefined;
          this.#playSteps();
        });
        return;
      }

      // The plan checked the timeline alone; actions sent since may have
      // taken what a step meant to take, or shut the door it meant to open.
      const problem = this.#problemNow(step);

      if (problem !== undefined) {
        this.#emit({ kind: 'step-skipped', stepIndex, problem });
        continue;
      }
      this.#perform(step);
    }
  }

  // Why `step` cannot be played on the cabinet as it is now, if it cannot.
  #problemNow(step: PlannedStep): string | undefined {
    const door = this.#door.state;

    switch (step.action) {
      case 'open-door':
        if (door === 'unlocked' || door === 'unlocking') return undefined;
        if (door === 'open') return 'the door is open already';
        if (door === 'locked' && !this.#unlockAsked)
          return 'the lock has not been asked to open; send unlock first';
        return 'the door can be opened once per purchase';

      case 'close-door':
        return door === 'open'
          ? undefined
          : `close-door needs an open door; the door is ${door}`;

      case 'take':
      case 'put-back':
      case 'place-object':
        if (door !== 'open')
          return `"${step.action}" needs an open door; the door is ${door}`;
        break;

      case 'unlock':
        if (this.#unlockAsked)
          return 'the cloud has asked the lock to open already';
        return undefined;

      case 'jam-lock':
        if (door === 'locked' || door === 'unlocking') return undefined;
        return 'the lock has opened already; a jam holds a lock before it opens (the jammed-lock scenario jams it from the start)';

      default:
        return undefined;
    }

    if (step.action === 'take') {
      const left = this.#world.onShelf(step.aisle.aisleId);

      if (step.quantity > left) {
        return `aisle ${step.aisle.aisleId} has ${quantityText(step.aisle, left)} left, cannot take ${quantityText(step.aisle, step.quantity)}`;
      }
    }
    if (step.action === 'put-back') {
      const holding = this.#world.held(step.aisle.aisleId);

      if (step.quantity > holding) {
        return `aisle ${step.aisle.aisleId}: cannot put back ${quantityText(step.aisle, step.quantity)}; the shopper holds ${quantityText(step.aisle, holding)}`;
      }
    }

    return undefined;
  }

  #perform(step: Exclude<PlannedStep, { action: 'wait' }>): void {
    const now = this.#clock.now();

    if ('aisle' in step) this.#wake(step.aisle.aisleId, now);
    if (step.action === 'put-back') this.#wake(step.onto.aisleId, now);
    if (step.action === 'sensor-fault')
      this.#scaleOf.get(step.aisle.aisleId)!.faulted = true;

    switch (step.action) {
      case 'open-door':
        // A shopper who pulls before the click waits for it.
        if (!this.#door.open()) this.#waitingToOpen = true;
        break;
      case 'wait-for-actions':
        this.#waitingForActions = true;
        break;
      case 'take':
        this.#world.take(step.aisle.aisleId, step.quantity);
        break;
      case 'put-back':
        this.#world.putBack(
          step.aisle.aisleId,
          step.quantity,
          step.onto.aisleId,
        );
        break;
      case 'place-object':
        this.#world.placeObject(step.aisle.aisleId, step.grams);
        break;
      case 'knock':
        this.#cellInUse = step.aisle.aisleId;
        this.#scaleOf.get(step.aisle.aisleId)!.cell.knock(now, step.grams);
        this.#cellInUse = undefined;
        break;
      case 'sensor-fault':
        this.#cellInUse = step.aisle.aisleId;
        this.#scaleOf
          .get(step.aisle.aisleId)!
          .cell.fail(step.fault, now, step.gramsPerMinute);
        this.#cellInUse = undefined;
        break;
      case 'close-door':
        this.#door.close();
        break;
      case 'unlock':
        this.#requestUnlock();
        break;
      case 'jam-lock':
        this.#door.jam();
        break;
      case 'refuse-order':
        this.#orderRefusal = step.message;
        break;
      case 'connection-fault':
        this.#emit({ kind: 'connection-fault', fault: step.fault });
        break;
      case 'another-shopper':
        this.#emit({ kind: 'another-shopper' });
        break;
    }
    this.#noteDoorState();
  }

  // An aisle about to be touched is read again from now on. While it slept
  // its zero drifted unread; a window of fresh readings brings the
  // firmware's zero to where tracking would have kept it.
  #wake(aisleId: number, now: number): void {
    const scale = this.#scaleOf.get(aisleId)!;

    if (!scale.asleep) return;
    scale.asleep = false;
    this.#awakeScales += 1;

    const { cell } = scale;
    const trueGrams = this.#world.trueGrams(aisleId);

    this.#cellInUse = aisleId;

    // As many readings as zero tracking averages over, so that the zero
    // comes out as steady as tracking would have kept it.
    const readings = Array.from({ length: CATCH_UP_READINGS }, () =>
      cell.read(trueGrams, now),
    );

    this.#cellInUse = undefined;
    scale.reading = readings.at(-1)!;
    this.#firmware.catchUp(aisleId, readings);
    this.#resumeSampling(now);
  }

  // Back on the beat the firmware was reading at before everything fell
  // still: the next beat from now, or now if a beat falls now.
  #resumeSampling(now: number): void {
    if (this.#sampling || this.#state !== 'running') return;

    const interval = this.#firmware.sampleIntervalMs;
    const beats = Math.ceil((now - this.#lastSampleAt) / interval);

    this.#sampling = true;
    this.#sampleTimer = this.#clock.schedule(
      this.#lastSampleAt + beats * interval - now,
      this.#sampleNow,
    );
  }

  #requestUnlock(): void {
    this.#unlockAsked = true;
    this.#door.requestUnlock();
    this.#noteDoorState();
  }

  // Door events do not cover every change (the lock starts to pull back,
  // the firmware relocks a closed door), so the state is compared instead.
  #noteDoorState(): void {
    const state = this.#door.state;

    if (state === this.#doorState) return;
    this.#doorState = state;
    this.#emit({ kind: 'door-changed', state });
  }

  #onDoor(event: DoorEvent): void {
    this.#noteDoorState();
    switch (event.kind) {
      case 'unlocked':
        this.#firmware.tare();
        this.#emit({ kind: 'door-opened' });
        if (this.#waitingToOpen || this.#openWhenUnlocked) {
          this.#openWhenUnlocked = false;
          this.#door.open();
        }
        if (this.#waitingToOpen) {
          this.#waitingToOpen = false;
          this.#playSteps();
        }
        break;
      case 'jammed':
        this.#end({ kind: 'failed', message: FailureMessage.operationFailed });
        break;
      case 'relocked-unopened':
        this.#end({ kind: 'nothing-bought' });
        break;
      case 'alarm':
        this.#emit({ kind: 'alarm', openForMs: event.openForMs });
        // Nobody is coming back to a session left to the control API: shut
        // the door for them, so that the device is free again.
        if (this.#waitingForActions) this.#door.close();
        break;
      case 'closed':
        this.#closedAt = this.#clock.now();
        this.#resumeSampling(this.#closedAt);
        break;
      case 'opened':
        break;
    }
  }

  // Made once: the firmware's beat is the timer a session sets most.
  readonly #sampleNow = () => this.#guarded(this.#sampleBound);
  readonly #sampleBound = () => this.#sample();

  // The firmware samples every scale at its rate while anything on them may
  // be changing, and after the door closes until the order is made.
  #sample(): void {
    const now = this.#clock.now();
    let basketChanged = false;

    this.#sampling = true;
    this.#lastSampleAt = now;

    for (const scale of this.#scales) {
      if (scale.asleep) continue;

      const { aisleId } = scale;
      this.#cellInUse = aisleId;
      const reading = scale.cell.read(this.#world.trueGrams(aisleId), now);

      this.#cellInUse = undefined;

      scale.reading = reading;

      const events = this.#firmware.sample(aisleId, reading, now);

      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;

        if (event.kind === 'basket-changed') {
          basketChanged = true;
        } else {
          this.#emit({ kind: 'anomaly', anomaly: event.anomaly });
        }
      }
      // Reading a still, untouched aisle again tells the firmware nothing
      // but noise; most aisles of a purchase sit like that most of the time.
      if (!scale.faulted && this.#firmware.isAisleSettled(aisleId)) {
        scale.asleep = true;
        this.#awakeScales -= 1;
      }
    }

    if (basketChanged)
      this.#emit({ kind: 'basket-changed', basket: this.#pricedBasket() });
    if (this.#closedAt !== undefined && this.#readyToPrice(now)) {
      // What the scales never settled on is not charged; it is said, so
      // that a purchase that ends free for that reason does not look right.
      for (const anomaly of this.#firmware.unsettledAnomalies(now)) {
        this.#emit({ kind: 'anomaly', anomaly });
      }
      this.#door.lock();
      this.#noteDoorState();
      this.#makeOrder();
    }
    if (this.#state !== 'running') return;
    // Nothing to read and nothing to wait for: no timer until a touch.
    if (this.#awakeScales === 0 && this.#closedAt === undefined) {
      this.#sampling = false;
      this.#sampleTimer = undefined;
      return;
    }
    this.#sampleTimer = this.#clock.schedule(
      this.#firmware.sampleIntervalMs,
      this.#sampleNow,
    );
  }

  #readyToPrice(now: number): boolean {
    const waited = now - this.#closedAt!;

    return (
      waited >= MAX_SETTLE_MS ||
      (waited >= (this.scenario.settleMs ?? DEFAULT_SETTLE_MS) &&
        this.#scalesSettled())
    );
  }

  // An aisle asleep has nothing to report: it fell asleep settled, or was
  // never touched.
  #scalesSettled(): boolean {
    for (const scale of this.#scales) {
      if (!scale.asleep && !this.#firmware.isAisleDone(scale.aisleId))
        return false;
    }

    return true;
  }

  #makeOrder(): void {
    const basket = this.#pricedBasket();
    const manual = this.scenario.payment === 'manual';

    if (basket.lines.length === 0) {
      this.#end({ kind: 'nothing-bought' });
      return;
    }
    if (this.#orderRefusal !== undefined) {
      this.#end({ kind: 'failed', message: this.#orderRefusal });
      return;
    }

    // Only the order has a discounts list, so only the order is discounted:
    // the updates before it showed the basket at full price.
    const { discounts, amount } = applyDiscounts(
      basket.lines,
      this.cabinet.discounts,
    );

    this.#end({
      kind: 'order-made',
      order: {
        tradeNo: this.tradeNo,
        deviceNo: this.deviceNo,
        createdAt: this.#options.clock.now(),
        amount,
        discounts,
        creditPay: !manual,
        orderInfo: manual ? paymentPagePath(this.tradeNo) : '',
        lines: basket.lines,
      },
    });
  }

  #pricedBasket(): PricedBasket {
    const entries = [...this.#firmware.basket()].map(([aisleId, quantity]) => ({
      aisle: this.cabinet.aisles.get(aisleId)!,
      quantity,
    }));

    return priceBasket(entries, this.#options.rounding);
  }

  #schedule(delayMs: number, callback: () => void): Timer {
    return this.#clock.schedule(delayMs, () => this.#guarded(callback));
  }

  // A model that throws must not take the emulator down with it, nor leave
  // the shopper waiting: the purchase fails the way the cloud fails.
  #guarded(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (this.#state !== 'running') throw error;
      this.#emit({ kind: 'fault', error, aisleId: this.#cellInUse });
      this.#end({ kind: 'failed', message: FailureMessage.unspecified });
    }
  }

  #end(event: EndEvent): void {
    this.#emit(event);
    this.#finish(event.kind);
  }

  #emit(event: SessionEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #finish(end: SessionEnd): void {
    if (this.#state === 'over') return;

    this.#state = 'over';
    this.#stepTimer?.cancel();
    this.#sampleTimer?.cancel();
    this.#door.dispose();
    this.#listeners.clear();
    this.#resolveEnded(end);
  }
}

function quantityText(aisle: Aisle, quantity: number): string {
  return aisle.product.pricing === 'weighed' ? `${quantity} g` : `${quantity}`;
}
