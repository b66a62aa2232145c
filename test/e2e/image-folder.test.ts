import {
  cpSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_FIXTURES_DIR } from '../../src/config.js';
import type { RunningEmulator } from '../../src/index.js';
import { startQuietEmulator } from './conversation.js';

/**
 * Sends `target` exactly as written, which `fetch` and `http.request` would
 * not (they resolve `..` and encode what they see fit), and returns the
 * status code and the whole response.
 */
function rawGet(
  port: number,
  target: string,
): Promise<{ status: number; response: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];

    socket.on('connect', () =>
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        'latin1',
      ),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      const response = Buffer.concat(chunks).toString('latin1');

      resolve({ status: Number(response.split(' ')[1]), response });
    });
    socket.on('error', reject);
  });
}

// 403 where @fastify/static or @fastify/send see the trick in the path, 404
// where the file would lie outside the pictures folder (and for names that
// are not there), 400 for a NUL byte and 431 from Node for a request line
// over its header limit. None of them may carry a secret.
const SECRETS = ['SECRET-FIXTURES', 'SECRET-OUTSIDE', 'SECRET-DOTFILE'];

describe('product pictures', () => {
  let folder: string;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    // A fixture folder with something to steal at every level: beside the
    // images, above the fixtures, and a dotfile among the pictures, plus
    // symlinks from the pictures to the outside.
    folder = mkdtempSync(join(tmpdir(), 'emu-images-'));

    const fixtures = join(folder, 'fixtures');
    const images = join(fixtures, 'images');

    cpSync(BUNDLED_FIXTURES_DIR, fixtures, { recursive: true });
    writeFileSync(join(fixtures, 'secret.txt'), 'SECRET-FIXTURES');
    writeFileSync(join(folder, 'outside.txt'), 'SECRET-OUTSIDE');
    writeFileSync(join(images, '.hidden.jpg'), 'SECRET-DOTFILE');
    symlinkSync(join(folder, 'outside.txt'), join(images, 'escape.jpg'));
    symlinkSync(folder, join(images, 'escape-folder'));
    symlinkSync(
      join(images, '19091215161757769747.jpg'),
      join(images, 'alias.jpg'),
    );

    emulator = await startQuietEmulator({ fixturesDir: fixtures });
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves a picture', async () => {
    const { status, response } = await rawGet(
      emulator.port,
      '/upload/image/19091215161757769747.jpg',
    );

    expect(status).toBe(200);
    expect(response).toMatch(/\r\ncontent-type: image\/jpeg\r\n/);
  });

  it('serves a symlink that stays inside the pictures folder', async () => {
    const { status } = await rawGet(emulator.port, '/upload/image/alias.jpg');

    expect(status).toBe(200);
  });

  it.each([
    ['a parent segment', '/upload/image/../secret.txt', 403],
    ['two parent segments', '/upload/image/../../outside.txt', 403],
    ['a parent segment after a name', '/upload/image/x/../../secret.txt', 403],
    ['an encoded parent', '/upload/image/%2e%2e/secret.txt', 403],
    ['an encoded parent and slash', '/upload/image/%2e%2e%2fsecret.txt', 403],
    ['an encoded backslash', '/upload/image/..%5csecret.txt', 403],
    ['a raw backslash', '/upload/image/..\\secret.txt', 403],
    ['a double-encoded parent', '/upload/image/%252e%252e%252fsecret.txt', 404],
    ['an absolute path', '/upload/image//etc/passwd', 403],
    ['an encoded absolute path', '/upload/image/%2fetc%2fpasswd', 404],
    ['a dotfile', '/upload/image/.hidden.jpg', 403],
    ['an encoded dotfile', '/upload/image/%2ehidden.jpg', 403],
    ['a NUL byte', '/upload/image/19091215161757769747.jpg%00.txt', 400],
    ['a symlink to a file outside', '/upload/image/escape.jpg', 404],
    [
      'a symlink to a folder outside',
      '/upload/image/escape-folder/outside.txt',
      404,
    ],
    ['the folder itself', '/upload/image/', 404],
    ['a very long name', `/upload/image/${'a'.repeat(5000)}.jpg`, 404],
    ['an over-long request line', `/upload/image/${'a'.repeat(70_000)}`, 431],
  ])('refuses %s', async (_what, target, expected) => {
    const { status, response } = await rawGet(emulator.port, target);

    expect(status).toBe(expected);
    for (const secret of SECRETS) expect(response).not.toContain(secret);
  });
});
