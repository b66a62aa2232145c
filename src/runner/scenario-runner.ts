import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { CabinetFleet } from '../cabinet/cabinet-fleet.js';
import { OrderBook } from '../cabinet/order-book.js';
import type { Order } from '../cabinet/order.js';
import type { PurchaseSession } from '../cabinet/purchase-session.js';
import type { Cabinet } from '../catalogue/cabinet.js';
import {
  loadCabinetDirectory,
  type CabinetDirectory,
} from '../catalogue/load-cabinets.js';
import { MAX_CONNECTIONS, resolveConfig } from '../config.js';
import { RunError } from '../errors.js';
import { createLogger } from '../logger.js';
import { loadModelRegistry, type ModelRegistry } from '../physics/models.js';
import type { LoadedScenario } from '../scenario/scenario-file.js';
import { MAX_SCENARIO_MS } from '../scenario/plan-scenario.js';
import type { RoundingMode } from '../pricing/rounding.js';
import type { Scenario, ScenarioRun } from '../scenario/scenario.js';
import { createServer } from '../server/create-server.js';
import { PURCHASE_PATH } from '../server/purchase-route.js';
import { systemClock } from '../time/clock.js';
import { VirtualClock } from '../time/virtual-clock.js';
import type {
  ConnectionRecord,
  ScenarioOutcome,
  TranscriptEntry,
} from './run-result.js';
import {
  cabinetNamed,
  checkLoadedScenario,
  runDeviceOf,
} from './validate-scenario-files.js';
import { summariseOrder } from './transcript.js';

export interface ScenarioRunnerOptions {
  /** Folder with `cabinets/` and `images/`; default: the bundled fixtures. */
  fixturesDir?: string;
  modelModules?: readonly string[];
  rounding?: RoundingMode;
  /** Where the server logs; default: silent. */
  logger?: Logger;
}

/**
 * The Host every runner connection sends, so that addresses written into
 * frames (`thumbImage`, `orderInfo`) are the same on every run whatever port
 * the runner's server happens to get: those of an emulator on its default
 * address.
 */
export const TRANSCRIPT_HOST = '127.0.0.1:8080';

/**
 * A scenario whose purchase has not ended after this much virtual time is
 * stuck: the longest timeline a file may hold, plus ten minutes for what the
 * cabinet does after its last step (the scales settle within seconds; a
 * door nobody opens relocks after 30 s). A file that validates never runs
 * into this limit by its length alone.
 */
const MAX_VIRTUAL_MS = MAX_SCENARIO_MS + 10 * 60_000;

/**
 * How long a run may take in real time: the work of a whole session in
 * virtual time takes milliseconds, so this is a hang, not a slow machine.
 */
const MAX_WALL_MS = 60_000;

/**
 * Plays scenarios in virtual time against the emulator's real server, over
 * real sockets on loopback. Each run has its own cabinet fleet on its own
 * virtual clock; the runner moves that clock from one timer to the next, and
 * before each move waits until its clients have received everything sent so
 * far (a ping answered after the frames). So every frame is seen at the
 * virtual time it was sent, whatever the machine's load, and a run gives the
 * same bytes every time.
 */
export class ScenarioRunner {
  readonly #app: FastifyInstance;
  readonly #port: number;
  readonly #directory: CabinetDirectory;
  readonly #models: ModelRegistry;
  readonly #rounding: RoundingMode;
  readonly #fleets: Map<string, RunFleet>;
  #runs = 0;

  private constructor(
    app: FastifyInstance,
    fleets: Map<string, RunFleet>,
    directory: CabinetDirectory,
    models: ModelRegistry,
    rounding: RoundingMode,
  ) {
    this.#app = app;
    this.#fleets = fleets;
    this.#directory = directory;
    this.#models = models;
    this.#rounding = rounding;

    const address = app.server.address();

    this.#port = typeof address === 'object' && address ? address.port : 0;
  }

  static async start(
    options: ScenarioRunnerOptions = {},
  ): Promise<ScenarioRunner> {
    const config = resolveConfig({
      host: '127.0.0.1',
      port: 0,
      fixturesDir: options.fixturesDir,
      modelModules: options.modelModules,
      rounding: options.rounding,
      seed: 'runner',
      // Every shopper of every run comes from this machine.
      maxConnectionsPerIp: MAX_CONNECTIONS,
    });
    const directory = loadCabinetDirectory(config.fixturesDir);
    const models = await loadModelRegistry(config.modelModules);
    // Runs are told apart by the token their shoppers connect with.
    const fleets = new Map<string, RunFleet>();
    const fleetOf = new WeakMap<PurchaseSession, RunFleet>();
    const app = await createServer({
      config,
      openSession: (deviceNo, { token }) => {
        const run = fleets.get(token);

        if (!run) {
          throw new RunError(
            `no scenario run has token ${JSON.stringify(token)}`,
          );
        }
        const session = run.open(deviceNo);

        fleetOf.set(session, run);
        return session;
      },
      onFrameSent: (session) => fleetOf.get(session)?.frameSent(),
      orders: new OrderBook(),
      clock: systemClock,
      imagesDir: directory.imagesDir,
      logger: options.logger ?? createLogger('silent'),
      origin: () => `http://${TRANSCRIPT_HOST}`,
    });

    await app.listen({ host: config.host, port: 0 });

    return new ScenarioRunner(app, fleets, directory, models, config.rounding);
  }

  /**
   * Checks a scenario file against the runner's cabinets and models, with
   * each problem at its place in the file.
   */
  check(loaded: LoadedScenario): void {
    checkLoadedScenario(loaded, this.#directory, this.#models);
  }

  /** The cabinet a scenario is played on; throws `ScenarioError`. */
  cabinetOf(scenario: Scenario): Cabinet {
    return cabinetNamed(this.#directory, scenario);
  }

  /**
   * Plays `scenario` to its end and returns what was seen. Throws
   * `ScenarioError` when the scenario cannot be played on its cabinet.
   */
  async play(scenario: Scenario): Promise<ScenarioOutcome> {
    const run = scenario.run ?? defaultRun(scenario);
    const cabinet = this.cabinetOf(scenario);
    const deviceNo = runDeviceOf(this.#directory, scenario, cabinet);

    const token = `run-${++this.#runs}`;
    const clock = new VirtualClock(run.startTime);
    const fleet = new RunFleet(
      new CabinetFleet({
        directory: this.#directory,
        models: this.#models,
        clock,
        speed: 1,
        rounding: this.#rounding,
        seed: run.seed,
        defaultScenario: scenario,
      }),
    );

    this.#fleets.set(token, fleet);
    try {
      return await new RunPlayer(
        this.#port,
        token,
        deviceNo,
        clock,
        fleet,
      ).play();
    } finally {
      this.#fleets.delete(token);
    }
  }

  async close(): Promise<void> {
    await this.#app.close();
  }
}

function defaultRun(scenario: Scenario): ScenarioRun {
  return {
    cabinet: 'default',
    seed: scenario.name,
    startTime: Date.UTC(2019, 9, 11, 6, 45, 10),
    expect: {},
  };
}

/** One run's cabinets: it hands out sessions and tells the player of each. */
class RunFleet {
  readonly #fleet: CabinetFleet;
  readonly #opened: Array<(session: PurchaseSession) => void> = [];
  readonly #sent: Array<() => void> = [];

  constructor(fleet: CabinetFleet) {
    this.#fleet = fleet;
  }

  open(deviceNo: string): PurchaseSession {
    const session = this.#fleet.openSession(deviceNo);

    for (const listener of this.#opened) listener(session);
    return session;
  }

  onOpened(listener: (session: PurchaseSession) => void): void {
    this.#opened.push(listener);
  }

  /** A frame went out to one of this run's shoppers. */
  frameSent(): void {
    for (const listener of this.#sent) listener();
  }

  onFrameSent(listener: () => void): void {
    this.#sent.push(listener);
  }
}

interface Connection {
  label: string;
  socket: WebSocket;
  record: ConnectionRecord;
  closed: Promise<void>;
}

/** Plays one run: its connections, its clock, its record. */
class RunPlayer {
  readonly #port: number;
  readonly #token: string;
  readonly #deviceNo: string;
  readonly #clock: VirtualClock;
  readonly #fleet: RunFleet;
  readonly #startedAt: number;
  readonly #connections: Connection[] = [];
  readonly #transcript: TranscriptEntry[] = [];
  readonly #sessions: PurchaseSession[] = [];
  #pendingShoppers = 0;
  // Whether a client may have something to receive that it has not: a frame
  // sent, or a connection opened, broken or closed since the last catch-up.
  #unsettled = true;
  #order: Order | null = null;
  readonly #faults: string[] = [];

  constructor(
    port: number,
    token: string,
    deviceNo: string,
    clock: VirtualClock,
    fleet: RunFleet,
  ) {
    this.#port = port;
    this.#token = token;
    this.#deviceNo = deviceNo;
    this.#clock = clock;
    this.#fleet = fleet;
    this.#startedAt = clock.now();
    fleet.onOpened((session) => this.#watch(session));
    fleet.onFrameSent(() => {
      this.#unsettled = true;
    });
  }

  async play(): Promise<ScenarioOutcome> {
    const deadline = Date.now() + MAX_WALL_MS;
    const shopper = this.#connect('shopper');

    await Promise.race([this.#firstSession(), shopper.closed]);

    for (;;) {
      if (Date.now() > deadline) {
        throw new RunError(
          `the run took more than ${MAX_WALL_MS / 1000} s of real time`,
        );
      }
      // Most timers only sample the scales; a round trip to every client
      // after each would cost more than the whole cabinet model.
      if (this.#unsettled) {
        this.#unsettled = false;
        await this.#catchUp();
      }

      if (this.#pendingShoppers > 0) {
        this.#pendingShoppers--;
        await this.#anotherShopper();
        continue;
      }

      const next = this.#clock.nextDueAt();

      if (next === undefined) break;
      if (next - this.#startedAt > MAX_VIRTUAL_MS) {
        throw new RunError(
          `the purchase has not ended after ${MAX_VIRTUAL_MS / 60_000} minutes of virtual time`,
        );
      }
      this.#clock.advance(next - this.#clock.now());
    }

    await Promise.all(this.#connections.map((c) => c.closed));

    return {
      shopper: this.#connections[0]!.record,
      otherShoppers: this.#connections.slice(1).map((c) => c.record),
      order: this.#order,
      faults: this.#faults,
      transcript: this.#transcript,
      virtualMs: this.#elapsed(),
    };
  }

  #elapsed(): number {
    return this.#clock.now() - this.#startedAt;
  }

  #log(connection: string, event: TranscriptEntry['event'], text: string) {
    this.#transcript.push({ atMs: this.#elapsed(), connection, event, text });
  }

  #firstSession(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#sessions.length > 0) resolve();
      else this.#fleet.onOpened(() => resolve());
    });
  }

  #watch(session: PurchaseSession): void {
    this.#sessions.push(session);
    this.#unsettled = true;
    session.subscribe((event) => {
      if (event.kind === 'connection-fault') this.#unsettled = true;
      if (event.kind === 'another-shopper') this.#pendingShoppers++;
      if (event.kind === 'order-made') {
        this.#order ??= event.order;
        this.#log('cabinet', 'order', summariseOrder(event.order));
      }
      if (event.kind === 'fault') {
        const thrown =
          event.error instanceof Error
            ? event.error.message
            : String(event.error);
        const message =
          event.aisleId === undefined
            ? thrown
            : `load cell model of aisle ${event.aisleId}: ${thrown}`;

        this.#faults.push(message);
        this.#log('cabinet', 'fault', JSON.stringify({ message }));
      }
      if (event.kind === 'alarm') {
        this.#log(
          'cabinet',
          'alarm',
          JSON.stringify({ openForMs: event.openForMs }),
        );
      }
      if (event.kind === 'anomaly') {
        const { aisleId, kind, grams } = event.anomaly;

        this.#log(
          'cabinet',
          'anomaly',
          JSON.stringify({ aisleId, kind, grams }),
        );
      }
    });
  }

  #connect(label: string): Connection {
    this.#unsettled = true;

    const query = new URLSearchParams({
      token: this.#token,
      deviceNo: this.#deviceNo,
      appId: 'cabinet-emu-run',
    });
    const socket = new WebSocket(
      `ws://127.0.0.1:${this.#port}${PURCHASE_PATH}?${query}`,
      { headers: { host: TRANSCRIPT_HOST } },
    );
    const record: ConnectionRecord = { frames: [] };
    const closed = new Promise<void>((resolve) => {
      socket.on('close', (code, reason) => {
        const text = reason.toString();

        record.close = { atMs: this.#elapsed(), code, reason: text };
        this.#log(label, 'close', `${code} ${text}`.trimEnd());
        resolve();
      });
    });

    // A refused or cut connection reports here and then closes; the close is
    // what the record keeps.
    socket.on('error', () => {});
    socket.on('message', (data) => {
      const text = data.toString();

      record.frames.push({ atMs: this.#elapsed(), text });
      this.#log(label, 'frame', text);
    });
    this.#log(label, 'connect', `deviceNo=${this.#deviceNo}`);

    const connection = { label, socket, record, closed };

    this.#connections.push(connection);
    return connection;
  }

  async #anotherShopper(): Promise<void> {
    const connection = this.#connect(`shopper ${this.#connections.length + 1}`);

    // Either the device is busy and the connection is refused at once, or a
    // session starts for it and the main loop plays it.
    const sessions = this.#sessions.length;

    await new Promise<void>((resolve) => {
      void connection.closed.then(resolve);
      this.#fleet.onOpened(() => {
        if (this.#sessions.length > sessions) resolve();
      });
    });
  }

  // Waits until every client has received what the server has sent: a pong
  // comes back behind every frame written before the ping was read.
  async #catchUp(): Promise<void> {
    await Promise.all(
      this.#connections.map(async ({ socket, closed }) => {
        if (socket.readyState === WebSocket.CONNECTING) {
          await Promise.race([
            new Promise((resolve) => socket.once('open', resolve)),
            closed,
          ]);
        }
        if (socket.readyState === WebSocket.CLOSED) return undefined;
        if (socket.readyState !== WebSocket.OPEN) return closed;

        return new Promise<void>((resolve) => {
          const done = () => {
            socket.off('pong', done);
            resolve();
          };

          socket.once('pong', done);
          void closed.then(done);
          socket.ping();
        });
      }),
    );
  }
}
