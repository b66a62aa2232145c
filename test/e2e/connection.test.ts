import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BUNDLED_FIXTURES_DIR } from '../../src/config.js';
import type { Logger } from 'pino';
import {
  startEmulator,
  type RunningEmulator,
  type StartEmulatorOptions,
} from '../../src/index.js';
import {
  connectUntilFirstFrame,
  converse,
  startQuietEmulator,
} from './conversation.js';

const DOOR = '{"msg":"","success":true,"type":"door"}';
const PURCHASE_PATH = '/websocket/ssib/purchase';

function httpGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; body: string }>(
    (resolve, reject) => {
      request(url, { headers }, (response) => {
        const chunks: Buffer[] = [];

        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            type: String(response.headers['content-type']),
            body: Buffer.concat(chunks).toString(),
          }),
        );
      })
        .on('error', reject)
        .end();
    },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the purchase endpoint', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startQuietEmulator({ scenario: 'seed-yoghurt' });
  });
  afterAll(() => emulator.close());

  const wsBase = () => emulator.url.replace('http', 'ws') + PURCHASE_PATH;

  describe('subprotocols', () => {
    it('answers with the first subprotocol the client offered', async () => {
      const { upgradeHeaders, frames } = await converse(
        emulator.purchaseUrl({ deviceNo: 'proto-1' }),
        { protocols: ['wechat-mini', 'other'] },
      );

      expect(upgradeHeaders['sec-websocket-protocol']).toBe('wechat-mini');
      expect(frames[0]).toBe(DOOR);
    });

    it('sends no subprotocol when none was offered', async () => {
      const { upgradeHeaders } = await converse(
        emulator.purchaseUrl({ deviceNo: 'proto-2' }),
      );

      expect(upgradeHeaders).not.toHaveProperty('sec-websocket-protocol');
    });

    it('does not negotiate compression the client did not offer', async () => {
      const { upgradeHeaders } = await converse(
        emulator.purchaseUrl({ deviceNo: 'proto-3' }),
      );

      expect(upgradeHeaders).not.toHaveProperty('sec-websocket-extensions');
    });
  });

  describe('missing parameters', () => {
    it.each([
      [
        'token',
        '?deviceNo=D&appId=A',
        '缺少参数: token',
        'missing query parameter: token',
      ],
      [
        'an empty deviceNo',
        '?token=T&deviceNo=&appId=A',
        '缺少参数: deviceNo',
        'missing query parameter: deviceNo',
      ],
      [
        'a blank appId',
        '?token=T&deviceNo=D&appId=%20%20',
        '缺少参数: appId',
        'missing query parameter: appId',
      ],
      [
        'all three',
        '',
        '缺少参数: token, deviceNo, appId',
        'missing query parameter: token, deviceNo, appId',
      ],
    ])(
      'refuses %s with a failure frame naming it, then 1008',
      async (_, query, msg, reason) => {
        const result = await converse(wsBase() + query);

        expect(result.frames).toEqual([
          `{"msg":"${msg}","success":false,"type":"failure"}`,
        ]);
        expect(result.closeCode).toBe(1008);
        expect(result.closeReason).toBe(reason);
      },
    );

    it('refuses a deviceNo longer than 64 characters, as the screen and the control API do', async () => {
      const longest = '柜'.repeat(64);
      const accepted = await connectUntilFirstFrame(
        emulator.purchaseUrl({ deviceNo: longest }),
      );
      const refused = await converse(
        emulator.purchaseUrl({ deviceNo: `${longest}1` }),
      );

      expect(accepted.first).toBe(DOOR);
      expect(refused.frames).toEqual([
        '{"msg":"设备编号过长(最多64个字符)","success":false,"type":"failure"}',
      ]);
      expect(refused.closeCode).toBe(1008);
      expect(refused.closeReason).toBe('deviceNo longer than 64 characters');
      await accepted.rest;
    });

    it('takes the first of a repeated parameter, and trims spaces around values', async () => {
      const first = await connectUntilFirstFrame(
        `${wsBase()}?token=T&appId=A&deviceNo=TRIM-1&deviceNo=`,
      );
      const spaced = await converse(
        `${wsBase()}?token=T&appId=A&deviceNo=%20TRIM-1%20`,
      );
      const emptyFirst = await converse(
        `${wsBase()}?token=T&appId=A&deviceNo=&deviceNo=TRIM-2`,
      );

      expect(first.first).toBe(DOOR);
      expect(spaced.closeCode).toBe(4001);
      expect(emptyFirst.closeCode).toBe(1008);
      await first.rest;
    });

    it('starts no session for a refused connection', async () => {
      await converse(`${wsBase()}?token=&deviceNo=lonely&appId=A`);

      const { frames } = await converse(
        emulator.purchaseUrl({ deviceNo: 'lonely' }),
      );

      expect(frames[0]).toBe(DOOR);
    });
  });

  describe('a busy device', () => {
    it('refuses a second shopper and leaves the first purchase untouched', async () => {
      const url = emulator.purchaseUrl({ deviceNo: 'busy-1' });
      const first = await connectUntilFirstFrame(url);
      const second = await converse(url);
      const firstAll = await first.rest;

      expect(second.frames).toEqual([
        '{"msg":"设备正在使用中,请稍后再试","success":false,"type":"failure"}',
      ]);
      expect([second.closeCode, second.closeReason]).toEqual([
        4001,
        'device busy',
      ]);
      expect(firstAll.frames).toHaveLength(3);
      expect(firstAll.frames.at(-1)).toMatch(/^\{"data":\{"amount":15\.80,/);
      expect(firstAll.closeCode).toBe(1000);
    });

    it('is free again once its purchase has ended', async () => {
      const url = emulator.purchaseUrl({ deviceNo: 'busy-2' });

      await converse(url);
      const again = await converse(url);

      expect(again.frames[0]).toBe(DOOR);
      expect(again.frames).toHaveLength(3);
    });

    it('does not make other devices wait', async () => {
      const first = await connectUntilFirstFrame(
        emulator.purchaseUrl({ deviceNo: 'busy-3' }),
      );
      const other = await converse(
        emulator.purchaseUrl({ deviceNo: 'busy-4' }),
      );

      expect(other.frames).toHaveLength(3);
      await first.rest;
    });
  });

  describe('a shopper who drops mid-purchase', () => {
    it('does not stop the cabinet: the device stays busy until the purchase ends, then frees', async () => {
      const url = emulator.purchaseUrl({ deviceNo: 'dropper' });
      const { socket } = await connectUntilFirstFrame(url);

      socket.terminate();
      const whileRunning = await converse(url);

      expect(whileRunning.closeCode).toBe(4001);

      // seed-yoghurt lasts 5.3 s of script time, 265 ms at speed 20.
      await sleep(400);
      const afterwards = await converse(url);

      expect(afterwards.frames[0]).toBe(DOOR);
    });
  });

  describe('messages from the client', () => {
    it('closes with 1009 a message over 64 KiB; the cabinet carries on and frees the device', async () => {
      const url = emulator.purchaseUrl({ deviceNo: 'flooder' });
      const result = await converse(url, {
        onFrame: (socket, _frame, index) => {
          if (index === 0) socket.send('x'.repeat(64 * 1024 + 1));
        },
      });

      expect(result.closeCode).toBe(1009);
      expect(result.frames).toEqual([DOOR]);

      await sleep(400);
      expect((await converse(url)).frames[0]).toBe(DOOR);
    });

    it('ignores them, text or binary, and the purchase goes on', async () => {
      const { frames } = await converse(
        emulator.purchaseUrl({ deviceNo: 'chatty' }),
        {
          onFrame: (socket) => {
            socket.send('{"type":"hello"}');
            socket.send(Buffer.from([0, 1, 2, 255]));
            socket.send('not json at all');
          },
        },
      );

      expect(frames).toHaveLength(3);
      expect(frames[0]).toBe(DOOR);
    });
  });

  describe('pictures', () => {
    it('writes thumbImage with the host the client used', async () => {
      const { frames } = await converse(
        emulator.purchaseUrl({ deviceNo: 'pic-1' }),
        {
          headers: { host: 'cabinet.example:8443' },
        },
      );

      expect(frames[1]).toContain(
        '"thumbImage":"http://cabinet.example:8443/upload/image/19091215161757769747.jpg"',
      );
    });

    it('falls back to its own address when the Host header is not a plain host', async () => {
      const { frames } = await converse(
        emulator.purchaseUrl({ deviceNo: 'pic-2' }),
        {
          headers: { host: 'evil.example/"><script>' },
        },
      );

      expect(frames[1]).toContain(
        `"thumbImage":"${emulator.url}/upload/image/19091215161757769747.jpg"`,
      );
    });

    it('falls back to its own address when the Host port is out of range', async () => {
      const { frames } = await converse(
        emulator.purchaseUrl({ deviceNo: 'pic-3' }),
        {
          headers: { host: '127.0.0.1:99999' },
        },
      );

      expect(frames[1]).toContain(
        `"thumbImage":"${emulator.url}/upload/image/`,
      );
    });

    it('serves the pictures it names', async () => {
      const response = await httpGet(
        `${emulator.url}/upload/image/19091215161757769747.jpg`,
      );

      expect(response.status).toBe(200);
      expect(response.type).toBe('image/jpeg');
    });

    it('serves nothing outside the pictures folder', async () => {
      const encoded = await httpGet(
        `${emulator.url}/upload/image/..%2fcabinets%2fdefault.json`,
      );
      const plain = await httpGet(
        `${emulator.url}/upload/image/../cabinets/default.json`,
      );

      expect(encoded.status).toBe(403);
      expect(encoded.body).not.toContain('aisles');
      expect(plain.status).toBe(404);
      expect(plain.body).not.toContain('aisles');
    });
  });

  describe('plain HTTP', () => {
    it('answers a GET without Upgrade on the purchase path with 426 and JSON', async () => {
      const response = await httpGet(
        `${emulator.url}${PURCHASE_PATH}?token=T&deviceNo=D&appId=A`,
      );

      expect(response.status).toBe(426);
      expect(response.type).toMatch(/^application\/json/);
      expect(JSON.parse(response.body)).toMatchObject({
        statusCode: 426,
        error: 'Upgrade Required',
      });
    });

    it('answers other methods on the purchase path with 405 and JSON', async () => {
      const response = await new Promise<{
        status: number;
        allow: string;
        body: string;
      }>((resolve, reject) => {
        request(
          `${emulator.url}${PURCHASE_PATH}`,
          { method: 'POST' },
          (res) => {
            let body = '';

            res.on('data', (chunk: Buffer) => (body += chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                allow: String(res.headers.allow),
                body,
              }),
            );
          },
        )
          .on('error', reject)
          .end();
      });

      expect(response.status).toBe(405);
      expect(response.allow).toBe('GET');
      expect(JSON.parse(response.body)).toMatchObject({
        error: 'Method Not Allowed',
      });
    });

    it('answers unknown paths with 404 and JSON', async () => {
      const response = await httpGet(
        `${emulator.url}/websocket/ssib/purchases`,
      );

      expect(response.status).toBe(404);
      expect(JSON.parse(response.body)).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'no route for GET /websocket/ssib/purchases',
      });
    });

    it('refuses a WebSocket upgrade on an unknown path with 404', async () => {
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(
          `${emulator.url.replace('http', 'ws')}/websocket/ssib/nope`,
        );

        socket.on('unexpected-response', (_request, response) =>
          resolve(response.statusCode!),
        );
        socket.on('error', () => undefined);
      });

      expect(status).toBe(404);
    });
  });
});

describe('frame options', () => {
  async function framesWith(options: StartEmulatorOptions): Promise<string[]> {
    const emulator = await startQuietEmulator(options);

    try {
      return (await converse(emulator.purchaseUrl())).frames;
    } finally {
      await emulator.close();
    }
  }

  it('writes thumbImage as a path alone with imageUrls "path"', async () => {
    const frames = await framesWith({
      scenario: 'seed-fruit',
      imageUrls: 'path',
    });

    expect(frames[1]).toContain(
      '"thumbImage":"/upload/image/19090214550243135023.jpg"',
    );
  });

  it('writes success as a string with successAsString', async () => {
    const frames = await framesWith({
      scenario: 'empty',
      successAsString: true,
    });

    expect(frames[0]).toBe('{"msg":"","success":"true","type":"door"}');
  });

  it('rounds weighed lines up with rounding "up"', async () => {
    const frames = await framesWith({ scenario: 'happy-path', rounding: 'up' });

    // 356 g at 6.80 元/斤 is 4.8416: 4.85 rounded up, 4.84 half-up.
    expect(frames[1]).toMatch(/^\{"data":\{"amount":4\.85,/);
    expect(frames.at(-1)).toMatch(/^\{"data":\{"amount":7\.85,/);
  });
});

describe('devices whose cabinets cannot play the purchase', () => {
  let fixtures: string;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    fixtures = mkdtempSync(join(tmpdir(), 'cabinet-fixtures-'));
    cpSync(BUNDLED_FIXTURES_DIR, fixtures, { recursive: true });
    writeFileSync(
      join(fixtures, 'cabinets', 'tiny.json'),
      JSON.stringify({
        name: 'tiny',
        deviceNos: ['TINY-1'],
        aisles: [
          {
            aisleId: 9001,
            shelf: 1,
            stock: 3,
            product: {
              id: 9001,
              name: '可口可乐330ml',
              typeName: '碳酸饮料',
              pricing: 'counted',
              price: '3.00',
              costPrice: '1.90',
              unitWeightGrams: 345,
              image: 'cola.jpg',
            },
          },
        ],
      }),
    );
    // A user's model module with two broken load cells: one throws as it is
    // built, the other builds something that is not a load cell.
    writeFileSync(
      join(fixtures, 'models.mjs'),
      `export default { loadCells: { explodes: () => { throw new Error('no cell'); }, answers: () => 42 } };`,
    );

    const defaultAisles = JSON.parse(
      readFileSync(join(fixtures, 'cabinets', 'default.json'), 'utf8'),
    ).aisles;

    for (const [name, deviceNo, loadCell] of [
      ['broken', 'BROKEN-1', 'explodes'],
      ['answer', 'ANSWER-1', 'answers'],
    ]) {
      writeFileSync(
        join(fixtures, 'cabinets', `${name}.json`),
        JSON.stringify({
          name,
          deviceNos: [deviceNo],
          models: { loadCell },
          aisles: defaultAisles,
        }),
      );
    }
    emulator = await startQuietEmulator({
      scenario: 'seed-fruit',
      fixturesDir: fixtures,
      modelModules: [join(fixtures, 'models.mjs')],
    });
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(fixtures, { recursive: true, force: true });
  });

  it("gets the cloud's reasonless failure, and the reason in the close frame", async () => {
    const { frames, closeCode, closeReason } = await converse(
      emulator.purchaseUrl({ deviceNo: 'TINY-1' }),
    );

    expect(frames).toEqual(['{"msg":"","success":false,"type":"failure"}']);
    expect(closeCode).toBe(1011);
    expect(closeReason).toBe(
      'scenario "seed-fruit": step 3: cabinet "tiny" has no aisle 5595',
    );
  });

  it('puts every problem on one line of the close reason', async () => {
    const several = await startQuietEmulator({
      scenario: 'happy-path',
      fixturesDir: fixtures,
      modelModules: [join(fixtures, 'models.mjs')],
    });
    const { closeCode, closeReason } = await converse(
      several.purchaseUrl({ deviceNo: 'TINY-1' }),
    );

    await several.close();
    expect(closeCode).toBe(1011);
    expect(closeReason).not.toMatch(/\n/);
    expect(closeReason).toMatch(
      /^scenario "happy-path": step 3: cabinet "tiny" has no aisle 5597; scenario "happy-path": step 5: /,
    );
  });

  it.each(['BROKEN-1', 'ANSWER-1'])(
    'gets the reasonless failure and 1011 when a model fails as it is built (%s)',
    async (deviceNo) => {
      const { frames, closeCode, closeReason } = await converse(
        emulator.purchaseUrl({ deviceNo }),
      );

      expect(frames).toEqual(['{"msg":"","success":false,"type":"failure"}']);
      expect([closeCode, closeReason]).toEqual([
        1011,
        'emulator fault; see its log',
      ]);
    },
  );

  it('leaves other devices on the default cabinet working', async () => {
    const { frames } = await converse(
      emulator.purchaseUrl({ deviceNo: 'OTHER' }),
    );

    expect(frames).toHaveLength(3);
  });
});

describe('shutting down', () => {
  it('closes running purchases with 1001 and stops listening', async () => {
    const emulator = await startQuietEmulator({
      scenario: 'happy-path',
      speed: 1,
    });
    const { rest } = await connectUntilFirstFrame(emulator.purchaseUrl());

    await emulator.close();
    const { closeCode, frames } = await rest;

    expect(closeCode).toBe(1001);
    expect(frames).toEqual([DOOR]);
    await expect(httpGet(emulator.url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('does not wait for a client that never finished its request', async () => {
    const emulator = await startQuietEmulator();
    const halfOpen = connect(emulator.port, '127.0.0.1');

    await new Promise((resolve) => halfOpen.once('connect', resolve));
    halfOpen.write(`GET ${PURCHASE_PATH}?token=T HTTP/1.1\r\nHost: x\r\n`);

    // The server cuts the connection: a reset is what the client sees.
    halfOpen.on('error', () => undefined);
    const closedByServer = new Promise((resolve) =>
      halfOpen.once('close', resolve),
    );

    await emulator.close();
    await closedByServer;
  });

  it('refuses a logger that is not a pino logger', async () => {
    await expect(
      startEmulator({ logger: {} as unknown as Logger }),
    ).rejects.toMatchObject({
      code: 'EMU_ERR_CONFIG_INVALID',
      message: 'logger: expected a pino logger',
    });
  });

  it('refuses to start with a scenario that does not exist', async () => {
    await expect(
      startQuietEmulator({ scenario: 'nope' }),
    ).rejects.toMatchObject({
      code: 'EMU_ERR_SCENARIO_UNKNOWN',
    });
  });
});
