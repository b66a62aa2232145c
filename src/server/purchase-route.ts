import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type {
  PurchaseSession,
  SessionEvent,
} from '../cabinet/purchase-session.js';
import type { EmulatorConfig } from '../config.js';
import { DeviceBusyError, ScenarioError } from '../errors.js';
import { FailureMessage } from '../protocol/failure-messages.js';
import { failureFrame, type FrameStyle } from '../protocol/frames.js';
import { CloseCode, closeReason } from './close-codes.js';
import { deviceNoProblem } from '../protocol/device-number.js';
import { keepAlive, MISSED_PONGS_ALLOWED } from './heartbeat.js';
import { imageAddressFor, originFor } from './image-address.js';
import { sendErrorAnswer } from './error-answer.js';
import { encodeEvent, isFinal } from './session-frames.js';
import { ShopperOutbox } from './shopper-outbox.js';

export const PURCHASE_PATH = '/websocket/ssib/purchase';

const REQUIRED_PARAMETERS = ['token', 'deviceNo', 'appId'] as const;

// Shown to the shopper by the mini program, so in the cloud's language.
const DEVICE_BUSY_MESSAGE = '设备正在使用中,请稍后再试';
// The mini program shows this and sends the shopper back to scan again,
// which is what a phone with a stale login must do.
const TOKEN_REFUSED_MESSAGE = '登录已过期,请重新扫码';
const missingParameterMessage = (names: readonly string[]) =>
  `缺少参数: ${names.join(', ')}`;

/**
 * Starts a purchase for the route: the emulator's cabinet fleet, or the
 * scenario runner's fleets, told apart by token. Throws `DeviceBusyError` or
 * `ScenarioError` when it cannot.
 */
export type SessionOpener = (
  deviceNo: string,
  request: { token: string; appId: string },
) => PurchaseSession;

export interface PurchaseRouteOptions {
  config: EmulatorConfig;
  openSession: SessionOpener;
  /** This emulator's own origin, for clients that send no usable Host. */
  origin: () => string;
  /**
   * Whether a token may start a purchase; undefined: any may. A refused
   * token gets the shopper a failure frame and close 1008.
   */
  acceptToken?: (token: string) => boolean;
  /** Hears of every frame sent on a shopper's socket, with its session. */
  onFrameSent?: (session: PurchaseSession, frame: string) => void;
}

type PurchaseQuery = Partial<Record<string, string | string[]>>;

/**
 * The shopper's socket: `GET /websocket/ssib/purchase?token&deviceNo&appId`.
 * Each connection starts a purchase at the device and relays its events as
 * frames until `final` or a failure.
 */
export function registerPurchaseRoute(
  app: FastifyInstance,
  {
    config,
    openSession,
    origin,
    acceptToken,
    onFrameSent,
  }: PurchaseRouteOptions,
): void {
  app.route({
    method: ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: PURCHASE_PATH,
    handler: async (request, reply) =>
      sendErrorAnswer(
        reply.header('allow', 'GET'),
        405,
        `${request.method} is not allowed on ${PURCHASE_PATH}; open a WebSocket with GET`,
      ),
  });

  app.route<{ Querystring: PurchaseQuery }>({
    method: 'GET',
    url: PURCHASE_PATH,

    handler: async (_request, reply) =>
      sendErrorAnswer(
        reply.header('upgrade', 'websocket'),
        426,
        `${PURCHASE_PATH} is a WebSocket endpoint; connect with ws:// and token, deviceNo and appId in the query`,
      ),

    wsHandler: (socket, request) => {
      const query = request.query as PurchaseQuery;
      // A repeated parameter counts by its first value; spaces around a value
      // are not part of it, so " B1 " is device B1.
      const params = Object.fromEntries(
        REQUIRED_PARAMETERS.map((name) => [
          name,
          firstValue(query[name]).trim(),
        ]),
      ) as Record<(typeof REQUIRED_PARAMETERS)[number], string>;
      const missing = REQUIRED_PARAMETERS.filter((name) => params[name] === '');
      const clientOrigin = originFor(request, origin());
      const style: FrameStyle = {
        successAsString: config.successAsString,
        imageAddress: imageAddressFor(clientOrigin, config.imageUrls),
        pageAddress: (path) => clientOrigin + path,
      };
      let log = request.log.child({ deviceNo: params.deviceNo });
      const path = request.url.split('?')[0];

      if (path !== PURCHASE_PATH) {
        log.warn(
          { path },
          `purchase path is not written as ${PURCHASE_PATH}; accepted here, the real cloud may refuse it`,
        );
      }

      keepAlive(socket, config.heartbeatMs, () => {
        log.info(
          { missedPongs: MISSED_PONGS_ALLOWED },
          'shopper stopped answering pings; connection cut',
        );
      });

      socket.on('message', (data, isBinary) => {
        log.debug(
          { bytes: byteLength(data), isBinary },
          'ignored a message from the client; the protocol has none',
        );
      });

      if (missing.length > 0) {
        log.warn({ missing }, 'purchase refused: missing parameters');
        refuse(
          socket,
          failureFrame(missingParameterMessage(missing), style),
          CloseCode.badRequest,
          `missing query parameter: ${missing.join(', ')}`,
        );
        return;
      }

      // The same rule as the screen, the dashboard and the control API, so
      // that no purchase runs at a cabinet none of them can show.
      const deviceProblem = deviceNoProblem(params.deviceNo);

      if (deviceProblem) {
        log.warn(`purchase refused: ${deviceProblem.reason}`);
        refuse(
          socket,
          failureFrame(deviceProblem.message, style),
          CloseCode.badRequest,
          deviceProblem.reason,
        );
        return;
      }

      if (acceptToken && !acceptToken(params.token)) {
        log.warn('purchase refused: token not minted or expired');
        refuse(
          socket,
          failureFrame(TOKEN_REFUSED_MESSAGE, style),
          CloseCode.badRequest,
          'token not minted by this emulator, expired or revoked',
        );
        return;
      }

      let session: PurchaseSession;

      try {
        session = openSession(params.deviceNo, params);
      } catch (err) {
        if (err instanceof DeviceBusyError) {
          log.warn('purchase refused: device busy');
          refuse(
            socket,
            failureFrame(DEVICE_BUSY_MESSAGE, style),
            CloseCode.deviceBusy,
            'device busy',
          );
          return;
        }
        if (err instanceof ScenarioError) {
          // The shopper sees the cloud's reasonless failure; the developer
          // finds the reason in the log and the close reason.
          log.warn({ err }, 'scenario does not fit the cabinet');
          refuse(
            socket,
            failureFrame(FailureMessage.unspecified, style),
            CloseCode.emulatorFault,
            // A close reason is one line; the message may list problems.
            err.message.replace(/\s*\n\s*/g, '; '),
          );
          return;
        }

        // Anything else is the emulator's own fault, or a user model's that
        // failed as it was built; the shopper gets the reasonless failure.
        log.error({ err }, 'purchase could not start');
        refuse(
          socket,
          failureFrame(FailureMessage.unspecified, style),
          CloseCode.emulatorFault,
          'emulator fault; see its log',
        );
        return;
      }

      log = log.child({ sessionId: session.id });
      relaySession(socket, session, style, log, onFrameSent);
      session.start();
    },
  });
}

function relaySession(
  socket: WebSocket,
  session: PurchaseSession,
  style: FrameStyle,
  log: FastifyBaseLogger,
  onFrameSent: PurchaseRouteOptions['onFrameSent'],
): void {
  log.info(
    {
      scenario: session.scenario.name,
      tradeNo: session.tradeNo,
      cabinet: session.cabinet.name,
    },
    'purchase started',
  );

  const outbox = new ShopperOutbox(socket, session.clock, log, {
    onSent: onFrameSent && ((frame) => onFrameSent(session, frame)),
  });

  session.subscribe((event) => {
    switch (event.kind) {
      case 'anomaly':
        // In session time, as the control API and the runner show it.
        log.info(
          {
            anomaly: {
              ...event.anomaly,
              atMs: Math.round(session.elapsedMs),
            },
          },
          'weight change not charged',
        );
        return;
      case 'alarm':
        log.warn({ openForMs: event.openForMs }, 'door left open: alarm');
        return;
      case 'fault':
        log.error(
          { err: event.error, aisleId: event.aisleId },
          event.aisleId === undefined
            ? 'a cabinet model failed; purchase ended'
            : `the load cell model of aisle ${event.aisleId} failed; purchase ended`,
        );
        return;
      case 'connection-fault':
        outbox.breakConnection(event.fault);
        return;
      case 'another-shopper':
        // The runner opens that connection itself; a served session has no
        // second phone to conjure.
        return;
      case 'door-changed':
        return;
      case 'step-skipped':
        log.warn(
          { stepIndex: event.stepIndex, problem: event.problem },
          'scenario step skipped after control actions',
        );
        return;
      default:
        outbox.send(encodeEvent(event, style), isFinal(event));
    }
  });

  socket.on('close', (code, reason) => {
    outbox.dispose();
    if (!session.isOver) {
      log.info(
        { code, reason: reason.toString() },
        'shopper disconnected mid-purchase; the cabinet carries on',
      );
    }
  });

  void session.ended.then((end) => {
    log.info({ end }, 'purchase ended');
  });
}

function refuse(
  socket: WebSocket,
  frame: string,
  code: number,
  reason: string,
): void {
  socket.send(frame);
  socket.close(code, closeReason(reason));
}

function firstValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function byteLength(data: Buffer | ArrayBuffer | Buffer[]): number {
  return Array.isArray(data)
    ? data.reduce((sum, chunk) => sum + chunk.length, 0)
    : data.byteLength;
}
