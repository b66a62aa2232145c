import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendErrorAnswer } from '../server/error-answer.js';
import type { CabinetFleet } from '../cabinet/cabinet-fleet.js';
import type { Clock } from '../time/clock.js';
import { registerActionRoutes } from './action-routes.js';
import { registerCabinetRoutes } from './cabinet-routes.js';
import type { ControlEvents } from './control-events.js';
import { registerEventRoutes } from './event-routes.js';
import { registerOrderRoutes } from './order-routes.js';
import { registerScenarioRoutes } from './scenario-routes.js';
import type { SessionHistory } from './session-history.js';
import { registerSessionRoutes } from './session-routes.js';
import type { TokenBook } from './token-book.js';
import { registerTokenRoutes } from './token-routes.js';

export const CONTROL_PREFIX = '/emulator';

/** What the control API works on. */
export interface ControlParts {
  fleet: CabinetFleet;
  history: SessionHistory;
  events: ControlEvents;
  tokens: TokenBook;
  clock: Clock;
  /** This emulator's own origin, for picture addresses. */
  origin: () => string;
  /** Where relative scenario file paths are taken from. */
  cwd: string;
  /**
   * The fixtures folder: with `cwd`, the only places a scenario file named
   * over the API may be read from.
   */
  fixturesDir: string;
}

/**
 * The control API under `/emulator/`: JSON over HTTP to look at cabinets,
 * move a running purchase by hand, choose devices' scenarios, mint tokens
 * and follow everything as server-sent events. Described by OpenAPI at
 * `/emulator/openapi.json` and browsable at `/emulator/docs`.
 */
export async function registerControlApi(
  app: FastifyInstance,
  parts: ControlParts,
): Promise<void> {
  await app.register(
    async (api) => {
      // Registered inside the API's own scope, so that the document
      // describes these routes and not the purchase socket or pictures.
      await api.register(fastifySwagger, {
        openapi: {
          openapi: '3.1.0',
          info: {
            title: 'cabinet-emulator control API',
            description:
              'Look at the emulated cabinets, move a running purchase step by step, choose what each device plays, mint login tokens, and follow it all as server-sent events.',
            version: '1',
          },
          tags: [
            { name: 'cabinets', description: 'Cabinets and their purchases' },
            { name: 'sessions', description: 'Recent purchase sessions' },
            { name: 'orders', description: 'Orders the cloud made' },
            { name: 'tokens', description: 'Login tokens for --strict-tokens' },
            { name: 'events', description: 'Everything, as it happens' },
          ],
        },
      });
      // A page on another site may send a form or a plain-text POST to the
      // machine's loopback address without asking (no CORS preflight): the
      // API takes only JSON bodies, and refuses a browser's request that
      // says it comes from another origin.
      api.removeContentTypeParser('text/plain');
      api.addHook('onRequest', async (request, reply) => {
        if (SAFE_METHODS.has(request.method)) return;
        const origin = request.headers.origin;

        if (origin !== undefined && !sameOrigin(origin, request.host)) {
          return sendError(
            reply,
            403,
            `the control API does not take requests from pages of another origin (${origin})`,
          );
        }
      });
      // swagger-ui's page links its scripts relatively only when its own
      // address ends in a slash; without one, under this prefix, they would
      // be looked for at /docs/static/ and the page would stay blank.
      api.addHook('onRequest', async (request, reply) => {
        const [path, query] = splitQuery(request.url);

        if (path === `${CONTROL_PREFIX}/docs`) {
          return reply.redirect(`${path}/${query}`, 301);
        }
      });
      // Spaces around a device number are not part of it, as on the purchase
      // socket: `/cabinets/%20P-1%20` is cabinet P-1.
      api.addHook('preValidation', async (request) => {
        const params = request.params as { deviceNo?: unknown };

        if (typeof params.deviceNo === 'string') {
          params.deviceNo = params.deviceNo.trim();
        }
      });
      // swagger-ui's page and scripts come from its package folder: the
      // page works with no network.
      await api.register(fastifySwaggerUi, { routePrefix: '/docs' });

      api.get('/openapi.json', { schema: { hide: true } }, async () =>
        api.swagger(),
      );

      registerCabinetRoutes(api, parts);
      registerActionRoutes(api, parts);
      registerScenarioRoutes(api, parts);
      registerTokenRoutes(api, parts);
      registerSessionRoutes(api, parts);
      registerOrderRoutes(api, parts);
      registerEventRoutes(api, parts);
    },
    { prefix: CONTROL_PREFIX },
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function splitQuery(url: string): [string, string] {
  const mark = url.indexOf('?');

  return mark === -1 ? [url, ''] : [url.slice(0, mark), url.slice(mark)];
}

/** Answers with the server's error shape, `{ statusCode, error, message }`. */
export function sendError(
  reply: FastifyReply,
  statusCode: 400 | 403 | 404 | 409 | 422,
  message: string,
) {
  return sendErrorAnswer(reply, statusCode, message);
}
