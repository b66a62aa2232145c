import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import {
  formatChinaCompactStamp,
  formatChinaDateTime,
} from '../../src/time/china-time.js';
import {
  converse,
  maskOrderFields,
  startQuietEmulator,
} from './conversation.js';

// Each built-in scenario played over a real socket, frame by frame.

const DOOR = '{"msg":"","success":true,"type":"door"}';

const fruitItem = (origin: string) =>
  `{"aisleId":5595,"amount":2.43,"costPrice":0.00560,"id":3343,"isBulk":"1","name":"水果","price":3.08000,"priceUnit":"元/斤","quantity":394,"quantityType":"重量","quantityUnit":"g","thumbImage":"${origin}/upload/image/19090214550243135023.jpg","typeName":"水果"}`;

const yoghurtItem = (origin: string, quantity: number, amount: string) =>
  `{"aisleId":6140,"amount":${amount},"costPrice":6.90000,"id":3462,"isBulk":"0","name":"华农原味酸牛奶(买二送一)","price":7.90000,"priceUnit":"元/件","quantity":${quantity},"quantityType":"数量","quantityUnit":"件","thumbImage":"${origin}/upload/image/19091215161757769747.jpg","typeName":"华农酸奶"}`;

const tomatoItem = (origin: string) =>
  `{"aisleId":5597,"amount":4.84,"costPrice":4.20000,"id":3356,"isBulk":"1","name":"散装圣女果","price":6.80000,"priceUnit":"元/斤","quantity":356,"quantityType":"重量","quantityUnit":"g","thumbImage":"${origin}/upload/image/cherry-tomatoes.jpg","typeName":"水果"}`;

const colaItem = (origin: string) =>
  `{"aisleId":6150,"amount":3.00,"costPrice":1.90000,"id":3501,"isBulk":"0","name":"可口可乐330ml","price":3.00000,"priceUnit":"元/件","quantity":1,"quantityType":"数量","quantityUnit":"件","thumbImage":"${origin}/upload/image/cola.jpg","typeName":"碳酸饮料"}`;

const crispsItem = (origin: string) =>
  `{"aisleId":6161,"amount":7.50,"costPrice":5.10000,"id":3541,"isBulk":"0","name":"乐事原味薯片70g","price":7.50000,"priceUnit":"元/件","quantity":1,"quantityType":"数量","quantityUnit":"件","thumbImage":"${origin}/upload/image/crisps.jpg","typeName":"休闲零食"}`;

const update = (amount: string, ...items: string[]) =>
  `{"data":{"amount":${amount},"list":[${items.join(',')}]},"type":"update"}`;

const maskedFinal = (amount: string, ...items: string[]) =>
  `{"data":{"amount":${amount},"tradeNo":"<tradeNo>","isCreditPay":"1","discounts":[],"createTime":"<createTime>","orderInfo":"","list":[${items.join(',')}]},"type":"final"}`;

function playScenario(scenario: string) {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startQuietEmulator({ scenario });
  });
  afterAll(() => emulator.close());

  return {
    origin: () => emulator.url,
    play: () =>
      converse(emulator.purchaseUrl({ deviceNo: `device-${scenario}` })),
  };
}

describe('scenario happy-path', () => {
  const { origin, play } = playScenario('happy-path');

  it('sends door, four updates as goods are taken and one put back, then the order', async () => {
    const o = origin();
    const { frames, closeCode, closeReason, allText } = await play();

    expect(frames.map(maskOrderFields)).toEqual([
      DOOR,
      update('4.84', tomatoItem(o)),
      update('7.84', tomatoItem(o), colaItem(o)),
      update('15.34', tomatoItem(o), colaItem(o), crispsItem(o)),
      update('7.84', tomatoItem(o), colaItem(o)),
      maskedFinal('7.84', tomatoItem(o), colaItem(o)),
    ]);
    expect(allText).toBe(true);
    expect([closeCode, closeReason]).toEqual([1000, 'purchase finished']);
  });
});

describe('scenario seed-fruit', () => {
  const { origin, play } = playScenario('seed-fruit');

  it("sends the vendor's update example, then a final of 2.43", async () => {
    const o = origin();
    const { frames } = await play();

    expect(frames.map(maskOrderFields)).toEqual([
      DOOR,
      update('2.43', fruitItem(o)),
      maskedFinal('2.43', fruitItem(o)),
    ]);
  });
});

describe('scenario seed-yoghurt', () => {
  const { origin, play } = playScenario('seed-yoghurt');

  it("ends with the vendor's final example: 15.80, paid password-free, no discounts", async () => {
    const o = origin();
    const connectedAt = Date.now();
    const { frames } = await play();
    const doneAt = Date.now();
    const final = frames.at(-1)!;

    expect(frames.map(maskOrderFields)).toEqual([
      DOOR,
      update('15.80', yoghurtItem(o, 2, '15.80')),
      maskedFinal('15.80', yoghurtItem(o, 2, '15.80')),
    ]);

    // tradeNo: the session's start in China time, then 8 digits.
    const tradeNo = /"tradeNo":"(\d{12})(\d{8})"/.exec(final)!;
    const stamps = new Set(
      [connectedAt - 1000, connectedAt, doneAt].map(formatChinaCompactStamp),
    );

    expect(stamps).toContain(tradeNo[1]);

    // createTime: China time when the order was made; the format sorts as text.
    const createTime = /"createTime":"([^"]+)"/.exec(final)![1]!;

    expect(createTime >= formatChinaDateTime(connectedAt)).toBe(true);
    expect(createTime <= formatChinaDateTime(doneAt)).toBe(true);
  });

  it('gives every order its own tradeNo', async () => {
    const first = (await play()).frames.at(-1)!;
    const second = (await play()).frames.at(-1)!;
    const tradeNo = (frame: string) => /"tradeNo":"(\d{20})"/.exec(frame)![1];

    expect(tradeNo(first)).not.toBe(tradeNo(second));
  });
});

describe('a seed', () => {
  it('replays the same purchase on a live server: same frames, same tradeNo serial', async () => {
    const runs = [];

    for (let run = 0; run < 2; run++) {
      const emulator = await startQuietEmulator({
        scenario: 'happy-path',
        seed: 'replay-me',
      });

      try {
        runs.push((await converse(emulator.purchaseUrl())).frames);
      } finally {
        await emulator.close();
      }
    }

    const [first, second] = runs.map((frames) =>
      frames.map((frame) => frame.replace(/127\.0\.0\.1:\d+/g, 'HOST')),
    );
    const serial = (frames: string[]) =>
      /"tradeNo":"\d{12}(\d{8})"/.exec(frames.at(-1)!)![1];

    expect(first!.slice(0, -1)).toEqual(second!.slice(0, -1));
    expect(serial(first!)).toBe(serial(second!));
    expect(maskOrderFields(first!.at(-1)!)).toBe(
      maskOrderFields(second!.at(-1)!),
    );
  });
});

describe('scenario empty', () => {
  const { play } = playScenario('empty');

  it('sends door, then exactly the empty final', async () => {
    const { frames, closeCode } = await play();

    expect(frames).toEqual([DOOR, '{"data":{"list":[]},"type":"final"}']);
    expect(closeCode).toBe(1000);
  });
});

describe('scenario risk-control', () => {
  const { origin, play } = playScenario('risk-control');

  it("ends with WeChat's risk-control failure frame, byte for byte", async () => {
    const o = origin();
    const { frames, closeCode } = await play();

    expect(frames).toEqual([
      DOOR,
      update('7.90', yoghurtItem(o, 1, '7.90')),
      '{"msg":"由于微信风控原因,订单创建失败,请您尝试支付宝扫码购物。","success":false,"type":"failure"}',
    ]);
    expect(closeCode).toBe(1000);
  });
});

describe('scenario jammed-lock', () => {
  const { play } = playScenario('jammed-lock');

  it('sends only the 操作失败 failure frame: the door never opens', async () => {
    const { frames, closeCode } = await play();

    expect(frames).toEqual([
      '{"msg":"操作失败","success":false,"type":"failure"}',
    ]);
    expect(closeCode).toBe(1000);
  });
});
