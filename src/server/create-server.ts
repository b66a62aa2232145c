import fastifyStatic from '@fastify/static';
import fastifyWebsocket, {
  type WebsocketPluginOptions,
} from '@fastify/websocket';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
} from 'fastify';
import type { Logger } from 'pino';
import type { OrderBook } from '../cabinet/order-book.js';
import type { PurchaseSession } from '../cabinet/purchase-session.js';
import type { Cabinet } from '../catalogue/cabinet.js';
import type { Clock } from '../time/clock.js';
import type { EmulatorConfig } from '../config.js';
import {
  registerControlApi,
  type ControlParts,
} from '../control/control-api.js';
import {
  registerAdminAccess,
  registerLoopbackHostCheck,
} from './admin-access.js';
import { closeAllSockets } from './close-all-sockets.js';
import { registerDashboardRoute } from './dashboard-route.js';
import { answerError, sendErrorAnswer } from './error-answer.js';
import { IMAGE_PATH_PREFIX, imageAddressFor } from './image-address.js';
import { insideFolder } from './inside-folder.js';
import { registerPaymentRoute } from './payment-route.js';
import { registerPurchaseRoute, type SessionOpener } from './purchase-route.js';
import { RouteMethods } from './route-methods.js';
import { ScreenHub } from './screen-hub.js';
import { registerScreenRoute } from './screen-route.js';
import { ServerSocket } from './server-socket.js';
import { trackTcpConnections } from './tcp-connections.js';
import { registerUpgradeGuard } from './upgrade-guard.js';

export interface ServerParts {
  config: EmulatorConfig;
  openSession: SessionOpener;
  /** The orders made, for the manual payment pages. */
  orders: OrderBook;
  /** Stamps payments. */
  clock: Clock;
  imagesDir: string;
  logger: Logger;
  /** This emulator's own origin, known once it listens. */
  origin: () => string;
  /** Serves HTTPS and WSS with these; plain HTTP when absent. */
  tls?: { key: string; cert: string };
  /** The cabinet at a device, for its screen's ads; none without it. */
  cabinetFor?: (deviceNo: string) => Cabinet;
  /** The control API under `/emulator/`; left out by the scenario runner. */
  control?: ControlParts;
  /** Hears of every frame as it goes out on a shopper's socket. */
  onFrameSent?: (session: PurchaseSession, frame: string) => void;
}

// Clients get this long to answer the closing handshake at shutdown before
// their connections are cut.
const CLOSE_GRACE_MS = 1000;

type WebSocketClass = NonNullable<
  WebsocketPluginOptions['options']
>['WebSocket'];

/** Builds the HTTP and WebSocket server; it does not listen yet. */
export async function createServer(
  parts: ServerParts,
): Promise<FastifyInstance> {
  const app = Fastify({
    // WeChat and current phones speak TLS 1.2 or later; nothing older is
    // offered, whatever Node's defaults become.
    ...(parts.tls && {
      https: { ...parts.tls, minVersion: 'TLSv1.2' as const },
    }),
    loggerInstance: parts.logger as FastifyBaseLogger,
    // A field the API does not know is a mistake to report (a misspelt
    // ttlSeconds, say), not one to drop in silence as fastify does by
    // default; nor is a number where a name belongs one to turn into text.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    // On close, cut every connection, also one that never finished sending
    // its request: otherwise a half-open client holds shutdown up for ever.
    forceCloseConnections: true,
    // Sessions log their own lifecycle; a line per picture fetched is noise.
    logController: new LogController({ disableRequestLogging: true }),
    // A client that joins its base address and path with one slash too many,
    // or ends the path with one, still reaches the purchase socket; nginx,
    // common in front of Java clouds, merges slashes by default.
    // A path that is not valid percent-encoding, a body that is not JSON:
    // answered in the same shape as every other error.
    frameworkErrors: answerError,
    routerOptions: {
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      // A device number of 64 Chinese characters is 576 characters once
      // percent-encoded; the router's default of 100 would answer such an
      // address, or a long trade number, with its own odd 414 instead of the
      // handler's plain 404.
      maxParamLength: 2048,
    },
  });

  app.setErrorHandler(answerError);

  // Before any route, so that every route of every plugin is known to the
  // not-found handler's 405.
  const routes = new RouteMethods();

  app.addHook('onRoute', (route) => routes.add(route.method, route.url));

  // First, so that every admin route, whoever adds it, sits behind the gate.
  if (parts.config.adminToken !== undefined) {
    registerAdminAccess(app, {
      token: parts.config.adminToken,
      secureCookie: parts.tls !== undefined,
    });
  } else {
    registerLoopbackHostCheck(app);
  }

  await app.register(fastifyWebsocket, {
    options: {
      // Messages from clients are not part of the protocol; anything bigger
      // than this is not a mini program talking.
      maxPayload: parts.config.maxMessageBytes,
      // Nor are they read, so text that is not UTF-8 is ignored like the
      // rest rather than ending the purchase's socket.
      skipUTF8Validation: true,
      // The plugin's types want ws's namespace too, statics never used here.
      WebSocket: ServerSocket as unknown as WebSocketClass,
      // WeChat fails the handshake unless the server picks one of the
      // subprotocols it offered, and never one it did not offer.
      handleProtocols: (offered) => offered.values().next().value ?? false,
    },
    preClose: closeWebSockets,
    errorHandler: (error, socket, request) => {
      const deviceNo = (request.query as Record<string, unknown>)?.deviceNo;

      // ws reports a client that breaks the protocol (an unmasked frame, a
      // message over the size limit) and closes that socket itself, with
      // 1009 or 1008 (see ServerSocket); only that client is affected.
      if (String((error as NodeJS.ErrnoException).code).startsWith('WS_ERR_')) {
        request.log.warn(
          { err: error, deviceNo },
          'client broke the WebSocket protocol; socket closed',
        );
        return;
      }
      request.log.error({ err: error, deviceNo }, 'purchase connection failed');
      socket.terminate();
    },
  });

  await app.register(fastifyStatic, {
    root: parts.imagesDir,
    prefix: IMAGE_PATH_PREFIX,
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    allowedPath: insideFolder(parts.imagesDir),
    maxAge: '1h',
  });

  registerUpgradeGuard(app, parts.config);

  // After the WebSocket plugin's own, so every shopper has been told 1001
  // and given its grace before what is left is cut.
  const tcpConnections = trackTcpConnections(app.server);

  app.addHook('preClose', async () => tcpConnections.cutAll());

  const screens = new ScreenHub({
    style: {
      successAsString: parts.config.successAsString,
      imageAddress: imageAddressFor('', 'path'),
      // Screens share one text of each frame, so a payment page is
      // addressed from the emulator's own origin.
      pageAddress: (path) => parts.origin() + path,
    },
    adsFor: (deviceNo) => parts.cabinetFor?.(deviceNo).ads,
  });
  const { control } = parts;

  registerPurchaseRoute(app, {
    ...parts,
    openSession: (deviceNo, request) => {
      const session = parts.openSession(deviceNo, request);

      screens.watch(session);
      return session;
    },
    acceptToken:
      control && parts.config.strictTokens
        ? (token) => control.tokens.accepts(token)
        : undefined,
    onFrameSent: (session, frame) => {
      control?.history.recordFrame(session, frame);
      parts.onFrameSent?.(session, frame);
    },
  });
  if (control) await registerControlApi(app, control);
  registerScreenRoute(app, { screens, origin: parts.origin });
  await registerDashboardRoute(app, parts);
  registerPaymentRoute(app, parts.orders, parts.clock);

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = routes.methodsFor(path);

    // A route that takes the method but found nothing (a picture that is
    // not there) is a plain 404.
    if (allowed.length === 0 || allowed.includes(request.method)) {
      return sendErrorAnswer(
        reply,
        404,
        `no route for ${request.method} ${path}`,
      );
    }
    return sendErrorAnswer(
      reply.header('allow', allowed.join(', ')),
      405,
      `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}`,
    );
  });

  return app;
}

async function closeWebSockets(this: FastifyInstance): Promise<void> {
  await closeAllSockets(this.websocketServer.clients, CLOSE_GRACE_MS);
  await new Promise<void>((resolve) =>
    this.websocketServer.close(() => resolve()),
  );
}
