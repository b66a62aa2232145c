import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCabinetDirectory } from '../catalogue/load-cabinets.js';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import { ScenarioFileError } from '../errors.js';
import { FailureMessage } from '../protocol/failure-messages.js';
import {
  fitScenario,
  parseScenarioText,
  readScenarioFile,
} from './scenario-file.js';
import type { Scenario } from './scenario.js';

const cabinet = loadCabinetDirectory(BUNDLED_FIXTURES_DIR).defaultCabinet;
const dir = mkdtempSync(join(tmpdir(), 'scenario-file-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 2019-10-11 14:45:10 in China is 06:45:10 UTC.
const VENDOR_START = Date.UTC(2019, 9, 11, 6, 45, 10);

const lines = (...text: string[]) => `${text.join('\n')}\n`;

/** The message of the error `text` fails with, or 'no error'. */
function failureOf(text: string, file = 'x.yaml'): string {
  try {
    parseScenarioText(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioFileError);
    return (err as ScenarioFileError).message;
  }
  return 'no error';
}

const fullFile = lines(
  '# yaml-language-server: $schema=../schema/scenario.schema.json',
  'name: every-field',
  'description: uses every field of the format',
  'cabinet: default',
  'deviceNo: demo-cabinet',
  'seed: 42',
  'startTime: "2019-10-11 14:45:10"',
  'payment: manual',
  'settle: 1.5s',
  'models: { door: realistic, loadCell: ideal }',
  'timeline:',
  '  - unlock',
  '  - open-door',
  '  - wait: 1.5s',
  '  - take: { aisle: 5595, grams: 394 }',
  '  - take: { aisle: 6161, count: 1 }',
  '  - put-back: { aisle: 6161, count: 1, onto: 6160 }',
  '  - place-object: { aisle: 6150, grams: 180 }',
  '  - knock: { aisle: 6150 }',
  '  - sensor-fault: { aisle: 5595, fault: drift, gramsPerMinute: 40 }',
  '  - sensor-fault: { aisle: 5596, fault: dead }',
  '  - jam-lock',
  '  - close-door',
  '  - refuse-order: risk-control',
  '  - refuse-order: operation-failed',
  '  - refuse-order: { message: any text }',
  '  - drop-connection',
  '  - close-connection: { code: 4000, reason: bye }',
  '  - close-connection: { code: 1000 }',
  '  - delay-next-frame: 2min',
  '  - duplicate-next-frame',
  '  - another-shopper',
  '  - wait: 250',
  'expect:',
  '  frames:',
  '    - door',
  '    - update:',
  '        amount: "2.43"',
  '        items: [{ aisleId: 5595, quantity: 394, amount: "2.43" }]',
  '    - final:',
  '        amount: "2.43"',
  '        isCreditPay: "0"',
  '        orderInfo: ""',
  '        discounts: [{ name: 满减, amount: "0.50" }]',
  '        after: 5s',
  '        before: 10000',
  '    - failure: { msg: 操作失败 }',
  '  close: { code: 1000, reason: purchase finished }',
  '  order: { amount: "2.43", isCreditPay: "1" }',
  '  otherShoppers:',
  '    - frames: [{ failure: { msg: "设备正在使用中,请稍后再试" } }]',
  '      close: { code: 4001 }',
);

describe('parseScenarioText', () => {
  it('turns a file that uses every field into the exact scenario', () => {
    const expected: Scenario = {
      name: 'every-field',
      description: 'uses every field of the format',
      file: 'scenarios/every-field.yaml',
      payment: 'manual',
      settleMs: 1500,
      models: { door: 'realistic', loadCell: 'ideal' },
      steps: [
        { action: 'unlock' },
        { action: 'open-door' },
        { action: 'wait', ms: 1500 },
        { action: 'take', aisleId: 5595, grams: 394 },
        { action: 'take', aisleId: 6161, count: 1 },
        { action: 'put-back', aisleId: 6161, count: 1, onto: 6160 },
        { action: 'place-object', aisleId: 6150, grams: 180 },
        { action: 'knock', aisleId: 6150 },
        {
          action: 'sensor-fault',
          aisleId: 5595,
          fault: 'drift',
          gramsPerMinute: 40,
        },
        { action: 'sensor-fault', aisleId: 5596, fault: 'dead' },
        { action: 'jam-lock' },
        { action: 'close-door' },
        { action: 'refuse-order', message: FailureMessage.riskControl },
        { action: 'refuse-order', message: FailureMessage.operationFailed },
        { action: 'refuse-order', message: 'any text' },
        { action: 'connection-fault', fault: { kind: 'drop' } },
        {
          action: 'connection-fault',
          fault: { kind: 'close', code: 4000, reason: 'bye' },
        },
        {
          action: 'connection-fault',
          fault: { kind: 'close', code: 1000, reason: '' },
        },
        {
          action: 'connection-fault',
          fault: { kind: 'delay-next-frame', ms: 120_000 },
        },
        {
          action: 'connection-fault',
          fault: { kind: 'duplicate-next-frame' },
        },
        { action: 'another-shopper' },
        { action: 'wait', ms: 250 },
      ],
      run: {
        cabinet: 'default',
        deviceNo: 'demo-cabinet',
        seed: '42',
        startTime: VENDOR_START,
        expect: {
          frames: [
            { type: 'door' },
            {
              type: 'update',
              amount: '2.43',
              items: [{ aisleId: 5595, quantity: 394, amount: '2.43' }],
            },
            {
              type: 'final',
              amount: '2.43',
              isCreditPay: '0',
              orderInfo: '',
              discounts: [{ name: '满减', amount: '0.50' }],
              afterMs: 5000,
              beforeMs: 10_000,
            },
            { type: 'failure', msg: '操作失败' },
          ],
          close: { code: 1000, reason: 'purchase finished' },
          order: { amount: '2.43', isCreditPay: '1' },
          otherShoppers: [
            {
              frames: [{ type: 'failure', msg: '设备正在使用中,请稍后再试' }],
              close: { code: 4001 },
            },
          ],
        },
      },
    };

    expect(
      parseScenarioText(fullFile, 'scenarios/every-field.yaml').scenario,
    ).toEqual(expected);
  });

  it('fills in the defaults of a file that gives only what it must', () => {
    const { scenario } = parseScenarioText(
      lines(
        'description: opens and closes',
        'timeline: [open-door, close-door]',
      ),
      'scenarios/open-close.yml',
    );

    expect(scenario).toEqual({
      name: 'open-close',
      description: 'opens and closes',
      file: 'scenarios/open-close.yml',
      payment: 'password-free',
      steps: [{ action: 'open-door' }, { action: 'close-door' }],
      run: {
        cabinet: 'default',
        seed: 'open-close',
        startTime: VENDOR_START,
        expect: {},
      },
    });
  });

  it('reads order: none as no order allowed', () => {
    const { scenario } = parseScenarioText(
      lines('description: d', 'timeline: []', 'expect: { order: none }'),
      'none.yaml',
    );

    expect(scenario.run?.expect).toEqual({ order: null });
  });

  it('knows where each step is written', () => {
    const loaded = parseScenarioText(fullFile, 'every-field.yaml');

    expect(loaded.positionOfStep(0)).toEqual({ line: 12, column: 5 });
    expect(loaded.positionOfStep(3)).toEqual({ line: 15, column: 5 });
  });

  it('reports a YAML syntax error at its place', () => {
    expect(
      failureOf(lines('description: "open and close', 'timeline: []')),
    ).toBe('x.yaml:3:1: not valid YAML: Missing closing "quote');
  });

  it('reports a key given twice at the second one', () => {
    expect(
      failureOf(lines('description: a', 'timeline: []', 'description: b')),
    ).toBe(
      'x.yaml:3:1: duplicate key "description"; a key may appear once in a map',
    );
  });

  it('names an unknown step, the known ones and the closest', () => {
    expect(
      failureOf(lines('description: d', 'timeline:', '  - opne-door')),
    ).toBe(
      'x.yaml:3:5: timeline[0]: unknown step "opne-door"; expected one of: open-door, close-door, unlock, jam-lock, drop-connection, duplicate-next-frame, another-shopper, wait-for-actions, wait, take, put-back, place-object, knock, sensor-fault, refuse-order, close-connection, delay-next-frame (did you mean "open-door"?)',
    );
    expect(
      failureOf(lines('description: d', 'timeline:', '  - tkae: { aisle: 1 }')),
    ).toMatch(
      /^x\.yaml:3:5: timeline\[0\]\.tkae: unknown step "tkae".*\(did you mean "take"\?\)$/,
    );
  });

  it('reports a value of the wrong type with its path', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline:',
          '  - open-door',
          '  - take: { aisle: 5595, grams: abc }',
        ),
      ),
    ).toBe(
      'x.yaml:4:33: timeline[1].take.grams: expected a whole number >= 1, found "abc"',
    );
  });

  it('asks for an amount written as a bare number to be quoted', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline: []',
          'expect:',
          '  order: { amount: 15.80 }',
        ),
      ),
    ).toBe(
      'x.yaml:4:20: expect.order.amount: expected a decimal string with two decimals, such as "2.43", found 15.80 unquoted; quote it as "15.80", because YAML reads 15.80 as 15.8',
    );
  });

  it('refuses a duration in a unit it does not know', () => {
    expect(
      failureOf(lines('description: d', 'timeline:', '  - wait: 2h')),
    ).toBe(
      'x.yaml:3:11: timeline[0].wait: expected a duration such as 1.5s, 500ms or 2min, or a number of milliseconds, found "2h"',
    );
  });

  it.each([1002, 1007, 3000, 4000 - 1, 5000])(
    'refuses close-connection code %i, which the server never sends',
    (code) => {
      expect(
        failureOf(
          lines(
            'description: d',
            'timeline:',
            `  - close-connection: { code: ${code} }`,
          ),
        ),
      ).toBe(
        `x.yaml:3:31: timeline[0].close-connection.code: expected 1000, 1001, 1008, 1009, 1011 or a whole number from 4000 to 4999, found ${code}`,
      );
    },
  );

  it.each([1000, 1001, 1008, 1009, 1011, 4000, 4999])(
    'accepts close-connection code %i',
    (code) => {
      expect(
        failureOf(
          lines(
            'description: d',
            'timeline:',
            `  - close-connection: { code: ${code} }`,
          ),
        ),
      ).toBe('no error');
    },
  );

  it('shows an unknown field of a pasted secret cut, as values are', () => {
    const key = `sk-live-${'0'.repeat(70)}`;

    expect(
      failureOf(lines('description: d', 'timeline: []', `${key}: 1`)),
    ).toBe(
      `x.yaml:3:1: ${key.slice(0, 60)}…: unknown field "${key.slice(0, 60)}…"; expected one of: $schema, name, description, cabinet, deviceNo, seed, startTime, payment, settle, models, timeline, expect`,
    );
  });

  it('names an unknown field and the fields allowed there', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline:',
          '  - knock: { aisle: 6150, gram: 9 }',
        ),
      ),
    ).toBe(
      'x.yaml:3:27: timeline[0].knock.gram: unknown field "gram"; expected one of: aisle, grams (did you mean "grams"?)',
    );
  });

  it('allows gramsPerMinute only with the drift fault', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline:',
          '  - sensor-fault: { aisle: 5595, fault: spikes, gramsPerMinute: 40 }',
        ),
      ),
    ).toBe(
      'x.yaml:3:49: timeline[0].sensor-fault.gramsPerMinute: allowed only when fault is "drift"; found fault "spikes"',
    );
  });

  it('asks for count or grams, and not both', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline:',
          '  - take: { aisle: 5595 }',
          '  - take: { aisle: 5595, count: 1, grams: 2 }',
        ),
      ),
    ).toBe(
      [
        'x.yaml:3:11: timeline[0].take: missing field "count" or "grams"',
        'x.yaml:4:11: timeline[1].take: give "count" or "grams", not more than one',
      ].join('\n'),
    );
  });

  it('reports every problem of a file, in the order they are written', () => {
    const err = (() => {
      try {
        parseScenarioText(
          lines('timeline:', '  - wait: soon', 'payment: cash', 'zz: 1'),
          'x.yaml',
        );
      } catch (err) {
        return err as ScenarioFileError;
      }
    })();

    expect(err?.code).toBe('EMU_ERR_SCENARIO_FILE');
    expect(err?.problems).toEqual([
      {
        file: 'x.yaml',
        line: 1,
        column: 1,
        path: '',
        message: 'missing field "description": expected a non-empty string',
      },
      {
        file: 'x.yaml',
        line: 2,
        column: 11,
        path: 'timeline[0].wait',
        message:
          'expected a duration such as 1.5s, 500ms or 2min, or a number of milliseconds, found "soon"',
      },
      {
        file: 'x.yaml',
        line: 3,
        column: 10,
        path: 'payment',
        message: 'expected one of: password-free, manual; found "cash"',
      },
      {
        file: 'x.yaml',
        line: 4,
        column: 1,
        path: 'zz',
        message:
          'unknown field "zz"; expected one of: $schema, name, description, cabinet, deviceNo, seed, startTime, payment, settle, models, timeline, expect',
      },
    ]);
  });

  it('shows 20 problems at most and counts the rest', () => {
    const steps = Array.from({ length: 25 }, () => '  - wait: never');
    const message = failureOf(lines('description: d', 'timeline:', ...steps));

    expect(message.split('\n')).toHaveLength(21);
    expect(message.split('\n').at(-1)).toBe('(5 more problems not shown)');
  });

  it('refuses a start time that does not exist', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline: []',
          'startTime: 2019-02-30 10:00:00',
        ),
      ),
    ).toBe(
      'x.yaml:3:12: startTime: expected a date and time that exists, found "2019-02-30 10:00:00"',
    );
  });

  it('wants one otherShoppers entry per another-shopper step', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline: [another-shopper]',
          'expect: { otherShoppers: [] }',
        ),
      ),
    ).toBe(
      'x.yaml:3:26: expect.otherShoppers: expected 1 entry, one per another-shopper step, found 0',
    );
  });

  it('refuses an empty file and a document that is not a map', () => {
    expect(failureOf('# nothing yet\n')).toBe(
      'x.yaml:1:1: the file is empty; expected a map of scenario fields such as description and timeline',
    );
    expect(failureOf(lines('- open-door'))).toBe(
      'x.yaml:1:1: expected a map of scenario fields such as description and timeline, found a list',
    );
  });

  it('needs a name when the file name is none', () => {
    expect(
      failureOf(lines('description: d', 'timeline: []'), 'My Scenario.yaml'),
    ).toBe(
      'My Scenario.yaml:1:1: the file name "My Scenario" is not a scenario name (lower-case letters, digits and hyphens); rename the file or give a name field',
    );
  });
});

describe('parseScenarioText: messages', () => {
  it('suggests quoting money at 2 decimals, prices at 5, flags as they are', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline: []',
          'expect:',
          '  frames:',
          '    - final:',
          '        amount: 3',
          '        isCreditPay: 1',
          '        discounts: [{ amount: 0.5 }]',
          '        items: [{ price: 7.9, amount: 2.435 }]',
        ),
      ).split('\n'),
    ).toEqual([
      'x.yaml:6:17: expect.frames[0].final.amount: expected a decimal string with two decimals, such as "2.43", found 3 unquoted; quote it as "3.00", because YAML reads unquoted decimals as numbers (15.80 as 15.8)',
      'x.yaml:7:22: expect.frames[0].final.isCreditPay: expected "0" or "1"; found 1 unquoted; quote it as "1"',
      'x.yaml:8:31: expect.frames[0].final.discounts[0].amount: expected a decimal string with two decimals, such as "2.43", found 0.5 unquoted; quote it as "0.50", because YAML reads unquoted decimals as numbers (15.80 as 15.8)',
      'x.yaml:9:26: expect.frames[0].final.items[0].price: expected a decimal string with five decimals, such as "7.90000", found 7.9 unquoted; quote it as "7.90000", because YAML reads unquoted decimals as numbers (15.80 as 15.8)',
      'x.yaml:9:39: expect.frames[0].final.items[0].amount: expected a decimal string with two decimals, such as "2.43", found 2.435, with more decimals than the 2 the wire writes',
    ]);
  });

  it('refuses quoted money and prices at another scale than the wire writes, which could never match', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline: []',
          'expect:',
          '  frames:',
          '    - final: { amount: "3.0", items: [{ price: "7.9" }] }',
        ),
      ).split('\n'),
    ).toEqual([
      'x.yaml:5:24: expect.frames[0].final.amount: expected a decimal string with two decimals, such as "2.43", found "3.0"',
      'x.yaml:5:48: expect.frames[0].final.items[0].price: expected a decimal string with five decimals, such as "7.90000", found "7.9"',
    ]);
  });

  it('speaks of JSON, not YAML, in a JSON file', () => {
    expect(
      failureOf(
        '{ "description": "d", "timeline": [], "expect": { "order": { "amount": 15.80 } } }\n',
        'x.json',
      ),
    ).toBe(
      'x.json:1:72: expect.order.amount: expected a decimal string with two decimals, such as "2.43", found 15.80 unquoted; quote it as "15.80", because JSON reads 15.80 as 15.8',
    );
  });

  it('reports a JSON syntax error as JSON, at its place', () => {
    expect(
      failureOf('{\n  "description": "d",\n  "timeline": [],\n}\n', 'x.json'),
    ).toBe('x.json:4:1: not valid JSON: Expected double-quoted property name');
    expect(
      failureOf('{\n  "description": tru,\n  "timeline": []\n}\n', 'x.json'),
    ).toBe("x.json:2:21: not valid JSON: Unexpected token ','");
  });

  it('says a file holds one document, not how the YAML library reads more', () => {
    expect(
      failureOf(lines('description: d', 'timeline: []', '---', 'seed: 1')),
    ).toBe(
      'x.yaml:3:1: a scenario file holds one document; found a second one at 3:1',
    );
  });
});

describe('parseScenarioText: what the schema cannot say', () => {
  it('refuses a frame whose after is later than its before', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline: []',
          'expect:',
          '  frames:',
          '    - door: { after: 10s, before: 5000 }',
          '    - final: { after: 5s, before: 5s }',
        ),
      ),
    ).toBe(
      'x.yaml:5:35: expect.frames[0].door.before: expected a time no earlier than after (10s), found 5000; no frame can arrive after 10s and before 5000',
    );
  });

  it('refuses a createTime that is no real time', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline: []',
          'expect:',
          '  frames:',
          '    - final: { createTime: "2019-02-30 10:00:00" }',
          '    - final: { createTime: "yesterday" }',
        ),
      ),
    ).toBe(
      [
        'x.yaml:5:28: expect.frames[0].final.createTime: expected a date and time that exists, found "2019-02-30 10:00:00"',
        'x.yaml:6:28: expect.frames[1].final.createTime: expected China time as "yyyy-MM-dd HH:mm:ss", found "yesterday"',
      ].join('\n'),
    );
  });

  it('refuses a start time outside the years a tradeNo can stamp', () => {
    const startingAt = (time: string) =>
      failureOf(
        lines('description: d', 'timeline: []', `startTime: "${time}"`),
      );

    expect(startingAt('2000-01-01 00:00:00')).toBe('no error');
    expect(startingAt('2099-12-31 23:59:59')).toBe('no error');
    expect(startingAt('1999-12-31 23:59:59')).toBe(
      'x.yaml:3:12: startTime: expected a time from 2000-01-01 00:00:00 to 2099-12-31 23:59:59, found "1999-12-31 23:59:59"; a tradeNo starts with the year\'s last two digits, so the emulator stamps no other years',
    );
    expect(startingAt('2100-01-01 00:00:00')).toMatch(
      /^x\.yaml:3:12: startTime: expected a time from 2000-01-01 00:00:00 to 2099-12-31 23:59:59, found "2100-01-01 00:00:00";/,
    );
  });

  it('wants a number of milliseconds to be whole', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'settle: 0.5',
          'timeline:',
          '  - wait: 1.5',
          '  - delay-next-frame: 2.25',
          '  - wait: 1.5s',
        ),
      ),
    ).toBe(
      [
        'x.yaml:2:9: settle: a number is milliseconds and must be whole; write 0.5s for seconds',
        'x.yaml:4:11: timeline[0].wait: a number is milliseconds and must be whole; write 1.5s for seconds',
        'x.yaml:5:23: timeline[1].delay-next-frame: a number is milliseconds and must be whole; write 2.25s for seconds',
      ].join('\n'),
    );
  });

  it('refuses a timeline whose waits and delays last over 60 minutes', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline:',
          '  - wait: 59min',
          '  - delay-next-frame: 60s',
        ),
      ),
    ).toBe('no error');
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline:',
          '  - wait: 59min',
          '  - delay-next-frame: 60s',
          '  - wait: 30s',
        ),
      ),
    ).toBe(
      'x.yaml:2:1: timeline: the timeline lasts 60.5 min; a scenario may last at most 60 minutes',
    );
  });

  it('refuses a close code that cannot be sent and a reason too long', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'timeline:',
          '  - close-connection: { code: 1005 }',
          `  - close-connection: { code: 4000, reason: ${'关'.repeat(42)} }`,
        ),
      ),
    ).toBe(
      [
        'x.yaml:3:31: timeline[0].close-connection.code: expected 1000, 1001, 1008, 1009, 1011 or a whole number from 4000 to 4999, found 1005',
        'x.yaml:4:45: timeline[1].close-connection.reason: expected at most 123 bytes of UTF-8, found 126',
      ].join('\n'),
    );
  });

  it('reports these beside the schema problems, all at once', () => {
    expect(
      failureOf(
        lines(
          'description: d',
          'startTime: "1990-01-01 00:00:00"',
          'timeline:',
          '  - opne-door',
          '  - close-connection: { code: 1005, reason: bye }',
          'expect:',
          '  frames: [{ door: { after: 2s, before: 1s } }]',
          '  order: { amount: 2.5 }',
        ),
      ).split('\n'),
    ).toEqual([
      expect.stringMatching(/^x\.yaml:2:12: startTime: expected a time from/),
      expect.stringMatching(
        /^x\.yaml:4:5: timeline\[0\]: unknown step "opne-door"/,
      ),
      expect.stringMatching(
        /^x\.yaml:5:31: timeline\[1\]\.close-connection\.code: expected 1000, 1001, 1008, 1009, 1011 or a whole number from 4000 to 4999, found 1005$/,
      ),
      expect.stringMatching(
        /^x\.yaml:7:41: expect\.frames\[0\]\.door\.before: expected a time no earlier than after/,
      ),
      expect.stringMatching(
        /^x\.yaml:8:20: expect\.order\.amount: expected a decimal string/,
      ),
    ]);
  });

  it('reports exactly the first 20 problems of 5,000 bad steps, and counts the rest', () => {
    const steps = Array.from({ length: 5000 }, () => '  - opne-door');
    const message = failureOf(lines('description: d', 'timeline:', ...steps));
    const shown = message.split('\n');

    expect(shown).toHaveLength(21);
    expect(shown[0]).toMatch(
      /^x\.yaml:3:5: timeline\[0\]: unknown step "opne-door"/,
    );
    expect(shown[19]).toMatch(
      /^x\.yaml:22:5: timeline\[19\]: unknown step "opne-door"/,
    );
    expect(shown[20]).toBe('(4980 more problems not shown)');
  });
});

describe('readScenarioFile', () => {
  it('reads JSON as well as YAML', () => {
    const file = join(dir, 'from-json.json');

    writeFileSync(
      file,
      JSON.stringify({
        description: 'written as JSON',
        timeline: ['open-door', { take: { aisle: 6140, count: 2 } }],
        expect: { order: { amount: '15.80' } },
      }),
    );

    expect(readScenarioFile(file).scenario).toEqual({
      name: 'from-json',
      description: 'written as JSON',
      file,
      payment: 'password-free',
      steps: [
        { action: 'open-door' },
        { action: 'take', aisleId: 6140, count: 2 },
      ],
      run: {
        cabinet: 'default',
        seed: 'from-json',
        startTime: VENDOR_START,
        expect: { order: { amount: '15.80' } },
      },
    });
  });

  it('reports a JSON problem at its line and column', () => {
    const file = join(dir, 'bad.json');

    writeFileSync(
      file,
      '{\n  "description": "d",\n  "timeline": [{ "wait": "1 s" }]\n}\n',
    );

    expect(() => readScenarioFile(file)).toThrow(
      `${file}:3:26: timeline[0].wait: expected a duration such as 1.5s, 500ms or 2min, or a number of milliseconds, found "1 s"`,
    );
  });

  it('refuses a file that is not UTF-8 before reading it as a scenario', () => {
    const file = join(dir, 'gbk.yaml');

    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('description: '),
        Buffer.from([0xb2, 0xd9, 0xd7, 0xf7]),
        Buffer.from('\ntimeline: []\n'),
      ]),
    );

    expect(() => readScenarioFile(file)).toThrow(
      `${file}:1:14: file is not UTF-8 (found byte 0xB2, as GBK or another legacy encoding writes); save it as UTF-8`,
    );
  });

  it('reads a UTF-8 file that starts with a byte-order mark', () => {
    const file = join(dir, 'with-bom.yaml');

    writeFileSync(file, '\uFEFFdescription: 操作失败\ntimeline: []\n');

    expect(readScenarioFile(file).scenario.description).toBe('操作失败');
  });

  it('names a file that is not there', () => {
    const file = join(dir, 'missing.yaml');

    expect(() => readScenarioFile(file)).toThrow(
      new ScenarioFileError([
        {
          file,
          line: 0,
          column: 0,
          path: '',
          message: 'cannot read the scenario file: no such file',
        },
      ]),
    );
    expect(() => readScenarioFile(file)).toThrow(
      `${file}: cannot read the scenario file: no such file`,
    );
  });
});

describe('fitScenario', () => {
  it("plays the README's complete example on the default cabinet", () => {
    const readme = readFileSync(
      fileURLToPath(new URL('../../scenarios/README.md', import.meta.url)),
      'utf8',
    );
    const example =
      /```yaml\n(# yaml-language-server[^`]*name: seed-fruit[^`]*)```/.exec(
        readme,
      );
    const loaded = parseScenarioText(example?.[1] ?? '', 'seed-fruit.yaml');

    expect(fitScenario(loaded, cabinet)).toHaveLength(5);
    expect(loaded.scenario.run?.expect.frames).toHaveLength(3);
  });

  it('returns the planned steps of a scenario the cabinet can play', () => {
    const loaded = parseScenarioText(
      lines(
        'description: d',
        'timeline:',
        '  - open-door',
        '  - take: { aisle: 5595, grams: 394 }',
        '  - close-door',
      ),
      'fruit.yaml',
    );

    expect(fitScenario(loaded, cabinet).map((step) => step.action)).toEqual([
      'open-door',
      'take',
      'close-door',
    ]);
  });

  it('reports an aisle the cabinet lacks at the aisle field that names it', () => {
    const loaded = parseScenarioText(
      lines(
        'description: d',
        'timeline:',
        '  - open-door',
        '  - wait: 1s',
        '  - take: { aisle: 1, count: 1 }',
        '  - close-door',
      ),
      'scenarios/x.yaml',
    );

    expect(() => fitScenario(loaded, cabinet)).toThrow(
      new ScenarioFileError([
        {
          file: 'scenarios/x.yaml',
          line: 5,
          column: 20,
          path: 'timeline[2].take.aisle',
          message: 'cabinet "default" has no aisle 1',
        },
      ]),
    );
    expect(() => fitScenario(loaded, cabinet)).toThrow(
      'scenarios/x.yaml:5:20: timeline[2].take.aisle: cabinet "default" has no aisle 1',
    );
  });

  it('reports a door left open at the last step', () => {
    const loaded = parseScenarioText(
      lines('description: d', 'timeline:', '  - open-door', '  - wait: 1s'),
      'open.yaml',
    );

    expect(() => fitScenario(loaded, cabinet)).toThrow(
      'open.yaml:4:5: timeline: the door is left open, so the purchase never ends; finish with close-door',
    );
  });

  it('reports every step the cabinet cannot play, at the field at fault', () => {
    const loaded = parseScenarioText(
      lines(
        'description: d',
        'timeline:',
        '  - open-door',
        '  - take: { aisle: 6140, count: 1 }',
        '  - put-back: { aisle: 6140, count: 1, onto: 2 }',
        '  - take: { aisle: 6140, grams: 5 }',
        '  - take: { aisle: 9, count: 1 }',
        '  - close-door',
        '  - close-door',
      ),
      'x.yaml',
    );

    expect(() => fitScenario(loaded, cabinet)).toThrow(
      [
        'x.yaml:5:46: timeline[2].put-back.onto: cabinet "default" has no aisle 2',
        'x.yaml:6:33: timeline[3].take.grams: aisle 6140 is counted: give count, not grams',
        'x.yaml:7:20: timeline[4].take.aisle: cabinet "default" has no aisle 9',
        'x.yaml:9:5: timeline[6]: close-door needs an open door',
      ].join('\n'),
    );
  });

  it('knows where any field is written, or the nearest thing there', () => {
    const loaded = parseScenarioText(fullFile, 'every-field.yaml');

    expect(loaded.positionOf(['timeline', 5, 'put-back', 'onto'])).toEqual({
      line: 17,
      column: 46,
    });
    expect(loaded.positionOf(['timeline', 7, 'knock', 'grams'])).toEqual({
      line: 19,
      column: 12,
    });
    expect(loaded.positionOf(['expect', 'close', 'reason'])).toEqual({
      line: 48,
      column: 32,
    });
  });
});
