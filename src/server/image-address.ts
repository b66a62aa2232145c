import type { FastifyRequest } from 'fastify';
import type { ImageUrlStyle } from '../config.js';

export const IMAGE_PATH_PREFIX = '/upload/image/';

// A Host header is the client's own word; anything but a plain host name or
// address with an optional port is not written into frames.
const PLAIN_HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * Makes the function that writes `thumbImage` for one connection: the
 * picture's path on this emulator, absolute as the client addressed it
 * (`http://HOST/upload/image/NAME`, like the vendor's example) or the path
 * alone.
 */
export function imageAddressFor(
  request: FastifyRequest,
  style: ImageUrlStyle,
  fallbackOrigin: string,
): (imageName: string) => string {
  if (style === 'path') return (name) => IMAGE_PATH_PREFIX + name;

  const host = request.headers.host;
  const plain = host?.match(PLAIN_HOST);
  const port = plain?.[2]?.slice(1);
  const usable = plain && (port === undefined || Number(port) <= 65535);
  const origin = usable ? `${request.protocol}://${host}` : fallbackOrigin;

  return (name) => origin + IMAGE_PATH_PREFIX + name;
}
