import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { quoteInput } from '../errors.js';
import { sendErrorAnswer } from './error-answer.js';

/**
 * What the admin token guards: the control API, the dashboard page and its
 * assets. The purchase socket, product pictures and payment pages stay open,
 * as a real cabinet's are.
 */
export const ADMIN_PATH_PREFIXES = ['/emulator', '/dashboard'] as const;

/** The cookie that lets a browser's page make its own requests. */
export const ADMIN_COOKIE = 'cabinet_emu_admin';

/** The query parameter a browser's first visit carries the token in. */
export const ADMIN_TOKEN_PARAMETER = 'adminToken';

/** What a token may be made of: safe in a header, a query and a cookie. */
export const ADMIN_TOKEN_PATTERN = /^[A-Za-z0-9._~-]{12,}$/;

const UNAUTHORIZED_MESSAGE = `this address needs the emulator's admin token, printed at start-up: send the header "Authorization: Bearer TOKEN", or open the page once with ?${ADMIN_TOKEN_PARAMETER}=TOKEN (a cookie then lets the page in)`;

/**
 * Whether `host`, an address to listen on, only takes connections from this
 * machine: 127.0.0.0/8, ::1 or localhost.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) {
    return bare === '::1' || /^::ffff:127\./.test(bare);
  }

  return false;
}

/** Whether a request path is one the admin token guards. */
export function isAdminPath(path: string): boolean {
  return (
    path === '/' ||
    ADMIN_PATH_PREFIXES.some(
      (prefix) => path === prefix || path.startsWith(`${prefix}/`),
    )
  );
}

export interface AdminAccessOptions {
  token: string;
  /** Marks the cookie `Secure`: only when the emulator speaks TLS. */
  secureCookie: boolean;
}

/**
 * Requires the admin token on every request to an admin path, whoever
 * registers the route and whenever. Accepted from an `Authorization: Bearer`
 * header, the `adminToken` query parameter (which also sets an HttpOnly,
 * SameSite=Strict cookie for the page's own requests) or that cookie.
 * Anything else gets 401 with a JSON body that says how to pass it.
 *
 * @example
 * registerAdminAccess(app, { token: config.adminToken, secureCookie: false });
 * // GET /emulator/orders                       -> 401
 * // GET /emulator/orders, Authorization: Bearer TOKEN -> the route's answer
 */
export function registerAdminAccess(
  app: FastifyInstance,
  { token, secureCookie }: AdminAccessOptions,
): void {
  const expected = digest(token);
  const matches = (offered: string | undefined) =>
    offered !== undefined && timingSafeEqual(digest(offered), expected);
  const cookie = [
    `${ADMIN_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    ...(secureCookie ? ['Secure'] : []),
  ].join('; ');

  app.addHook('onRequest', async (request, reply) => {
    if (!isGuarded(request)) return;

    const fromQuery = queryToken(request.url);

    if (matches(fromQuery)) {
      // Keeps the token out of the Referer of whatever the page links to.
      reply
        .header('set-cookie', cookie)
        .header('referrer-policy', 'no-referrer');
      return;
    }
    if (
      matches(bearerToken(request.headers.authorization)) ||
      matches(cookieValue(request.headers.cookie, ADMIN_COOKIE))
    ) {
      return;
    }

    request.log.warn(
      { path: pathOf(request.url) },
      'admin request refused: no valid admin token',
    );
    return refuse(reply);
  });
}

/**
 * Without an admin token (an emulator on loopback), lets admin paths answer
 * only requests addressed to a loopback name: `localhost`, `127.x.x.x` or
 * `[::1]`. A page on another site can make a browser send requests to this
 * machine under the site's own name (DNS rebinding); the Origin check of
 * the control API cannot see that, as Origin and Host then agree. Such a
 * request names another host and gets 403.
 */
export function registerLoopbackHostCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!isGuarded(request)) return;

    const host = request.headers.host ?? '';

    if (isLoopbackHost(hostName(host))) return;

    request.log.warn(
      { host, path: pathOf(request.url) },
      'admin request refused: not addressed to a loopback name',
    );
    return sendErrorAnswer(
      reply.header('cache-control', 'no-store'),
      403,
      `the control API and dashboard answer only requests addressed to localhost, 127.0.0.1 or [::1] unless an admin token is set (--admin-token); this one was addressed to ${quoteInput(host)}`,
    );
  });
}

// The host name of a Host header, without its port.
function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);

  return host.split(':')[0]!;
}

// The path as the client wrote it and the route it reached: a percent-encoded
// path (/%65mulator/...) may reach a route that the raw text does not name.
function isGuarded(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  let decoded: string;

  try {
    decoded = decodeURIComponent(pathOf(request.url));
  } catch {
    decoded = pathOf(request.url);
  }

  return (
    isAdminPath(pathOf(request.url)) ||
    isAdminPath(decoded) ||
    (route !== undefined && isAdminPath(route))
  );
}

function refuse(reply: FastifyReply) {
  return sendErrorAnswer(
    reply
      .header('www-authenticate', 'Bearer realm="cabinet-emulator"')
      .header('cache-control', 'no-store'),
    401,
    UNAUTHORIZED_MESSAGE,
  );
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function pathOf(url: string): string {
  const query = url.indexOf('?');

  return query === -1 ? url : url.slice(0, query);
}

function queryToken(url: string): string | undefined {
  const query = url.indexOf('?');

  if (query === -1) return undefined;

  return (
    new URLSearchParams(url.slice(query + 1)).get(ADMIN_TOKEN_PARAMETER) ??
    undefined
  );
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');

  return match?.[1];
}

function cookieValue(
  header: string | undefined,
  name: string,
): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');

    if (separator === -1) continue;
    if (pair.slice(0, separator).trim() === name) {
      return pair.slice(separator + 1).trim();
    }
  }

  return undefined;
}
