import type { FastifyRequest } from 'fastify';
import type { ImageUrlStyle } from '../config.js';

export const IMAGE_PATH_PREFIX = '/upload/image/';

// A Host header is the client's own word; anything but a plain host name or
// address with an optional port is not written into frames.
const PLAIN_HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * This emulator's origin as the client addressed it (`http://HOST`), so that
 * addresses written into frames work from where the client stands; the
 * fallback when the Host header is missing or not a plain host.
 */
export function originFor(
  request: FastifyRequest,
  fallbackOrigin: string,
): string {
  const host = request.headers.host;
  const plain = host?.match(PLAIN_HOST);
  const port = plain?.[2]?.slice(1);
  const usable = plain && (port === undefined || Number(port) <= 65535);

  return usable ? `${request.protocol}://${host}` : fallbackOrigin;
}

/**
 * Makes the function that writes `thumbImage` for one connection: the
 * picture's path on this emulator, absolute (`http://HOST/upload/image/NAME`,
 * like the vendor's example) or the path alone.
 */
export function imageAddressFor(
  origin: string,
  style: ImageUrlStyle,
): (imageName: string) => string {
  if (style === 'path') return (name) => IMAGE_PATH_PREFIX + name;

  return (name) => origin + IMAGE_PATH_PREFIX + name;
}
