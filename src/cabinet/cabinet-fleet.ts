import { randomUUID } from 'node:crypto';
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
}

/**
 * Every cabinet the emulator answers for, and the purchase running at each.
 * A cabinet has one door, so it hosts at most one purchase at a time.
 */
export class CabinetFleet {
  readonly #options: CabinetFleetOptions;
  readonly #random: SeededRandom;
  readonly #tradeNumbers: TradeNumberIssuer;
  readonly #running = new Map<string, PurchaseSession>();
  #sessionsOpened = 0;

  /** Every order made, kept for the payment pages and whoever asks. */
  readonly orders = new OrderBook();

  constructor(options: CabinetFleetOptions) {
    this.#options = options;
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
      this.#options.deviceScenarios?.get(deviceNo) ??
      this.#options.defaultScenario
    );
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

    // Kept before the shopper hears of it: an order is never only on the wire.
    session.subscribe((event) => {
      if (event.kind === 'order-made') this.orders.record(event.order);
    });
    this.#running.set(deviceNo, session);
    void session.ended.then(() => {
      if (this.#running.get(deviceNo) === session)
        this.#running.delete(deviceNo);
    });

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
