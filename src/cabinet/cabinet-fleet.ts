import { randomUUID } from 'node:crypto';
import type { Cabinet } from '../catalogue/cabinet.js';
import type { CabinetDirectory } from '../catalogue/load-cabinets.js';
import { DeviceBusyError } from '../errors.js';
import { selectModels, type ModelRegistry } from '../physics/models.js';
import { SeededRandom } from '../physics/random.js';
import type { RoundingMode } from '../pricing/rounding.js';
import { planScenario } from '../scenario/plan-scenario.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Clock } from '../time/clock.js';
import { OrderBook } from './order-book.js';
import { PurchaseSession } from './purchase-session.js';
import { TradeNumberIssuer } from './trade-number.js';

export interface CabinetFleetOptions {
  directory: CabinetDirectory;
  models: ModelRegistry;
  clock: Clock;
  speed: number;
  rounding: RoundingMode;
  /**
   * Everything random in every session, `tradeNo` included, follows from this
   * seed: the same seed, clock and connections give the same frames.
   */
  seed: string;
  /** What a purchase plays when its device has no scenario of its own. */
  defaultScenario: Scenario;
  /** Scenarios of particular devices, by device number. */
  deviceScenarios?: ReadonlyMap<string, Scenario>;
  /** Where orders are kept (and journalled). Default: a new, unjournalled book. */
  orders?: OrderBook;
}

/** The device of the purchase URL the emulator prints at start-up. */
export const DEMO_DEVICE = 'demo-cabinet';

/**
 * Every cabinet the emulator answers for, and the purchase running at each.
 * A cabinet has one door, so it hosts at most one purchase at a time.
 */
export class CabinetFleet {
  readonly #options: CabinetFleetOptions;
  readonly #random: SeededRandom;
  readonly #tradeNumbers: TradeNumberIssuer;
  readonly #running = new Map<string, PurchaseSession>();
  readonly #assigned = new Map<string, Scenario>();
  readonly #devicesSeen = new Set<string>();
  readonly #openedListeners = new Set<(session: PurchaseSession) => void>();
  #sessionsOpened = 0;

  /** Every order made, kept for the payment pages and whoever asks. */
  readonly orders: OrderBook;

  constructor(options: CabinetFleetOptions) {
    this.#options = options;
    this.orders = options.orders ?? new OrderBook();
    this.#random = new SeededRandom(options.seed);

    const tradeNumberRandom = this.#random.fork('trade numbers');

    this.#tradeNumbers = new TradeNumberIssuer(() => tradeNumberRandom.next());
  }

  /** The session running at `deviceNo`, if any. */
  sessionAt(deviceNo: string): PurchaseSession | undefined {
    return this.#running.get(deviceNo);
  }

  /** The scenario a purchase at `deviceNo` plays. */
  scenarioFor(deviceNo: string): Scenario {
    return (
      this.#assigned.get(deviceNo) ??
      this.#options.deviceScenarios?.get(deviceNo) ??
      this.#options.defaultScenario
    );
  }

  /**
   * Has `deviceNo` play `scenario` from its next session on; `undefined`
   * gives it back the scenario it had at start-up (its fixture's, or the
   * emulator's default). Throws `ScenarioError` when the scenario does not
   * fit the device's cabinet, and a model's error when a model it names
   * cannot be built; the device keeps its scenario then.
   */
  assignScenario(deviceNo: string, scenario: Scenario | undefined): void {
    if (scenario === undefined) {
      this.#assigned.delete(deviceNo);
      return;
    }

    const cabinet = this.cabinetFor(deviceNo);

    planScenario(scenario, cabinet);
    selectModels(this.#options.models, cabinet, scenario);
    this.#assigned.set(deviceNo, scenario);
  }

  /** Whether `deviceNo` plays a scenario given by `assignScenario`. */
  hasAssignedScenario(deviceNo: string): boolean {
    return this.#assigned.has(deviceNo);
  }

  /** The cabinet that answers for `deviceNo`. */
  cabinetFor(deviceNo: string): Cabinet {
    return this.#options.directory.cabinetFor(deviceNo);
  }

  /**
   * Every device the fleet knows of, sorted: those the fixtures name,
   * `demo-cabinet`, and any that has had a session or a scenario of its own.
   */
  knownDevices(): string[] {
    const devices = new Set([DEMO_DEVICE, ...this.#devicesSeen]);

    for (const cabinet of this.#options.directory.cabinets) {
      for (const deviceNo of cabinet.deviceNos) devices.add(deviceNo);
    }
    for (const deviceNo of this.#assigned.keys()) devices.add(deviceNo);

    return [...devices].sort();
  }

  /**
   * Calls `listener` with every session opened from now on, before it
   * starts, so that none of its events is missed. Returns an unsubscribe.
   */
  onSessionOpened(listener: (session: PurchaseSession) => void): () => void {
    this.#openedListeners.add(listener);

    return () => this.#openedListeners.delete(listener);
  }

  /**
   * Prepares a purchase at `deviceNo` playing `scenario` (by default the
   * device's own); call `start()` on the result once its events are listened
   * to. Throws `DeviceBusyError` when the device is in a session, and
   * `ScenarioError` when the scenario does not fit the device's cabinet.
   */
  openSession(
    deviceNo: string,
    scenario = this.scenarioFor(deviceNo),
  ): PurchaseSession {
    if (this.#running.has(deviceNo)) throw new DeviceBusyError(deviceNo);

    const { directory, models, clock, speed, rounding } = this.#options;
    const cabinet = directory.cabinetFor(deviceNo);
    const steps = planScenario(scenario, cabinet);
    const selected = selectModels(models, cabinet, scenario);
    const session = new PurchaseSession({
      sessionId: randomUUID(),
      deviceNo,
      cabinet,
      scenario,
      steps,
      clock,
      speed,
      rounding,
      tradeNumbers: this.#tradeNumbers,
      random: this.#random.fork(`session ${++this.#sessionsOpened}`),
      door: selected.door,
      loadCellFor: selected.loadCellFor,
    });

    // Kept, and journalled, before the shopper hears of it: this listener
    // runs before the route's, so an order is never only on the wire.
    session.subscribe((event) => {
      if (event.kind === 'order-made') this.orders.record(event.order);
    });
    this.#running.set(deviceNo, session);
    this.#devicesSeen.add(deviceNo);
    void session.ended.then(() => {
      if (this.#running.get(deviceNo) === session)
        this.#running.delete(deviceNo);
    });
    for (const listener of this.#openedListeners) listener(session);

    return session;
  }

  /** Cancels every running session, as when the emulator shuts down. */
  cancelAll(): void {
    for (const session of this.#running.values()) session.cancel();
  }

  /**
   * Resolves once every running session has ended and what it made is kept.
   * The order book is in memory, so that is at once after `cancelAll()`; an
   * order journal writes out here, and the emulator's `close()` waits for it.
   */
  async flush(): Promise<void> {
    await Promise.all([...this.#running.values()].map(({ ended }) => ended));
  }
}
