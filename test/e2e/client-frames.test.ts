import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { RunningEmulator } from '../../src/index.js';
import {
  connectUntilFirstFrame,
  converse,
  startQuietEmulator,
  type Conversation,
} from './conversation.js';
import {
  clientFrame,
  closeCodeOf,
  framesUntilClose,
  OPCODE,
  rawExchange,
  upgradeRequest,
  type ClientFrameOptions,
} from './raw-socket.js';

const DOOR = '{"msg":"","success":true,"type":"door"}';
const LIMIT = 1024;

// seed-yoghurt: door, update, final, then 1000.
function expectWholePurchase(conversation: Conversation): void {
  expect(conversation.frames).toHaveLength(3);
  expect(conversation.frames[0]).toBe(DOOR);
  expect(conversation.frames[2]).toMatch(/^\{"data":\{"amount":15\.80,/);
  expect(conversation.closeCode).toBe(1000);
}

describe('messages from clients', () => {
  let emulator: RunningEmulator;
  let device = 0;
  const url = () => emulator.purchaseUrl({ deviceNo: `CF-${++device}` });

  beforeAll(async () => {
    emulator = await startQuietEmulator({
      scenario: 'seed-yoghurt',
      maxMessageBytes: LIMIT,
    });
  });
  afterAll(() => emulator.close());

  /**
   * Has one shopper `misbehave` after its door frame while another shops on
   * the same server; resolves with both conversations.
   */
  async function besideAnotherShopper(
    misbehave: (socket: WebSocket) => void,
  ): Promise<{ rude: Conversation; other: Conversation }> {
    const other = connectUntilFirstFrame(url());
    const rude = converse(url(), {
      onFrame: (socket, _frame, index) => {
        if (index === 0) misbehave(socket);
      },
    });

    return { rude: await rude, other: await (await other).rest };
  }

  it('closes with 1009 a message over maxMessageBytes; only that socket is affected', async () => {
    const { rude, other } = await besideAnotherShopper((socket) =>
      socket.send('x'.repeat(LIMIT + 1)),
    );

    expect(rude.frames).toEqual([DOOR]);
    expect(rude.closeCode).toBe(1009);
    expectWholePurchase(other);
  });

  it.each([
    ['a message of exactly maxMessageBytes', 'x'.repeat(LIMIT)],
    ['an empty message', ''],
    ['text that is not JSON', '{"type":'],
    ['deeply nested JSON', `${'['.repeat(500)}${']'.repeat(500)}`],
    [
      'absurd numbers',
      '{"amount":1e999999,"n":-0,"big":123456789012345678901234567890}',
    ],
    ['a frame of the protocol sent back', DOOR],
    ['a binary message', Buffer.from([0, 1, 2, 255])],
  ])('ignores %s: both purchases go on to the end', async (_, message) => {
    const { rude, other } = await besideAnotherShopper((socket) =>
      socket.send(message),
    );

    expectWholePurchase(rude);
    expectWholePurchase(other);
  });

  it('ignores a message in many fragments that stays within the limit', async () => {
    const { rude } = await besideAnotherShopper((socket) => {
      socket.send('a'.repeat(300), { fin: false });
      socket.send('b'.repeat(300), { fin: false });
      socket.send('c'.repeat(300), { fin: true });
    });

    expectWholePurchase(rude);
  });

  it('closes with 1009 a message whose fragments together pass the limit', async () => {
    const { rude, other } = await besideAnotherShopper((socket) => {
      socket.send('a'.repeat(600), { fin: false });
      socket.send('b'.repeat(600), { fin: true });
    });

    expect(rude.closeCode).toBe(1009);
    expectWholePurchase(other);
  });

  describe('frames that break the WebSocket protocol', () => {
    async function rawShopper(bad: Buffer) {
      const other = connectUntilFirstFrame(url());
      const opened = await rawExchange(
        emulator.port,
        upgradeRequest(new URL(url()).pathname + new URL(url()).search),
      );
      const rest = framesUntilClose(opened.socket);

      opened.socket.write(bad);

      const frames = [...opened.frames, ...(await rest)];

      opened.socket.destroy();
      return { frames, other: await (await other).rest };
    }

    const frame = (
      opcode: number,
      payload: string | Buffer,
      options?: ClientFrameOptions,
    ) => clientFrame(opcode, Buffer.from(payload), options);

    it.each([
      ['an unmasked frame', frame(OPCODE.text, 'hi', { masked: false })],
      ['reserved bits set', frame(OPCODE.text, 'hi', { rsv: 4 })],
      ['a reserved opcode', frame(3, 'hi')],
      ['a ping over 125 bytes', frame(OPCODE.ping, 'p'.repeat(126))],
      ['a fragmented ping', frame(OPCODE.ping, 'p', { fin: false })],
      ['a continuation with nothing to continue', frame(0, 'x')],
      [
        'a close frame with a code no one may send',
        frame(OPCODE.close, Buffer.from([0x03, 0xe7])),
      ],
    ])(
      'closes %s with 1008, never 1002; the other purchase goes on',
      async (_, bad) => {
        const { frames, other } = await rawShopper(bad);
        const close = frames.at(-1)!;

        expect(frames[0]!.payload.toString()).toBe(DOOR);
        expect(close.opcode).toBe(OPCODE.close);
        expect(closeCodeOf(close)).toBe(1008);
        expectWholePurchase(other);
      },
    );

    it.each([
      [3000, 1000],
      [1003, 1000],
      [4000, 4000],
      [1001, 1001],
    ])(
      'answers a close the client starts with %i with %i',
      async (sent, answered) => {
        const payload = Buffer.alloc(2);

        payload.writeUInt16BE(sent);

        const { frames } = await rawShopper(frame(OPCODE.close, payload));

        expect(closeCodeOf(frames.at(-1)!)).toBe(answered);
      },
    );

    it('answers a close without a code with a close without a code', async () => {
      const { frames } = await rawShopper(frame(OPCODE.close, ''));

      expect(frames.at(-1)!.payload.length).toBe(0);
    });

    it('ignores text that is not UTF-8, like any other message', async () => {
      const { frames } = await rawShopper(
        frame(OPCODE.text, Buffer.from([0xe6, 0x9f, 0xff, 0xfe])),
      );

      expect(frames.map((each) => each.opcode)).toEqual([
        OPCODE.text,
        OPCODE.text,
        OPCODE.text,
        OPCODE.close,
      ]);
      expect(closeCodeOf(frames[3]!)).toBe(1000);
    });
  });
});
