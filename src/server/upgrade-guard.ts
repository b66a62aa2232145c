import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorConfig } from '../config.js';
import { ConnectionLimits } from './connection-limits.js';
import { PURCHASE_PATH } from './purchase-route.js';
import { SCREEN_PATH } from './screen-route.js';
import { sendErrorAnswer } from './error-answer.js';

const WEBSOCKET_PATHS: readonly string[] = [PURCHASE_PATH, SCREEN_PATH];

/**
 * Checks every WebSocket handshake before it is upgraded, in the HTTP
 * answers a client can read: 405 for a method other than GET, 400 for an
 * HTTP/1.0 request or one without Host (RFC 6455 and HTTP/1.1 both require
 * them), 503 past the connection limits. What ws checks itself (the key, the
 * version, the Upgrade header, the subprotocol list) it answers with its own
 * 400. A refused socket never costs a session.
 */
export function registerUpgradeGuard(
  app: FastifyInstance,
  config: EmulatorConfig,
): void {
  const limits = new ConnectionLimits(
    config.maxConnections,
    config.maxConnectionsPerIp,
  );

  app.addHook('onRequest', async (request, reply) => {
    if (!request.ws) return;

    // An unknown path gets its 404 from the router.
    if (request.routeOptions.url === undefined) return;
    // A page of the emulator's own (the dashboard at /, say) is no socket:
    // answered in HTTP, not upgraded and then closed.
    if (!WEBSOCKET_PATHS.includes(request.routeOptions.url)) {
      return refuse(
        request,
        reply,
        404,
        `no WebSocket at ${request.routeOptions.url}; the purchase socket is ${PURCHASE_PATH}`,
      );
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(
        request,
        reply.header('allow', 'GET'),
        405,
        `a WebSocket is opened with GET, not ${request.method}`,
      );
    }
    if (request.raw.httpVersion !== '1.1') {
      return refuse(
        request,
        reply,
        400,
        `a WebSocket handshake needs HTTP/1.1, not HTTP/${request.raw.httpVersion}`,
      );
    }
    if (!request.headers.host) {
      return refuse(
        request,
        reply,
        400,
        'a WebSocket handshake needs a Host header',
      );
    }

    const refusal = limits.admit(
      request.raw.socket,
      request.routeOptions.url === PURCHASE_PATH,
    );

    if (refusal) {
      return refuse(request, reply, 503, refusal);
    }
  });
}

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  statusCode: number,
  message: string,
): FastifyReply {
  request.log.warn(
    { address: request.raw.socket.remoteAddress, statusCode, url: request.url },
    `WebSocket refused: ${message}`,
  );

  return sendErrorAnswer(reply, statusCode, message);
}
