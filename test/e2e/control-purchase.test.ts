import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { call, Shopper } from './control-client.js';
import { maskOrderFields, startQuietEmulator } from './conversation.js';

// A purchase moved step by step through the control API, as a dashboard
// would, while a real shopper's socket receives what the phone would.

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startQuietEmulator({ scenario: 'manual' });
});
afterAll(() => emulator.close());

const cola = (origin: string) =>
  `{"aisleId":6150,"amount":3.00,"costPrice":1.90000,"id":3501,"isBulk":"0","name":"可口可乐330ml","price":3.00000,"priceUnit":"元/件","quantity":1,"quantityType":"数量","quantityUnit":"件","thumbImage":"${origin}/upload/image/cola.jpg","typeName":"碳酸饮料"}`;

it('takes a cola by API, the phone gets the update, closes by API, the phone gets the order', async () => {
  const act = (step: unknown) =>
    call(emulator.url, 'POST', '/emulator/cabinets/by-hand/actions', step);
  const shopper = new Shopper(emulator.purchaseUrl({ deviceNo: 'by-hand' }));

  expect(await shopper.frame(0)).toBe(
    '{"msg":"","success":true,"type":"door"}',
  );

  const took = await act({ take: { aisle: 6150, count: 1 } });

  expect(took.status).toBe(200);
  expect(took.body.door).toBe('open');
  expect(took.body.session.waitingForActions).toBe(true);
  expect(took.body.aisles[5]).toMatchObject({
    aisleId: 6150,
    stock: 23,
    held: 1,
  });

  expect(await shopper.frame(1)).toBe(
    `{"data":{"amount":3.00,"list":[${cola(emulator.url)}]},"type":"update"}`,
  );
  expect(
    (await call(emulator.url, 'GET', '/emulator/cabinets/by-hand')).body.basket,
  ).toEqual({
    amount: '3.00',
    lines: [
      {
        aisleId: 6150,
        productId: 3501,
        name: '可口可乐330ml',
        quantity: 1,
        quantityUnit: '件',
        amount: '3.00',
      },
    ],
  });

  const closed = await act('close-door');

  expect([closed.status, closed.body.door]).toEqual([200, 'closed']);
  expect(maskOrderFields(await shopper.frame(2))).toBe(
    `{"data":{"amount":3.00,"tradeNo":"<tradeNo>","isCreditPay":"1","discounts":[],"createTime":"<createTime>","orderInfo":"","list":[${cola(emulator.url)}]},"type":"final"}`,
  );
  expect(await shopper.closed).toEqual({
    code: 1000,
    reason: 'purchase finished',
  });

  // The purchase is over: the cabinet is at rest again, with its full stock.
  const after = await call(emulator.url, 'GET', '/emulator/cabinets/by-hand');

  expect([after.body.session, after.body.aisles[5].stock]).toEqual([null, 24]);
});
