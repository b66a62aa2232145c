import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { converse, startQuietEmulator } from './conversation.js';
import { capturingLogger } from './log-capture.js';
import { rawExchange, upgradeRequest, type RawReply } from './raw-socket.js';

const DOOR = '{"msg":"","success":true,"type":"door"}';
const PATH = '/websocket/ssib/purchase';

describe('handshakes that are almost right', () => {
  let emulator: RunningEmulator;
  const { logger, lines } = capturingLogger();
  const startedAt = () =>
    lines
      .filter((line) => line.msg === 'purchase started')
      .map((line) => line.deviceNo);
  let device = 0;
  // Every accepted handshake starts a purchase, so each takes its own device.
  const query = () => `?token=T&deviceNo=HS-${++device}&appId=A`;

  beforeAll(async () => {
    emulator = await startQuietEmulator({ scenario: 'empty', logger });
  });
  afterAll(() => emulator.close());

  async function exchange(request: string): Promise<RawReply> {
    const reply = await rawExchange(emulator.port, request);

    reply.socket.destroy();
    return reply;
  }

  async function bodyOf(request: string) {
    const reply = await exchange(request);

    return { status: reply.status, body: JSON.parse(reply.body) as unknown };
  }

  describe('accepted: a purchase starts with the door frame', () => {
    it.each([
      ['a trailing slash', `${PATH}/`],
      ['doubled slashes', `//websocket//ssib/purchase`],
      ['a percent-encoded letter in the path', '/websocket/ssib/%70urchase'],
      ['the absolute form of the target', `http://cabinet.test${PATH}`],
    ])('with %s', async (_, target) => {
      const reply = await exchange(upgradeRequest(target + query()));

      expect(reply.status).toBe(101);
      expect(reply.frames.map((frame) => frame.payload.toString())).toEqual([
        DOOR,
      ]);
    });

    it('with header names and values in any case, in any order', async () => {
      const key = 'dGhlIHNhbXBsZSBub25jZQ==';
      const request =
        `GET ${PATH}${query()} HTTP/1.1\r\n` +
        `sec-websocket-version: 13\r\nSEC-WEBSOCKET-KEY: ${key}\r\n` +
        `connection: keep-alive, UPGRADE\r\nuPgRaDe: WebSocket\r\n` +
        `hOsT: cabinet.test\r\n\r\n`;
      const reply = await exchange(request);

      expect(reply.status).toBe(101);
      // RFC 6455's own example key and its accept value.
      expect(reply.headers['sec-websocket-accept']).toBe(
        's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
      );
      expect(reply.frames[0]?.payload.toString()).toBe(DOOR);
    });

    it('with extra, reordered and repeated query parameters', async () => {
      const reply = await exchange(
        upgradeRequest(
          `${PATH}?appId=A&x=1&deviceNo=HS-extra&utm=%F0%9F%98%80&token=T&token=U`,
        ),
      );

      expect(reply.frames[0]?.payload.toString()).toBe(DOOR);
    });

    it('with percent-encoded names and values, decoded before use', async () => {
      const reply = await exchange(
        upgradeRequest(`${PATH}?token=T&device%4Eo=%E6%9F%9C-1&appId=A+B`),
      );

      expect(reply.frames[0]?.payload.toString()).toBe(DOOR);
      expect(startedAt()).toContain('柜-1');
    });

    it('with a value that is not valid percent-encoding, taken as written', async () => {
      const reply = await exchange(
        upgradeRequest(`${PATH}?token=T&deviceNo=%E6%9F&appId=%zz`),
      );

      expect(reply.frames[0]?.payload.toString()).toBe(DOOR);
      expect(startedAt()).toContain('%E6%9F');
    });

    it('and logs a path not written exactly, since the real cloud may refuse it', async () => {
      await exchange(
        upgradeRequest(`${PATH}/?token=T&deviceNo=HS-log&appId=A`),
      );

      expect(lines).toContainEqual(
        expect.objectContaining({
          deviceNo: 'HS-log',
          path: `${PATH}/`,
          msg: `purchase path is not written as ${PATH}; accepted here, the real cloud may refuse it`,
        }),
      );
    });
  });

  describe('refused with an HTTP status, and nothing started', () => {
    it('answers a path in the wrong case with 404', async () => {
      expect(
        await bodyOf(upgradeRequest(`/Websocket/ssib/purchase${query()}`)),
      ).toEqual({
        status: 404,
        body: {
          statusCode: 404,
          error: 'Not Found',
          message: 'no route for GET /Websocket/ssib/purchase',
        },
      });
    });

    it("answers a handshake to one of the emulator's pages with 404, not an upgrade", async () => {
      expect(
        await bodyOf(upgradeRequest(`/${query()}`, { Host: '127.0.0.1' })),
      ).toEqual({
        status: 404,
        body: {
          statusCode: 404,
          error: 'Not Found',
          message:
            'no WebSocket at /; the purchase socket is /websocket/ssib/purchase',
        },
      });
    });

    it.each([
      [
        'a missing key',
        { 'Sec-WebSocket-Key': '' },
        'Missing or invalid Sec-WebSocket-Key header',
      ],
      [
        'a key that is not 16 bytes in base64',
        { 'Sec-WebSocket-Key': 'c2hvcnQ=' },
        'Missing or invalid Sec-WebSocket-Key header',
      ],
      [
        'an unsupported version',
        { 'Sec-WebSocket-Version': '12' },
        'Missing or invalid Sec-WebSocket-Version header',
      ],
      [
        'a missing version',
        { 'Sec-WebSocket-Version': '' },
        'Missing or invalid Sec-WebSocket-Version header',
      ],
      [
        'an Upgrade to another protocol',
        { Upgrade: 'h2c' },
        'Invalid Upgrade header',
      ],
      [
        'a malformed subprotocol list',
        { 'Sec-WebSocket-Protocol': 'wechat,,x' },
        'Invalid Sec-WebSocket-Protocol header',
      ],
    ])('answers %s with 400', async (_, headers, message) => {
      const reply = await exchange(upgradeRequest(PATH + query(), headers));

      expect([reply.status, reply.body]).toEqual([400, message]);
    });

    it('names the versions it speaks when the version is wrong', async () => {
      const reply = await exchange(
        upgradeRequest(PATH + query(), { 'Sec-WebSocket-Version': '7' }),
      );

      expect(reply.headers['sec-websocket-version']).toBe('13, 8');
    });

    it('answers a handshake without Host with 400', async () => {
      expect(
        await bodyOf(upgradeRequest(PATH + query(), { Host: '' })),
      ).toEqual({
        status: 400,
        body: {
          statusCode: 400,
          error: 'Bad Request',
          message: 'a WebSocket handshake needs a Host header',
        },
      });
    });

    it('answers an HTTP/1.0 handshake with 400', async () => {
      const request = upgradeRequest(PATH + query()).replace(
        'HTTP/1.1',
        'HTTP/1.0',
      );

      expect(await bodyOf(request)).toEqual({
        status: 400,
        body: {
          statusCode: 400,
          error: 'Bad Request',
          message: 'a WebSocket handshake needs HTTP/1.1, not HTTP/1.0',
        },
      });
    });

    it('answers a POST handshake with 405 and Allow: GET', async () => {
      const reply = await exchange(
        upgradeRequest(PATH + query()).replace(/^GET/, 'POST'),
      );

      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('GET');
      expect(JSON.parse(reply.body)).toEqual({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: 'a WebSocket is opened with GET, not POST',
      });
    });

    it('answers a request without Connection: Upgrade with 426', async () => {
      const reply = await exchange(
        upgradeRequest(PATH + query(), { Connection: 'close' }),
      );

      expect(reply.status).toBe(426);
      expect(reply.headers.upgrade).toBe('websocket');
    });

    it.each([
      ['bytes that are not HTTP', 'HELLO\r\n\r\n', 400],
      [
        'a TLS hello on the plain port',
        '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03',
        400,
      ],
      [
        'a header with a control character',
        upgradeRequest(PATH, { 'X-A': 'a\x01b' }),
        400,
      ],
      [
        'headers over 16 KiB',
        upgradeRequest(`${PATH}?x=${'a'.repeat(20_000)}`),
        431,
      ],
    ])('answers %s with %i', async (_, request, status) => {
      expect((await exchange(request)).status).toBe(status);
    });
  });

  it('still serves a whole purchase after all of them', async () => {
    const { frames, closeCode } = await converse(
      emulator.purchaseUrl({ deviceNo: 'HS-after' }),
    );

    expect(frames).toEqual([DOOR, '{"data":{"list":[]},"type":"final"}']);
    expect(closeCode).toBe(1000);
  });
});
