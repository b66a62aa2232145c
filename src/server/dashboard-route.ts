import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { EmulatorConfig } from '../config.js';
import { bundledScenarios } from '../scenario/scenario-catalogue.js';
import { deviceNoProblem } from '../protocol/device-number.js';
import { sendErrorAnswer } from './error-answer.js';
import { originFor } from './image-address.js';
import { lanAddresses } from './lan-addresses.js';
import { PURCHASE_PATH } from './purchase-route.js';

/** The dashboard's page, scripts and styles, served as they are. */
export const DASHBOARD_DIR = fileURLToPath(
  new URL('../../dashboard', import.meta.url),
);

const DASHBOARD_PATH = '/dashboard';

// The scenario that lets a person act out a purchase from the page: listed
// first, as the page's default.
const MANUAL_SCENARIO = 'manual';

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

export interface DashboardRouteOptions {
  config: EmulatorConfig;
  /** This emulator's own origin, for clients that send no usable Host. */
  origin: () => string;
}

type DeviceQuery = { deviceNo?: string | string[] };

/**
 * The dashboard at `/`: a page that shows one cabinet and steers it through
 * the control API, plus what the page needs of the server alone: the
 * scenarios to choose from and a QR code of a cabinet's purchase address.
 */
export async function registerDashboardRoute(
  app: FastifyInstance,
  { config, origin }: DashboardRouteOptions,
): Promise<void> {
  // The page's files live under /dashboard/, one of the paths the admin
  // token guards, so that off loopback nothing of the page is served to
  // whoever asks; the page itself is also at /.
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: DASHBOARD_DIR,
      prefix: `${DASHBOARD_PATH}/`,
      // A route per file, read once: every other path stays the emulator's
      // JSON 404 instead of a static file lookup.
      wildcard: false,
      index: false,
      list: false,
      dotfiles: 'deny',
      // No build step stamps the files, so a browser must ask every time.
      cacheControl: false,
      etag: true,
    });
    scope.get('/', (_request, reply) => reply.sendFile('index.html'));
    // The folder of the page's files is not a page; the page is at /.
    scope.get(DASHBOARD_PATH, (request, reply) => {
      const query = request.url.indexOf('?');

      return reply.redirect(
        query === -1 ? '/' : `/${request.url.slice(query)}`,
        302,
      );
    });
  });

  let scenarios: Array<{ name: string; description: string }> | undefined;

  app.get('/dashboard/scenarios', async () => {
    scenarios ??= bundledScenarios()
      .map(({ name, description }) => ({ name, description }))
      .sort(
        (a, b) =>
          Number(b.name === MANUAL_SCENARIO) -
          Number(a.name === MANUAL_SCENARIO),
      );

    return { scenarios };
  });

  app.get<{ Querystring: DeviceQuery }>(
    '/dashboard/purchase-url',
    async (request, reply) => {
      const deviceNo = firstValue(request.query.deviceNo);
      const problem = deviceNoProblem(deviceNo);

      if (problem) return badDeviceNo(reply, problem.reason);

      return purchaseAddress(request, deviceNo);
    },
  );

  app.get<{ Querystring: DeviceQuery }>(
    '/dashboard/qr.svg',
    async (request, reply) => {
      const deviceNo = firstValue(request.query.deviceNo);
      const problem = deviceNoProblem(deviceNo);

      if (problem) return badDeviceNo(reply, problem.reason);

      const { url } = purchaseAddress(request, deviceNo);
      const svg = await QRCode.toString(url, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });

      return reply.type('image/svg+xml; charset=utf-8').send(svg);
    },
  );

  // The address a phone on the same network can use. The browser's own Host
  // is reachable from where the browser stands; a loopback Host is not from
  // a phone, so an emulator listening on every interface offers its LAN
  // address instead.
  function purchaseAddress(
    request: FastifyRequest,
    deviceNo: string,
  ): { url: string; reachableFromLan: boolean } {
    const seen = originFor(request, origin());
    const host = new URL(seen).host;
    const wildcard = config.host === '0.0.0.0' || config.host === '::';
    const lan = wildcard ? lanAddresses()[0] : undefined;
    const port = new URL(origin()).port;
    let base = seen;

    if (LOOPBACK_HOST.test(host) && lan) base = `http://${lan}:${port}`;

    const query = new URLSearchParams({
      token: 'demo-token',
      deviceNo,
      appId: 'demo-app',
    });

    return {
      url: `${base.replace(/^http/, 'ws')}${PURCHASE_PATH}?${query}`,
      reachableFromLan: !LOOPBACK_HOST.test(new URL(base).host),
    };
  }
}

function badDeviceNo(reply: FastifyReply, reason: string) {
  return sendErrorAnswer(reply, 400, reason);
}

function firstValue(value: string | string[] | undefined): string {
  return ((Array.isArray(value) ? value[0] : value) ?? '').trim();
}
