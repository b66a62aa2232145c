// The emulator as `cabinet-emu serve` runs it, in a child of its own, with
// one addition: each session's frames are noted with the wall-clock time at
// which they were due and the time they went out.
//
// Why the server and not the client works out when a frame was due: a
// session's clock starts when the server takes the connection, which the
// client only learns a handshake later (seconds later, when thousands of
// clients connect at once), and each session's random stream (the lock's
// jitter, scale noise, hence the moment a weight settles) is forked from the
// seed by the order in which the server took the connections, not the order
// in which the client opened them. A client can predict the frames' text,
// not their moments. The session's own clock knows both exactly: its timers
// run at virtual times, and `PacedClock` maps virtual time onto the wall
// clock at `speed`.
//
// It is put together as `startEmulator()` puts it together, from the same
// compiled modules, so that sessions can be watched without a hook in src/.
import './server-probe.js';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { CabinetFleet } from '../dist/cabinet/cabinet-fleet.js';
import type { PurchaseSession } from '../dist/cabinet/purchase-session.js';
import { loadCabinetDirectory } from '../dist/catalogue/load-cabinets.js';
import { resolveConfig, type LogLevel } from '../dist/config.js';
import { createLogger } from '../dist/logger.js';
import { loadModelRegistry } from '../dist/physics/models.js';
import { loadScenario } from '../dist/scenario/scenario-catalogue.js';
import { createServer } from '../dist/server/create-server.js';
import { SharedTimers } from '../dist/time/shared-timers.js';
import {
  benchIndex,
  type FramesReport,
  type ReadyMessage,
  type SentFrame,
} from './messages.js';

const FRAME_EVENTS = new Set([
  'door-opened',
  'basket-changed',
  'order-made',
  'nothing-bought',
  'failed',
]);

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    'max-connections': { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
  },
});

const config = resolveConfig({
  host: '127.0.0.1',
  port: 0,
  scenario: values.scenario,
  seed: values.seed,
  speed: Number(values.speed ?? 1),
  logLevel: values['log-level'] as LogLevel,
  ...(values['max-connections'] !== undefined && {
    maxConnections: Number(values['max-connections']),
    maxConnectionsPerIp: Number(values['max-connections']),
  }),
});
// As startEmulator() does: every session's timers behind one Node timer.
const clock = new SharedTimers();
const directory = loadCabinetDirectory(config.fixturesDir);
const fleet = new CabinetFleet({
  directory,
  models: await loadModelRegistry(config.modelModules),
  clock,
  speed: config.speed,
  rounding: config.rounding,
  seed: config.seed,
  defaultScenario: loadScenario(config.scenario),
});
const sessions: Array<SentFrame[] | null> = [];
let origin = '';

const app = await createServer({
  config,
  openSession: (deviceNo) => watch(deviceNo, fleet.openSession(deviceNo)),
  orders: fleet.orders,
  clock,
  imagesDir: directory.imagesDir,
  logger: createLogger(config.logLevel),
  origin: () => origin,
});

await app.listen({ host: config.host, port: 0 });

const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

origin = `http://127.0.0.1:${port}`;

function watch(deviceNo: string, session: PurchaseSession): PurchaseSession {
  const index = benchIndex(deviceNo);

  if (index < 0) return session;

  // Before any timer has run, the session's clock reads the wall-clock
  // moment it was made at: the origin its virtual time is paced from.
  const start = session.clock.now();
  const frames: SentFrame[] = [];
  const dueAt = () => start + (session.clock.now() - start) / config.speed;
  const startSession = session.start.bind(session);
  let pending: number | undefined;

  sessions[index] = frames;
  // Subscribed first, this hears each event before the route turns it into
  // a frame; subscribed at start, after the route, it hears it once sent.
  session.subscribe((event) => {
    if (FRAME_EVENTS.has(event.kind)) pending = dueAt();
  });
  session.start = () => {
    session.subscribe(() => {
      if (pending === undefined) return;
      frames.push([pending, Date.now()]);
      pending = undefined;
    });
    startSession();
  };

  return session;
}

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'frames') {
    const report: FramesReport = { type: 'frames', sessions };

    process.send?.(report);
    sessions.length = 0;
  }
});

const ready: ReadyMessage = { type: 'ready', port };

process.send?.(ready);
