import { describe, expect, it } from 'vitest';
import type { Order } from '../cabinet/order.js';
import { Decimal } from '../pricing/decimal.js';
import type { Expectations } from '../scenario/scenario.js';
import { checkExpectations } from './check-expectations.js';
import type { ConnectionRecord, ScenarioOutcome } from './run-result.js';

const DOOR = '{"msg":"","success":true,"type":"door"}';
const FRUIT_UPDATE =
  '{"data":{"amount":2.43,"list":[{"aisleId":5595,"amount":2.43,"costPrice":0.00560,"id":3343,"isBulk":"1","name":"水果","price":3.08000,"priceUnit":"元/斤","quantity":394,"quantityType":"重量","quantityUnit":"g","thumbImage":"/image/fruit.jpg","typeName":"水果"}]},"type":"update"}';
const YOGHURT_FINAL =
  '{"data":{"amount":15.80,"tradeNo":"19101114451054062737","isCreditPay":"1","discounts":[],"createTime":"2019-10-11 14:45:44","orderInfo":"","list":[{"aisleId":6140,"amount":15.80,"costPrice":6.90000,"id":3462,"isBulk":"0","name":"华农原味酸牛奶(买二送一)","price":7.90000,"priceUnit":"元/件","quantity":2,"quantityType":"数量","quantityUnit":"件","thumbImage":"/image/yoghurt.jpg","typeName":"华农酸奶"}]},"type":"final"}';
const EMPTY_FINAL = '{"data":{"list":[]},"type":"final"}';

const ORDER: Order = {
  tradeNo: '19101114451054062737',
  deviceNo: 'D1',
  createdAt: Date.UTC(2019, 9, 11, 6, 45, 44),
  amount: new Decimal('15.8'),
  creditPay: true,
  discounts: [],
  orderInfo: '',
  lines: [],
};

function connection(
  frames: [atMs: number, text: string][],
  close?: ConnectionRecord['close'],
): ConnectionRecord {
  return {
    frames: frames.map(([atMs, text]) => ({ atMs, text })),
    ...(close === undefined ? {} : { close }),
  };
}

function outcome(
  frames: [atMs: number, text: string][],
  extra: Partial<ScenarioOutcome> = {},
): ScenarioOutcome {
  return {
    shopper: connection(frames),
    otherShoppers: [],
    order: null,
    faults: [],
    transcript: [],
    virtualMs: 10_000,
    ...extra,
  };
}

const yoghurtRun = outcome(
  [
    [812, DOOR],
    [5632, FRUIT_UPDATE],
    [9000, YOGHURT_FINAL],
  ],
  { order: ORDER },
);

describe('checkExpectations', () => {
  it('passes when every named field matches, amounts written at their scale', () => {
    const expectations: Expectations = {
      frames: [
        { type: 'door', msg: '', beforeMs: 1000 },
        {
          type: 'update',
          amount: '2.43',
          items: [
            {
              aisleId: 5595,
              id: 3343,
              name: '水果',
              quantity: 394,
              amount: '2.43',
              price: '3.08000',
            },
          ],
          afterMs: 5632,
          beforeMs: 5632,
        },
        {
          type: 'final',
          amount: '15.80',
          isCreditPay: '1',
          orderInfo: '',
          tradeNo: '19101114451054062737',
          createTime: '2019-10-11 14:45:44',
          discounts: [],
          items: [{ aisleId: 6140, quantity: 2, price: '7.90000' }],
        },
      ],
      order: { amount: '15.80', isCreditPay: '1' },
    };

    expect(checkExpectations(expectations, yoghurtRun)).toEqual([]);
  });

  it('checks nothing that is not expected', () => {
    expect(checkExpectations({}, yoghurtRun)).toEqual([]);
  });

  it('fails an amount written at another scale, saying the value is the same', () => {
    const failures = checkExpectations(
      {
        frames: [
          { type: 'door' },
          { type: 'update' },
          { type: 'final', amount: '15.8' },
        ],
      },
      yoghurtRun,
    );

    expect(failures).toEqual([
      'frame 3 (final at +9.000s): data.amount: expected 15.8, found 15.80 (same value, written at another scale)',
    ]);
  });

  it('fails an amount the cloud wrote with an extra decimal', () => {
    const wide = FRUIT_UPDATE.replace(
      '"amount":2.43,"list"',
      '"amount":2.430,"list"',
    );

    expect(
      checkExpectations(
        { frames: [{ type: 'update', amount: '2.43' }] },
        outcome([[5632, wide]]),
      ),
    ).toEqual([
      'frame 1 (update at +5.632s): data.amount: expected 2.43, found 2.430 (same value, written at another scale)',
    ]);
  });

  it('fails an amount sent as a string instead of a number', () => {
    const quoted = FRUIT_UPDATE.replace(
      '"amount":2.43,"list"',
      '"amount":"2.43","list"',
    );

    expect(
      checkExpectations(
        { frames: [{ type: 'update', amount: '2.43' }] },
        outcome([[5632, quoted]]),
      ),
    ).toEqual([
      'frame 1 (update at +5.632s): data.amount: expected 2.43, found "2.43"',
    ]);
  });

  it('names the item field that differs, with what was expected and found', () => {
    const failures = checkExpectations(
      {
        frames: [
          { type: 'door' },
          {
            type: 'update',
            items: [{ quantity: 393, name: '苹果', price: '3.08' }],
          },
        ],
      },
      outcome([
        [812, DOOR],
        [5632, FRUIT_UPDATE],
      ]),
    );

    expect(failures).toEqual([
      'frame 2 (update at +5.632s): data.list[0].name: expected "苹果", found "水果"',
      'frame 2 (update at +5.632s): data.list[0].quantity: expected 393, found 394',
      'frame 2 (update at +5.632s): data.list[0].price: expected 3.08, found 3.08000 (same value, written at another scale)',
    ]);
  });

  it('compares ids and quantities as numbers', () => {
    const decimalQuantity = FRUIT_UPDATE.replace(
      '"quantity":394',
      '"quantity":394.0',
    );
    const quotedId = FRUIT_UPDATE.replace('"id":3343', '"id":"3343"');

    expect(
      checkExpectations(
        { frames: [{ type: 'update', items: [{ quantity: 394, id: 3343 }] }] },
        outcome([[1, decimalQuantity]]),
      ),
    ).toEqual([]);
    expect(
      checkExpectations(
        { frames: [{ type: 'update', items: [{ id: 3343 }] }] },
        outcome([[1, quotedId]]),
      ),
    ).toEqual([
      'frame 1 (update at +0.001s): data.list[0].id: expected 3343, found "3343"',
    ]);
  });

  it('fails a list of another length without comparing its items', () => {
    expect(
      checkExpectations(
        {
          frames: [
            { type: 'final', items: [{ quantity: 1 }, { quantity: 2 }] },
          ],
        },
        outcome([[9000, YOGHURT_FINAL]]),
      ),
    ).toEqual([
      'frame 1 (final at +9.000s): data.list: expected 2 items, found 1 item: 华农原味酸牛奶(买二送一)',
    ]);
    expect(
      checkExpectations(
        { frames: [{ type: 'final', items: [{ quantity: 1 }] }] },
        outcome([[9000, EMPTY_FINAL]]),
      ),
    ).toEqual([
      'frame 1 (final at +9.000s): data.list: expected 1 item, found 0 items',
    ]);
  });

  it('fails order fields of an empty final, which has none', () => {
    expect(
      checkExpectations(
        { frames: [{ type: 'final', amount: '0.00', discounts: [] }] },
        outcome([[9000, EMPTY_FINAL]]),
      ),
    ).toEqual([
      'frame 1 (final at +9.000s): data.amount: expected 0.00, found nothing',
      'frame 1 (final at +9.000s): data.discounts: expected 0 discounts, found nothing',
    ]);
  });

  it('compares discounts element for element on the fields named', () => {
    const discounted = YOGHURT_FINAL.replace(
      '"discounts":[]',
      '"discounts":[{"name":"买二送一","amount":7.90}]',
    );
    const expectations: Expectations = {
      frames: [
        {
          type: 'final',
          discounts: [{ name: '买二送一', amount: '7.9' }],
        },
      ],
    };

    expect(
      checkExpectations(expectations, outcome([[9000, discounted]])),
    ).toEqual([
      'frame 1 (final at +9.000s): data.discounts[0].amount: expected 7.9, found 7.90 (same value, written at another scale)',
    ]);
    expect(
      checkExpectations(expectations, outcome([[9000, YOGHURT_FINAL]])),
    ).toEqual([
      'frame 1 (final at +9.000s): data.discounts: expected 1 discount, found 0 discounts',
    ]);
  });

  it('compares the final frame order fields as strings', () => {
    expect(
      checkExpectations(
        {
          frames: [
            {
              type: 'final',
              isCreditPay: '0',
              orderInfo: 'https://pay.example/1',
              tradeNo: '19101114451000000000',
              createTime: '2019-10-11 14:45:45',
            },
          ],
        },
        outcome([[9000, YOGHURT_FINAL]]),
      ),
    ).toEqual([
      'frame 1 (final at +9.000s): data.isCreditPay: expected "0", found "1"',
      'frame 1 (final at +9.000s): data.orderInfo: expected "https://pay.example/1", found ""',
      'frame 1 (final at +9.000s): data.tradeNo: expected "19101114451000000000", found "19101114451054062737"',
      'frame 1 (final at +9.000s): data.createTime: expected "2019-10-11 14:45:45", found "2019-10-11 14:45:44"',
    ]);
  });

  it('compares the message of a failure frame', () => {
    expect(
      checkExpectations(
        { frames: [{ type: 'failure', msg: '操作失败' }] },
        outcome([[3000, '{"msg":"","success":false,"type":"failure"}']]),
      ),
    ).toEqual([
      'frame 1 (failure at +3.000s): msg: expected "操作失败", found ""',
    ]);
  });

  it('reports only the type when a frame of another type arrives', () => {
    expect(
      checkExpectations(
        { frames: [{ type: 'final', amount: '15.80', items: [] }] },
        outcome([
          [3000, '{"msg":"操作失败","success":false,"type":"failure"}'],
        ]),
      ),
    ).toEqual([
      'frame 1 (failure at +3.000s): type: expected "final", found "failure"',
    ]);
  });

  it('names a frame that is not JSON, or not a JSON object', () => {
    expect(
      checkExpectations(
        { frames: [{ type: 'door' }, { type: 'final' }] },
        outcome([
          [812, 'door open'],
          [900, '[1,2]'],
        ]),
      ),
    ).toEqual([
      'frame 1 (text at +0.812s): not JSON: "door open"',
      'frame 2 (JSON at +0.900s): not a JSON object: [1,2]',
    ]);
  });

  it('names the frames that are missing after the last one received', () => {
    expect(
      checkExpectations(
        {
          frames: [
            { type: 'door' },
            { type: 'update' },
            { type: 'update' },
            { type: 'final' },
          ],
        },
        outcome([
          [812, DOOR],
          [5632, FRUIT_UPDATE],
        ]),
      ),
    ).toEqual([
      'expected 4 frames, received 2 (the last: update at +5.632s); nothing matches the expected update, final',
    ]);
    expect(
      checkExpectations(
        { frames: [{ type: 'door' }, { type: 'final' }] },
        outcome([]),
      ),
    ).toEqual(['expected 2 frames, received 0: no door, final']);
  });

  it('names the extra frames and still compares those it can pair', () => {
    expect(
      checkExpectations(
        { frames: [{ type: 'door', msg: 'x' }] },
        outcome([
          [812, DOOR],
          [5632, FRUIT_UPDATE],
          [9000, YOGHURT_FINAL],
        ]),
      ),
    ).toEqual([
      'expected 1 frame, received 3: extra update at +5.632s, final at +9.000s',
      'frame 1 (door at +0.812s): msg: expected "x", found ""',
    ]);
  });

  it('fails a frame outside its time window, the bounds included in it', () => {
    const run = outcome([
      [812, DOOR],
      [5632, FRUIT_UPDATE],
    ]);

    expect(
      checkExpectations(
        {
          frames: [
            { type: 'door', afterMs: 1000 },
            { type: 'update', beforeMs: 5000 },
          ],
        },
        run,
      ),
    ).toEqual([
      'frame 1 (door at +0.812s): arrived too early: expected no sooner than +1.000s',
      'frame 2 (update at +5.632s): arrived too late: expected no later than +5.000s',
    ]);
    expect(
      checkExpectations(
        {
          frames: [
            { type: 'door', afterMs: 812, beforeMs: 812 },
            { type: 'update', afterMs: 5632, beforeMs: 5632 },
          ],
        },
        run,
      ),
    ).toEqual([]);
  });

  it('compares times at the whole milliseconds it shows them in', () => {
    const run = outcome([
      [5200.4, DOOR],
      [5999.6, FRUIT_UPDATE],
    ]);

    expect(
      checkExpectations(
        {
          frames: [
            { type: 'door', beforeMs: 5200 },
            { type: 'update', afterMs: 6000, beforeMs: 6000 },
          ],
        },
        run,
      ),
    ).toEqual([]);
    expect(
      checkExpectations({ frames: [{ type: 'door', beforeMs: 5199 }] }, run),
    ).toEqual([
      'expected 1 frame, received 2: extra update at +6.000s',
      'frame 1 (door at +5.200s): arrived too late: expected no later than +5.199s',
    ]);
  });

  it('checks how the connection closed', () => {
    const closed = (code: number, reason: string): ScenarioOutcome => ({
      ...outcome([]),
      shopper: connection([], { atMs: 12_000, code, reason }),
    });

    expect(
      checkExpectations(
        { close: { code: 1000, reason: '' } },
        closed(1000, ''),
      ),
    ).toEqual([]);
    expect(
      checkExpectations(
        { close: { code: 1003, reason: 'device busy' } },
        closed(1006, ''),
      ),
    ).toEqual([
      'close (at +12.000s): code: expected 1003, found 1006',
      'close (at +12.000s): reason: expected "device busy", found ""',
    ]);
    expect(
      checkExpectations({ close: { code: 1000, reason: 'bye' } }, outcome([])),
    ).toEqual(['close: expected 1000 "bye", found the connection still open']);
    expect(checkExpectations({ close: {} }, outcome([]))).toEqual([
      'close: expected a close, found the connection still open',
    ]);
  });

  it('fails an order made when none may be', () => {
    expect(checkExpectations({ order: null }, yoghurtRun)).toEqual([
      'order: expected none, found order 19101114451054062737 of 15.80',
    ]);
    expect(checkExpectations({ order: null }, outcome([]))).toEqual([]);
  });

  it('fails a missing order and compares the order amount at scale 2', () => {
    expect(
      checkExpectations({ order: { amount: '15.80' } }, outcome([])),
    ).toEqual(['order: expected an order of 15.80, found none']);
    expect(
      checkExpectations(
        { order: { amount: '15.8', isCreditPay: '0' } },
        yoghurtRun,
      ),
    ).toEqual([
      'order.amount: expected 15.8, found 15.80',
      'order.isCreditPay: expected "0", found "1"',
    ]);
  });

  it('checks each other shopper like the shopper, naming it', () => {
    const busy = '{"msg":"设备正在使用中","success":false,"type":"failure"}';
    const run: ScenarioOutcome = {
      ...outcome([[812, DOOR]]),
      otherShoppers: [
        connection([[2000, busy]], { atMs: 2001, code: 1000, reason: '' }),
      ],
    };

    expect(
      checkExpectations(
        {
          otherShoppers: [
            {
              frames: [{ type: 'failure', msg: '操作失败' }],
              close: { code: 1003 },
            },
          ],
        },
        run,
      ),
    ).toEqual([
      'shopper 2: frame 1 (failure at +2.000s): msg: expected "操作失败", found "设备正在使用中"',
      'shopper 2: close (at +2.001s): code: expected 1003, found 1000',
    ]);
    expect(
      checkExpectations(
        { otherShoppers: [{ frames: [{ type: 'failure' }] }, {}] },
        run,
      ),
    ).toEqual(['other shoppers: expected 2 connections, found 1']);
    expect(checkExpectations({ otherShoppers: [] }, run)).toEqual([
      'other shoppers: expected 0 connections, found 1',
    ]);
  });
});
