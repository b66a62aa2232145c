import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningEmulator } from '../../src/index.js';
import { converse, startQuietEmulator } from './conversation.js';

const DEFAULT_ADS =
  '{"data":{"type":"0","linkUrl":"/upload/image/cola.jpg,/upload/image/yili-milk.jpg,/upload/image/cherry-tomatoes.jpg"},"type":"ad"}';

interface Screen {
  frames: string[];
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once the screen has received `count` frames. */
  received(count: number): Promise<void>;
  close(): void;
}

function watchScreen(url: string): Promise<Screen> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const frames: string[] = [];
    const waiting: Array<{ count: number; done: () => void }> = [];
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      socket.once('close', (code, reason) =>
        done({ code, reason: reason.toString() }),
      ),
    );

    socket.on('message', (data) => {
      frames.push(data.toString());
      for (const wait of waiting.filter((w) => frames.length >= w.count)) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.done();
      }
    });
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        frames,
        closed,
        received: (count) =>
          frames.length >= count
            ? Promise.resolve()
            : new Promise((done) => waiting.push({ count, done })),
        close: () => socket.close(),
      }),
    );
  });
}

function httpGet(url: string) {
  return new Promise<{ status: number; type: string; body: string }>(
    (resolve, reject) => {
      request(url, (response) => {
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

describe('the cabinet screen channel', () => {
  let emulator: RunningEmulator;

  const screenUrl = (deviceNo?: string) =>
    `${emulator.url.replace('http', 'ws')}/websocket/ssib/ad` +
    (deviceNo === undefined ? '' : `?deviceNo=${encodeURIComponent(deviceNo)}`);

  beforeAll(async () => {
    emulator = await startQuietEmulator({ scenario: 'seed-yoghurt' });
  });
  afterAll(() => emulator.close());

  it('shows two screens and the shopper of one device the same frames, pictures as paths, between ads', async () => {
    const first = await watchScreen(screenUrl('S-1'));
    const second = await watchScreen(screenUrl('S-1'));

    await Promise.all([first.received(1), second.received(1)]);

    const shopper = await converse(emulator.purchaseUrl({ deviceNo: 'S-1' }));

    await Promise.all([first.received(5), second.received(5)]);

    const asOnScreen = shopper.frames.map((frame) =>
      frame.replaceAll(`${emulator.url}/upload/image/`, '/upload/image/'),
    );

    expect(shopper.frames.map((frame) => JSON.parse(frame).type)).toEqual([
      'door',
      'update',
      'final',
    ]);
    expect(shopper.frames[2]).toContain(
      `"thumbImage":"${emulator.url}/upload/image/19091215161757769747.jpg"`,
    );
    expect(first.frames).toEqual([DEFAULT_ADS, ...asOnScreen, DEFAULT_ADS]);
    expect(second.frames).toEqual(first.frames);
    first.close();
    second.close();
  });

  it('shows a screen nothing of a purchase at another device', async () => {
    const screen = await watchScreen(screenUrl('S-other'));

    await screen.received(1);
    await converse(emulator.purchaseUrl({ deviceNo: 'S-2' }));

    expect(screen.frames).toEqual([DEFAULT_ADS]);
    screen.close();
  });

  it('does not count a screen as a shopper: the purchase at its device starts', async () => {
    const screen = await watchScreen(screenUrl('S-3'));
    const shopper = await converse(emulator.purchaseUrl({ deviceNo: 'S-3' }));

    expect(shopper.closeCode).toBe(1000);
    expect(JSON.parse(shopper.frames[0]!).type).toBe('door');
    screen.close();
  });

  it("shows the ads of the device's own cabinet", async () => {
    const screen = await watchScreen(screenUrl('promo-cabinet'));

    await screen.received(1);

    expect(screen.frames).toEqual([
      '{"data":{"type":"0","linkUrl":"/upload/image/cola.jpg,/upload/image/crisps.jpg"},"type":"ad"}',
    ]);
    screen.close();
  });

  it('closes a screen without a device number with 1003 and the reason', async () => {
    const screen = await watchScreen(screenUrl());

    expect(await screen.closed).toEqual({
      code: 1003,
      reason: 'missing query parameter: deviceNo',
    });
    expect(screen.frames).toEqual([]);
  });

  it('closes a screen with an empty or too long device number with 1003', async () => {
    const empty = await watchScreen(screenUrl('  '));
    const long = await watchScreen(screenUrl('D'.repeat(65)));

    expect(await empty.closed).toEqual({
      code: 1003,
      reason: 'missing query parameter: deviceNo',
    });
    expect(await long.closed).toEqual({
      code: 1003,
      reason: 'deviceNo longer than 64 characters',
    });
  });

  it('answers a plain GET of the screen path with 426', async () => {
    const response = await httpGet(`${emulator.url}/websocket/ssib/ad`);

    expect(response.status).toBe(426);
  });

  describe('its HTTP calls', () => {
    it('gives the image base address under both keys', async () => {
      const response = await httpGet(`${emulator.url}/api/imgserver`);

      expect(response.status).toBe(200);
      expect(response.type).toBe('application/json; charset=utf-8');
      expect(response.body).toBe(
        `{"code":0,"msg":"","data":"${emulator.url}","object":"${emulator.url}"}`,
      );
    });

    it('lets a screen of a good device number connect', async () => {
      const response = await httpGet(
        `${emulator.url}/api/ssib/advert/ws/demo-cabinet`,
      );

      expect(response.status).toBe(200);
      expect(response.body).toBe('{"code":0,"msg":"","data":null}');
    });

    it('sends a screen of an empty device number away with a message', async () => {
      const response = await httpGet(`${emulator.url}/api/ssib/advert/ws/`);

      expect(response.status).toBe(200);
      expect(response.body).toBe(
        '{"code":1,"msg":"设备编号不能为空","data":null}',
      );
    });

    it('sends a screen of a too long device number away with a message', async () => {
      const response = await httpGet(
        `${emulator.url}/api/ssib/advert/ws/${'D'.repeat(65)}`,
      );

      expect(response.body).toBe(
        '{"code":1,"msg":"设备编号过长(最多64个字符)","data":null}',
      );
    });
  });
});

describe('the cabinet screen channel with path pictures', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startQuietEmulator({
      scenario: 'seed-fruit',
      imageUrls: 'path',
    });
  });
  afterAll(() => emulator.close());

  it('sends the screen the shopper frames byte for byte', async () => {
    const screen = await watchScreen(
      `${emulator.url.replace('http', 'ws')}/websocket/ssib/ad?deviceNo=P-1`,
    );

    await screen.received(1);

    const shopper = await converse(emulator.purchaseUrl({ deviceNo: 'P-1' }));

    await screen.received(shopper.frames.length + 2);

    expect(screen.frames.slice(1, -1)).toEqual(shopper.frames);
    screen.close();
  });
});
