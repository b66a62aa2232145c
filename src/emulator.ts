import type { Logger } from 'pino';
import { CabinetFleet } from './cabinet/cabinet-fleet.js';
import { OrderBook } from './cabinet/order-book.js';
import { loadCabinetDirectory } from './catalogue/load-cabinets.js';
import {
  resolveConfig,
  type EmulatorConfig,
  type EmulatorOptions,
} from './config.js';
import { ControlEvents } from './control/control-events.js';
import { SessionHistory } from './control/session-history.js';
import { TokenBook } from './control/token-book.js';
import { ConfigError, EmulatorError, FixtureError } from './errors.js';
import { OrderJournal } from './journal/order-journal.js';
import type { RecordedOrder } from './journal/order-record.js';
import { createLogger } from './logger.js';
import { readScenarioReference } from './scenario/scenario-catalogue.js';
import { fitScenario } from './scenario/scenario-file.js';
import type { Scenario } from './scenario/scenario.js';
import { createServer } from './server/create-server.js';
import { PURCHASE_PATH } from './server/purchase-route.js';
import { loadTlsCredentials } from './server/tls-credentials.js';
import type { Clock } from './time/clock.js';
import { SharedTimers } from './time/shared-timers.js';
import { loadModelRegistry, selectModels } from './physics/models.js';

export interface StartEmulatorOptions extends EmulatorOptions {
  /** A pino logger to use instead of one made from `logLevel`. */
  logger?: Logger;
  /**
   * The clock sessions run on. Default: the wall clock, every timer behind
   * one Node timer.
   */
  clock?: Clock;
}

export interface PurchaseUrlParams {
  token?: string;
  deviceNo?: string;
  appId?: string;
}

export interface RunningEmulator {
  /** The options in force, defaults filled in. */
  config: EmulatorConfig;
  /**
   * Where the emulator can be reached, e.g. `http://127.0.0.1:8080`;
   * `https://` when it serves TLS.
   */
  url: string;
  /** The port it listens on; the one chosen when asked for port 0. */
  port: number;
  /**
   * With `tlsSelfSigned`, the PEM certificate of the authority that signed
   * the emulator's certificate, for a client to trust; otherwise undefined.
   *
   * @example new WebSocket(emulator.purchaseUrl(), { ca: emulator.tlsCa })
   */
  tlsCa: string | undefined;
  /** The file `tlsCa` is kept in, to install on a phone. */
  tlsCaFile: string | undefined;
  /**
   * A ready-to-use purchase address; every parameter has a demo default.
   *
   * @example emulator.purchaseUrl({ deviceNo: 'C-001' })
   * // 'ws://127.0.0.1:8080/websocket/ssib/purchase?token=demo-token&deviceNo=C-001&appId=demo-app'
   */
  purchaseUrl(params?: PurchaseUrlParams): string;
  /**
   * The orders made, oldest first, with their payment state: those read back
   * from the journal, then this run's. A copy; at most the newest 10 000.
   *
   * @example emulator.orders().at(-1)?.amount // '15.80'
   */
  orders(): RecordedOrder[];
  /** Ends running sessions, closes every socket with 1001 and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts an emulated cabinet cloud and resolves once it listens.
 *
 * @example
 * import WebSocket from 'ws';
 *
 * const emulator = await startEmulator({ scenario: 'seed-yoghurt', speed: 10 });
 * const socket = new WebSocket(emulator.purchaseUrl());
 * // ... door, update, final
 * await emulator.close();
 */
export async function startEmulator(
  options: StartEmulatorOptions = {},
): Promise<RunningEmulator> {
  const config = resolveConfig(options, ['logger', 'clock']);

  if (
    options.logger !== undefined &&
    typeof (options.logger as Partial<Logger>).child !== 'function'
  ) {
    throw new ConfigError('logger: expected a pino logger');
  }
  const logger = options.logger ?? createLogger(config.logLevel);
  const directory = loadCabinetDirectory(config.fixturesDir);
  const models = await loadModelRegistry(config.modelModules);
  const chosen = readScenarioReference(config.scenario);
  const scenario = chosen.scenario;
  const deviceScenarios = new Map<string, Scenario>();

  // Fail at start-up, not at the first shopper, when a cabinet names a model
  // that does not exist, a device's scenario is missing or does not fit its
  // cabinet, or the chosen scenario does not fit the cabinet that most
  // devices get.
  for (const cabinet of directory.cabinets) {
    selectModels(models, cabinet);
    for (const [deviceNo, reference] of cabinet.deviceScenarios) {
      try {
        const own = readScenarioReference(reference);

        fitScenario(own, cabinet);
        selectModels(models, cabinet, own.scenario);
        deviceScenarios.set(deviceNo, own.scenario);
      } catch (err) {
        if (!(err instanceof EmulatorError)) throw err;
        throw new FixtureError(
          cabinet.file,
          `/scenarios/${deviceNo}: ${err.message}`,
          { cause: err },
        );
      }
    }
  }
  fitScenario(chosen, directory.defaultCabinet);
  selectModels(models, directory.defaultCabinet, scenario);

  const clock = options.clock ?? new SharedTimers();
  const tls = await loadTlsCredentials(config);

  if (tls?.replacedAuthority) {
    logger.warn(
      { caFile: tls.caFile },
      'the kept development authority could not be read and was made anew; phones that trusted the old one must trust this one',
    );
  }
  const orders = openOrderBook(config.journal, logger);
  const fleet = new CabinetFleet({
    directory,
    models,
    clock,
    speed: config.speed,
    rounding: config.rounding,
    seed: config.seed,
    defaultScenario: scenario,
    deviceScenarios,
    orders: orders.book,
  });
  let origin = '';
  const events = new ControlEvents();
  const history = new SessionHistory(fleet, events, clock);
  const app = await createServer({
    config,
    openSession: (deviceNo) => fleet.openSession(deviceNo),
    orders: fleet.orders,
    clock,
    imagesDir: directory.imagesDir,
    logger,
    origin: () => origin,
    ...(tls && { tls: { key: tls.key, cert: tls.cert } }),
    cabinetFor: (deviceNo) => directory.cabinetFor(deviceNo),
    control: {
      fleet,
      history,
      events,
      tokens: new TokenBook(clock),
      clock,
      origin: () => origin,
      cwd: process.cwd(),
      fixturesDir: config.fixturesDir,
    },
  });

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    orders.journal?.close();
    throw err;
  }

  const address = app.server.address();
  const port =
    typeof address === 'object' && address ? address.port : config.port;

  origin = `${tls ? 'https' : 'http'}://${reachableHost(config.host)}:${port}`;

  let closing: Promise<void> | undefined;

  return {
    config,
    url: origin,
    port,
    tlsCa: tls?.ca,
    tlsCaFile: tls?.caFile,
    purchaseUrl: (params = {}) => {
      const query = new URLSearchParams({
        token: params.token ?? 'demo-token',
        deviceNo: params.deviceNo ?? 'demo-cabinet',
        appId: params.appId ?? 'demo-app',
      });

      return `${origin.replace(/^http/, 'ws')}${PURCHASE_PATH}?${query}`;
    },
    orders: () => orders.book.recorded(),
    close: () => {
      closing ??= (async () => {
        fleet.cancelAll();
        history.dispose();
        try {
          await app.close();
          await fleet.flush();
        } finally {
          orders.journal?.close();
        }
      })();

      return closing;
    },
  };
}

// The order book, filled from the journal when there is one. Lines that do
// not read back are the user's to know of, not a reason to refuse to start.
function openOrderBook(
  file: string | undefined,
  logger: Logger,
): { book: OrderBook; journal: OrderJournal | undefined } {
  if (file === undefined) return { book: new OrderBook(), journal: undefined };

  const { journal, contents } = OrderJournal.open(file);
  const book = new OrderBook({ journal });

  for (const { line, reason } of contents.skipped) {
    logger.warn({ journal: file, line, reason }, 'journal line skipped');
  }
  for (const { line, entry } of book.restore(contents.lines)) {
    logger.warn(
      { journal: file, line, tradeNo: entry.tradeNo },
      'journal line skipped: payment of an order the journal does not hold',
    );
  }
  logger.info(
    { journal: file, orders: book.list().length },
    'orders read back from the journal',
  );

  return { book, journal };
}

// An address a client on this machine can connect to: the wildcard
// addresses accept connections but cannot be dialled.
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';

  return host.includes(':') ? `[${host}]` : host;
}
