import type { FastifyInstance } from 'fastify';
import { OrderBook } from '../../src/cabinet/order-book.js';
import {
  BUNDLED_FIXTURES_DIR,
  resolveConfig,
  type EmulatorOptions,
} from '../../src/config.js';
import { createServer } from '../../src/server/create-server.js';
import { systemClock } from '../../src/time/clock.js';
import { FakeSession } from '../support/fake-session.js';
import { capturingLogger, type LogLine } from './log-capture.js';

export interface FakeSessionsServer {
  app: FastifyInstance;
  port: number;
  /** The session each device's latest connection got. */
  sessions: Map<string, FakeSession>;
  lines: LogLine[];
  purchaseUrl(deviceNo: string): string;
}

/**
 * The real server on a free loopback port, whose every purchase is a
 * `FakeSession` the test drives: connection behaviour without a cabinet.
 */
export async function serveFakeSessions(
  options: EmulatorOptions = {},
  { doorOnStart = false } = {},
): Promise<FakeSessionsServer> {
  const { logger, lines } = capturingLogger();
  const sessions = new Map<string, FakeSession>();
  const app = await createServer({
    config: resolveConfig(options),
    openSession: (deviceNo) => {
      const session = new FakeSession({ doorOnStart });

      sessions.set(deviceNo, session);
      return session.asSession();
    },
    orders: new OrderBook(),
    clock: systemClock,
    imagesDir: `${BUNDLED_FIXTURES_DIR}/images`,
    logger,
    origin: () => 'http://127.0.0.1',
  });

  await app.listen({ host: '127.0.0.1', port: 0 });

  const { port } = app.server.address() as { port: number };

  return {
    app,
    port,
    sessions,
    lines,
    purchaseUrl: (deviceNo) =>
      `ws://127.0.0.1:${port}/websocket/ssib/purchase?token=T&deviceNo=${encodeURIComponent(deviceNo)}&appId=A`,
  };
}
