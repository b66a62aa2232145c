import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { isSendableCloseCode } from '../../src/server/close-codes.js';
import { converse, startQuietEmulator } from './conversation.js';
import {
  serveFakeSessions,
  type FakeSessionsServer,
} from './fake-sessions-server.js';
import {
  clientFrame,
  closeCodeOf,
  OPCODE,
  parseFrames,
  rawExchange,
  upgradeRequest,
  type RawFrame,
  type RawReply,
} from './raw-socket.js';

// A few hundred runs in every `npm test`; FUZZ_RUNS=3000 looks harder. The
// same cases every time unless FUZZ_SEED asks for others, so that CI does
// not pass and fail by chance; a failure prints the seed that found it.
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const TIMEOUT = 60_000 + RUNS * 100;

const PATH = '/websocket/ssib/purchase';
const DOOR = '{"msg":"","success":true,"type":"door"}';
const BUSY =
  '{"msg":"设备正在使用中,请稍后再试","success":false,"type":"failure"}';
const MISSING =
  /^\{"msg":"缺少参数: ((token|deviceNo|appId)(, )?)+","success":false,"type":"failure"\}$/;

// What a handshake may be answered with: a session, or a status the README
// names for it.
// 200: a path that is a page of the emulator's own, such as the dashboard.
// 403: a page of the dashboard asked for under a name that is not loopback.
const HANDSHAKE_STATUSES = [101, 200, 400, 403, 404, 405, 426, 431, 503];

/** The first frame of a session: the door, or a refusal the protocol has. */
function expectProtocolOpening(reply: RawReply): void {
  const first = reply.frames[0];

  expect(first?.opcode).toBe(OPCODE.text);

  const text = first!.payload.toString();

  if (text !== DOOR && text !== BUSY) expect(text).toMatch(MISSING);
  for (const frame of reply.frames) {
    if (frame.opcode === OPCODE.close) expectSendable(frame);
  }
}

/** A close frame's code is one the server may send, or it has none. */
function expectSendable(close: RawFrame): void {
  const code = closeCodeOf(close);

  if (code !== 1005)
    expect([code, isSendableCloseCode(code)]).toEqual([code, true]);
}

// Characters a query may hold, some of them percent-encoded, some not.
const queryText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary-ascii', maxLength: 12 }),
  fc.stringMatching(/^(%[0-9A-Fa-f]{0,2}|[+=&;a-zA-Z0-9])*$/),
);
const queryName = fc.oneof(
  fc.constantFrom('token', 'deviceNo', 'appId', 'device%4Eo', 'DeviceNo', ''),
  queryText,
);

describe('fuzzing the purchase endpoint', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    // Purchases end in a few milliseconds, so devices seldom stay busy.
    emulator = await startQuietEmulator({
      scenario: 'empty',
      speed: 1000,
      maxConnectionsPerIp: 10_000,
    });
  });

  afterAll(async () => {
    // Still up, and still a cabinet cloud.
    const { frames, closeCode } = await converse(
      emulator.purchaseUrl({ deviceNo: 'after-fuzz' }),
    );

    expect(frames).toEqual([DOOR, '{"data":{"list":[]},"type":"final"}']);
    expect(closeCode).toBe(1000);
    await emulator.close();
  });

  it(
    'answers any query string with a status or a session that opens properly',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(queryName, queryText), { maxLength: 6 }),
          async (pairs) => {
            const query = pairs.map(([name, value]) => `${name}=${value}`);
            const reply = await rawExchange(
              emulator.port,
              upgradeRequest(`${PATH}?${query.join('&')}`),
            );

            reply.socket.destroy();
            expect(HANDSHAKE_STATUSES).toContain(reply.status);
            if (reply.status === 101) expectProtocolOpening(reply);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );

  it(
    'answers any set of handshake headers with a status or a session that opens properly',
    async () => {
      const header = (name: string, valid: string) =>
        fc
          .option(
            fc.oneof(
              fc.constant(valid),
              fc.constant(valid.toUpperCase()),
              fc.string({ unit: 'binary-ascii', maxLength: 30 }),
            ),
            { nil: '' },
          )
          .map((value) => [name, value] as const);
      const nameCase = fc.constantFrom(
        (name: string) => name,
        (name: string) => name.toLowerCase(),
        (name: string) => name.toUpperCase(),
      );

      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'OPTIONS'),
          fc.constantFrom(
            PATH,
            `${PATH}/`,
            '//websocket//ssib/purchase',
            '/Websocket/ssib/purchase',
            '/websocket/ssib',
            '/',
          ),
          fc.constantFrom('1.1', '1.1', '1.0'),
          fc.tuple(
            header('Host', 'cabinet.test'),
            header('Upgrade', 'websocket'),
            header('Connection', 'Upgrade'),
            header('Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='),
            header('Sec-WebSocket-Version', '13'),
            header('Sec-WebSocket-Protocol', 'wechat, other'),
            header('Sec-WebSocket-Extensions', 'permessage-deflate'),
          ),
          fc.array(
            fc.tuple(
              fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/),
              fc.string({ unit: 'binary-ascii', maxLength: 40 }),
            ),
            { maxLength: 4 },
          ),
          nameCase,
          fc.nat(),
          async (method, path, version, standard, extra, caseOf, device) => {
            const lines = [...standard, ...extra]
              .filter(([, value]) => value !== '')
              .map(([name, value]) => `${caseOf(name)}: ${value}`);
            const request =
              `${method} ${path}?token=T&deviceNo=FZ-${device}&appId=A HTTP/${version}\r\n` +
              `${lines.join('\r\n')}\r\n\r\n`;
            const reply = await rawExchange(emulator.port, request, {
              head: method === 'HEAD',
            });

            reply.socket.destroy();
            expect(HANDSHAKE_STATUSES).toContain(reply.status);
            if (reply.status === 101) expectProtocolOpening(reply);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );
});

describe('fuzzing what clients send on an open socket', () => {
  let served: FakeSessionsServer;
  let device = 0;

  beforeAll(async () => {
    // Sessions that hold the socket open and cost nothing while they wait.
    served = await serveFakeSessions(
      { maxConnectionsPerIp: 10_000, maxMessageBytes: 4096 },
      { doorOnStart: true },
    );
  });

  afterAll(async () => {
    const reply = await rawExchange(
      served.port,
      upgradeRequest(`${PATH}?token=T&deviceNo=after&appId=A`),
    );

    reply.socket.destroy();
    expect(reply.frames[0]?.payload.toString()).toBe(DOOR);
    await served.app.close();
  });

  // Well-formed frames of any kind, and frames no client should write.
  const frame = fc
    .record({
      opcode: fc.constantFrom(0, 1, 2, 3, 8, 9, 10, 11),
      payload: fc.oneof(
        fc.uint8Array({ maxLength: 200 }),
        fc
          .string({ maxLength: 200 })
          .map((text) => new TextEncoder().encode(text)),
        fc.constant(new Uint8Array(5000)),
      ),
      fin: fc.boolean(),
      rsv: fc.constantFrom(0, 0, 0, 1, 4, 7),
      masked: fc.constantFrom(true, true, true, false),
    })
    .map(({ opcode, payload, ...options }) =>
      clientFrame(opcode, Buffer.from(payload), options),
    );
  const bytes = fc.oneof(
    frame,
    fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((raw) => Buffer.from(raw)),
  );

  it(
    'closes a client that breaks the protocol only with a sendable code, and never falls over',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(bytes, { minLength: 1, maxLength: 5 }),
          async (chunks) => {
            const opened = await rawExchange(
              served.port,
              upgradeRequest(`${PATH}?token=T&deviceNo=FR-${++device}&appId=A`),
            );
            const { socket } = opened;
            let received = Buffer.alloc(0);

            expect(opened.frames[0]?.payload.toString()).toBe(DOOR);
            socket.on('data', (chunk: Buffer) => {
              received = Buffer.concat([received, chunk]);
            });
            socket.write(Buffer.concat(chunks));
            // A ping to learn that the server has read it all; garbage may
            // swallow it, so the wait is bounded.
            socket.write(clientFrame(OPCODE.ping, Buffer.from('fuzz')));
            await new Promise<void>((resolve) => {
              const done = () => resolve();
              const check = setInterval(() => {
                const replies = parseFrames(received);

                if (
                  socket.destroyed ||
                  replies.some(
                    ({ opcode }) =>
                      opcode === OPCODE.close || opcode === OPCODE.pong,
                  )
                ) {
                  clearInterval(check);
                  done();
                }
              }, 5);

              setTimeout(() => {
                clearInterval(check);
                done();
              }, 200);
            });
            socket.destroy();

            for (const reply of parseFrames(received)) {
              if (reply.opcode === OPCODE.close) expectSendable(reply);
            }
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );
});
