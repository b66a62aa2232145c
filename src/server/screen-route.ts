import type { FastifyInstance } from 'fastify';
import { deviceNoProblem } from '../protocol/device-number.js';
import { sendErrorAnswer } from './error-answer.js';
import { originFor } from './image-address.js';
import type { ScreenHub } from './screen-hub.js';
import type { ServerSocket } from './server-socket.js';

export const SCREEN_PATH = '/websocket/ssib/ad';

export interface ScreenRouteOptions {
  screens: ScreenHub;
  /** This emulator's own origin, for clients that send no usable Host. */
  origin: () => string;
}

type ScreenQuery = Partial<Record<string, string | string[]>>;

/**
 * What the vendor's cabinet-screen page calls: its image base address, the
 * check of its device number, and its WebSocket, which shows the purchase at
 * the cabinet live between ads.
 */
export function registerScreenRoute(
  app: FastifyInstance,
  { screens, origin }: ScreenRouteOptions,
): void {
  // One version of the screen reads `data`, another `object`.
  app.get('/api/imgserver', async (request) => {
    const base = originFor(request, origin());

    return { code: 0, msg: '', data: base, object: base };
  });

  app.get<{ Params: { deviceNo?: string } }>(
    // Optional, so that a screen with no device number set is answered in
    // its own terms rather than with a 404.
    '/api/ssib/advert/ws/:deviceNo?',
    async (request) => {
      const problem = deviceNoProblem(request.params.deviceNo ?? '');

      // The screen connects on code 0 and goes to its login page with `msg`
      // on anything else; the HTTP status stays 200, as the cloud's does.
      return problem
        ? { code: 1, msg: problem.message, data: null }
        : { code: 0, msg: '', data: null };
    },
  );

  app.route<{ Querystring: ScreenQuery }>({
    method: 'GET',
    url: SCREEN_PATH,

    handler: async (_request, reply) =>
      sendErrorAnswer(
        reply.header('upgrade', 'websocket'),
        426,
        `${SCREEN_PATH} is a WebSocket endpoint; connect with ws:// and deviceNo in the query`,
      ),

    wsHandler: (socket, request) => {
      const value = request.query.deviceNo;
      const deviceNo = (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
      const problem = deviceNoProblem(deviceNo);
      const log = request.log.child({ deviceNo });

      socket.on('message', () => {
        log.debug('ignored a message from a screen');
      });

      if (problem) {
        log.warn({ reason: problem.reason }, 'screen refused');
        // The vendor's screen shows the reason of a 1003 and stops trying.
        (socket as ServerSocket).refuseScreen(problem.reason);
        return;
      }

      log.info(
        { watching: screens.watching(deviceNo) + 1 },
        'screen connected',
      );
      socket.on('close', () => log.info('screen disconnected'));
      screens.add(deviceNo, socket);
    },
  });
}
