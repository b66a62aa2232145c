import type { Logger } from 'pino';
import { CabinetFleet } from './cabinet/cabinet-fleet.js';
import { loadCabinetDirectory } from './catalogue/load-cabinets.js';
import {
  resolveConfig,
  type EmulatorConfig,
  type EmulatorOptions,
} from './config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';
import { loadScenario } from './scenario/scenario-catalogue.js';
import type { Scenario } from './scenario/scenario.js';
import { planScenario } from './scenario/plan-scenario.js';
import { createServer } from './server/create-server.js';
import { PURCHASE_PATH } from './server/purchase-route.js';
import { systemClock, type Clock } from './time/clock.js';
import { loadModelRegistry, selectModels } from './physics/models.js';

export interface StartEmulatorOptions extends EmulatorOptions {
  /** A pino logger to use instead of one made from `logLevel`. */
  logger?: Logger;
  /** The clock sessions run on. Default: the system clock. */
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
  /** Where the emulator can be reached, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** The port it listens on; the one chosen when asked for port 0. */
  port: number;
  /**
   * A ready-to-use purchase address; every parameter has a demo default.
   *
   * @example emulator.purchaseUrl({ deviceNo: 'C-001' })
   * // 'ws://127.0.0.1:8080/websocket/ssib/purchase?token=demo-token&deviceNo=C-001&appId=demo-app'
   */
  purchaseUrl(params?: PurchaseUrlParams): string;
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
  const scenario = loadScenario(config.scenario);
  const deviceScenarios = new Map<string, Scenario>();

  // Fail at start-up, not at the first shopper, when a cabinet names a model
  // that does not exist, a device's scenario is missing or does not fit its
  // cabinet, or the chosen scenario does not fit the cabinet that most
  // devices get.
  for (const cabinet of directory.cabinets) {
    selectModels(models, cabinet);
    for (const [deviceNo, reference] of cabinet.deviceScenarios) {
      const own = loadScenario(reference);

      planScenario(own, cabinet);
      selectModels(models, cabinet, own);
      deviceScenarios.set(deviceNo, own);
    }
  }
  planScenario(scenario, directory.defaultCabinet);
  selectModels(models, directory.defaultCabinet, scenario);

  const clock = options.clock ?? systemClock;
  const fleet = new CabinetFleet({
    directory,
    models,
    clock,
    speed: config.speed,
    rounding: config.rounding,
    seed: config.seed,
    defaultScenario: scenario,
    deviceScenarios,
  });
  let origin = '';
  const app = await createServer({
    config,
    openSession: (deviceNo) => fleet.openSession(deviceNo),
    orders: fleet.orders,
    clock,
    imagesDir: directory.imagesDir,
    logger,
    origin: () => origin,
  });

  await app.listen({ host: config.host, port: config.port });

  const address = app.server.address();
  const port =
    typeof address === 'object' && address ? address.port : config.port;

  origin = `http://${reachableHost(config.host)}:${port}`;

  let closing: Promise<void> | undefined;

  return {
    config,
    url: origin,
    port,
    purchaseUrl: (params = {}) => {
      const query = new URLSearchParams({
        token: params.token ?? 'demo-token',
        deviceNo: params.deviceNo ?? 'demo-cabinet',
        appId: params.appId ?? 'demo-app',
      });

      return `${origin.replace(/^http/, 'ws')}${PURCHASE_PATH}?${query}`;
    },
    close: () => {
      closing ??= (async () => {
        fleet.cancelAll();
        await app.close();
        await fleet.flush();
      })();

      return closing;
    },
  };
}

// An address a client on this machine can connect to: the wildcard
// addresses accept connections but cannot be dialled.
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';

  return host.includes(':') ? `[${host}]` : host;
}
