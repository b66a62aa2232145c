import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_FIXTURES_DIR } from '../../src/config.js';
import type { RunningEmulator } from '../../src/index.js';
import { call, EventReader, Shopper } from './control-client.js';
import { converse, startQuietEmulator } from './conversation.js';
import { scratchFolder } from '../support/scratch-folder.js';

const DOOR = '{"msg":"","success":true,"type":"door"}';
const JSON_TYPE = 'application/json; charset=utf-8';

let emulator: RunningEmulator;
let scenarioDir: string;

const api = (method: string, path: string, body?: unknown) =>
  call(emulator.url, method, path, body);

beforeAll(async () => {
  // Scenario files named over the API are read only from the working
  // directory and the fixtures folder, so the test's files go in a copy of
  // the fixtures.
  scenarioDir = scratchFolder('control-api-');
  cpSync(BUNDLED_FIXTURES_DIR, scenarioDir, { recursive: true });
  emulator = await startQuietEmulator({
    scenario: 'empty',
    fixturesDir: scenarioDir,
  });
  writeFileSync(
    join(scenarioDir, 'shut.yaml'),
    'description: waits with the door unlocked\ntimeline: [wait-for-actions]\n',
  );
  writeFileSync(
    join(scenarioDir, 'nowhere.yaml'),
    'description: takes from an aisle no cabinet has\ntimeline:\n  - open-door\n  - take: { aisle: 1, count: 1 }\n  - close-door\n',
  );
});
afterAll(() => emulator.close());

/** Has `deviceNo` play `scenario`, then connects a shopper to it. */
async function shopAt(deviceNo: string, scenario = 'manual') {
  const assigned = await api('PUT', `/emulator/cabinets/${deviceNo}/scenario`, {
    scenario,
  });

  expect(assigned.status).toBe(200);

  const shopper = new Shopper(emulator.purchaseUrl({ deviceNo }));

  expect(await shopper.frame(0)).toBe(DOOR);
  return shopper;
}

describe('GET /emulator/cabinets', () => {
  it('lists the fixtures’ devices and demo-cabinet, at rest', async () => {
    const answer = await api('GET', '/emulator/cabinets');

    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(JSON_TYPE);
    expect(answer.body.cabinets.slice(0, 2)).toEqual([
      {
        deviceNo: 'demo-cabinet',
        fixture: 'default',
        door: 'locked',
        scenario: 'empty',
        scenarioAssigned: false,
        session: null,
      },
      {
        deviceNo: 'promo-cabinet',
        fixture: 'promotions',
        door: 'locked',
        scenario: 'empty',
        scenarioAssigned: false,
        session: null,
      },
    ]);
  });

  it('adds a device once it has had a session', async () => {
    await converse(emulator.purchaseUrl({ deviceNo: 'listed-later' }));

    const { body } = await api('GET', '/emulator/cabinets');

    expect(
      body.cabinets.map((c: { deviceNo: string }) => c.deviceNo),
    ).toContain('listed-later');
  });
});

describe('GET /emulator/cabinets/{deviceNo}', () => {
  it('shows a device with no session at rest, served by the default cabinet', async () => {
    const { status, body } = await api('GET', '/emulator/cabinets/nobody-here');

    expect(status).toBe(200);
    expect(body).toMatchObject({
      deviceNo: 'nobody-here',
      fixture: 'default',
      door: 'locked',
      scenario: 'empty',
      session: null,
      alarms: [],
      anomalies: [],
      basket: null,
    });
    expect(body.aisles).toHaveLength(9);
    expect(body.aisles[5]).toEqual({
      aisleId: 6150,
      shelf: 3,
      product: {
        id: 3501,
        name: '可口可乐330ml',
        typeName: '碳酸饮料',
        pricing: 'counted',
        price: '3.00',
        imageUrl: `${emulator.url}/upload/image/cola.jpg`,
      },
      stock: 24,
      held: 0,
      liveGrams: null,
    });
  });

  it('answers 404 for a path that holds no device number', async () => {
    const long = 'x'.repeat(65);

    expect(await api('GET', `/emulator/cabinets/${long}`)).toEqual({
      status: 404,
      contentType: JSON_TYPE,
      body: {
        statusCode: 404,
        error: 'Not Found',
        message: `not a device number: "${'x'.repeat(60)}…"; expected 1 to 64 characters, not only spaces`,
      },
    });
    expect((await api('GET', '/emulator/cabinets/%20')).body.message).toBe(
      'not a device number: ""; expected 1 to 64 characters, not only spaces',
    );
  });

  it('quotes no more than the first 60 characters of what it was sent', async () => {
    const pasted = '柜'.repeat(100_000);
    const { status, body } = await api(
      'PUT',
      '/emulator/cabinets/C-1/scenario',
      { scenario: pasted },
    );

    expect(status).toBe(404);
    expect(body.message).toMatch(
      new RegExp(`^unknown scenario "${'柜'.repeat(60)}…"; expected one of: `),
    );
  });

  it('drops spaces around a device number, as the purchase socket does', async () => {
    const { status, body } = await api('GET', '/emulator/cabinets/%20P-1%20');

    expect(status).toBe(200);
    expect(body.deviceNo).toBe('P-1');
  });

  it('takes a device number of 64 Chinese characters, and answers a longer one 404', async () => {
    const longest = '柜'.repeat(64);
    const tooLong = '柜'.repeat(300);
    const shown = await api(
      'GET',
      `/emulator/cabinets/${encodeURIComponent(longest)}`,
    );
    const refused = await api(
      'GET',
      `/emulator/cabinets/${encodeURIComponent(tooLong)}`,
    );

    expect([shown.status, shown.body.deviceNo]).toEqual([200, longest]);
    expect([refused.status, refused.body.error]).toEqual([404, 'Not Found']);
  });
});

describe('POST /emulator/cabinets/{deviceNo}/actions', () => {
  it('answers 409 when no purchase runs at the device', async () => {
    expect(
      (await api('POST', '/emulator/cabinets/idle/actions', 'open-door')).body,
    ).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message:
        'no purchase is running at device idle; connect a shopper to the purchase socket first',
    });
  });

  it.each([
    [
      { take: { aisle: 6150 } },
      'not a step: take: missing field "count" or "grams"',
    ],
    [
      { take: { aisle: 6150, count: 'two' } },
      'not a step: take.count: expected a whole number >= 1, found "two"',
    ],
    [
      { 'place-object': { aisle: 6150, grams: 1e9 } },
      'not a step: place-object.grams: expected a number > 0 and <= 20000, found 1000000000',
    ],
    [
      'opne-door',
      'not a step: unknown step "opne-door"; expected one of: open-door, close-door, unlock, jam-lock, drop-connection, duplicate-next-frame, another-shopper, wait-for-actions, wait, take, put-back, place-object, knock, sensor-fault, refuse-order, close-connection, delay-next-frame (did you mean "open-door"?)',
    ],
  ])(
    'answers 400 for %j with the scenario files’ message',
    async (body, message) => {
      expect(
        (await api('POST', '/emulator/cabinets/idle/actions', body)).body,
      ).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message,
      });
    },
  );

  it('answers 400 for a body that is not JSON', async () => {
    const response = await fetch(
      `${emulator.url}/emulator/cabinets/idle/actions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'open-door',
      },
    );
    const body = (await response.json()) as object;

    expect(response.status).toBe(400);
    expect(Object.keys(body)).toEqual(['statusCode', 'error', 'message']);
  });

  describe('on a running purchase', () => {
    let shopper: Shopper;

    beforeAll(async () => {
      shopper = await shopAt('refusals');
    });
    afterAll(async () => {
      await api('POST', '/emulator/cabinets/refusals/actions', 'close-door');
      await shopper.closed;
    });

    it.each([
      [{ take: { aisle: 1, count: 1 } }, 'cabinet "default" has no aisle 1'],
      [
        { take: { aisle: 6150, count: 25 } },
        'aisle 6150 has 24 left, cannot take 25',
      ],
      [
        { take: { aisle: 6150, grams: 25 } },
        'aisle 6150 is counted: give count, not grams',
      ],
      [
        { 'put-back': { aisle: 6150, count: 1 } },
        'aisle 6150: cannot put back 1; the shopper holds 0',
      ],
      ['open-door', 'the door is open already'],
      [{ wait: '1s' }, 'wait is a timeline step; an action is played at once'],
      [
        { 'delay-next-frame': '61min' },
        'delay-next-frame may delay a frame by at most 60 minutes, got 3660000 ms',
      ],
    ])('answers 422 for %j', async (body, message) => {
      expect(
        (await api('POST', '/emulator/cabinets/refusals/actions', body)).body,
      ).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message,
      });
    });
  });

  it("counts a waiting session's time as it passes, not only when something happens", async () => {
    const shopper = await shopAt('ticking');
    const elapsed = async () =>
      (await api('GET', '/emulator/cabinets/ticking')).body.session
        .elapsedMs as number;
    const first = await elapsed();

    await new Promise((resolve) => setTimeout(resolve, 200));

    const second = await elapsed();

    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    await api('POST', '/emulator/cabinets/ticking/actions', 'close-door');
    await shopper.closed;
  });

  it('answers 422 for goods behind a door that is not open', async () => {
    const shopper = await shopAt('shut', join(scenarioDir, 'shut.yaml'));
    const answer = await api('POST', '/emulator/cabinets/shut/actions', {
      take: { aisle: 6150, count: 1 },
    });

    expect([answer.status, answer.body.message]).toEqual([
      422,
      '"take" needs an open door; the door is unlocked',
    ]);
    await api('POST', '/emulator/cabinets/shut/actions', 'open-door');
    await api('POST', '/emulator/cabinets/shut/actions', 'close-door');
    expect(await shopper.closed).toEqual({
      code: 1000,
      reason: 'purchase finished',
    });
  });
});

describe('PUT and DELETE /emulator/cabinets/{deviceNo}/scenario', () => {
  it('sets the scenario of the next session, and DELETE gives the default back', async () => {
    expect(
      (
        await api('PUT', '/emulator/cabinets/chooser/scenario', {
          scenario: 'seed-fruit',
        })
      ).body,
    ).toEqual({
      deviceNo: 'chooser',
      scenario: 'seed-fruit',
      assigned: true,
    });
    expect((await api('GET', '/emulator/cabinets/chooser')).body.scenario).toBe(
      'seed-fruit',
    );
    expect(
      (await api('DELETE', '/emulator/cabinets/chooser/scenario')).body,
    ).toEqual({
      deviceNo: 'chooser',
      scenario: 'empty',
      assigned: false,
    });
  });

  it('answers 404 for an unknown scenario, naming the known ones', async () => {
    const { status, body } = await api(
      'PUT',
      '/emulator/cabinets/chooser/scenario',
      {
        scenario: 'nope',
      },
    );

    expect(status).toBe(404);
    expect(body.message).toMatch(
      /^unknown scenario "nope"; expected one of: buy-two-get-one-free, client-drops, .*, manual, /,
    );
  });

  it('answers 404 for a scenario file that does not exist', async () => {
    const file = join(scenarioDir, 'missing.yaml');

    expect(
      (
        await api('PUT', '/emulator/cabinets/chooser/scenario', {
          scenario: file,
        })
      ).body,
    ).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `${file}: cannot read the scenario file: no such file`,
    });
  });

  it('answers 422 for a scenario that does not fit the cabinet', async () => {
    const { status, body } = await api(
      'PUT',
      '/emulator/cabinets/chooser/scenario',
      {
        scenario: join(scenarioDir, 'nowhere.yaml'),
      },
    );

    expect([status, body.message]).toEqual([
      422,
      'scenario "nowhere": step 2: cabinet "default" has no aisle 1',
    ]);
  });

  it('answers 403 for a file outside the working directory and the fixtures', async () => {
    const outside = scratchFolder('control-api-outside-');
    const file = join(outside, 'shut.yaml');

    writeFileSync(file, 'description: x\ntimeline: [wait-for-actions]\n');
    for (const scenario of [file, '/etc/passwd', `${scenarioDir}/../x.yaml`]) {
      const { status, body } = await api(
        'PUT',
        '/emulator/cabinets/chooser/scenario',
        { scenario },
      );

      expect([scenario, status]).toEqual([scenario, 403]);
      expect(body.message).toContain('only scenario files inside');
    }
  });

  it('answers 403 for hidden files and files that are not scenario files, without quoting them', async () => {
    mkdirSync(join(scenarioDir, '.secrets'), { recursive: true });
    writeFileSync(join(scenarioDir, '.env'), 'API_KEY=hunter2\n');
    writeFileSync(
      join(scenarioDir, '.secrets', 'x.yaml'),
      'API_KEY: hunter2\n',
    );
    writeFileSync(join(scenarioDir, 'notes.txt'), 'API_KEY=hunter2\n');

    for (const [name, message] of [
      ['.env', 'hidden files and folders'],
      ['.secrets/x.yaml', 'hidden files and folders'],
      ['notes.txt', 'only .yaml, .yml and .json files'],
    ] as const) {
      const { status, body } = await api(
        'PUT',
        '/emulator/cabinets/chooser/scenario',
        { scenario: join(scenarioDir, name) },
      );

      expect([name, status]).toEqual([name, 403]);
      expect(body.message).toContain(message);
      expect(body.message).not.toContain('hunter2');
    }
  });

  it('answers 422 for a pipe or an oversized file in the fixtures, without reading it', async () => {
    const pipe = join(scenarioDir, 'pipe.yaml');
    const large = join(scenarioDir, 'large.yaml');

    execFileSync('mkfifo', [pipe]);
    writeFileSync(large, `description: ${'x'.repeat(1024 * 1024)}\n`);

    const fromPipe = await api('PUT', '/emulator/cabinets/chooser/scenario', {
      scenario: pipe,
    });
    const fromLarge = await api('PUT', '/emulator/cabinets/chooser/scenario', {
      scenario: large,
    });

    expect([fromPipe.status, fromPipe.body.message]).toEqual([
      422,
      `${pipe}: cannot read the scenario file: it is not a regular file (a device, a pipe or a socket)`,
    ]);
    expect([fromLarge.status, fromLarge.body.message]).toEqual([
      422,
      `${large}: cannot read the scenario file: it is 1048590 bytes; a scenario file is at most 1048576 (1 MiB)`,
    ]);
  });

  it('quotes at most 60 characters of what it found', async () => {
    const file = join(scenarioDir, 'prose.yaml');

    writeFileSync(file, `${'lorem ipsum '.repeat(50)}\n`);

    const { status, body } = await api(
      'PUT',
      '/emulator/cabinets/chooser/scenario',
      { scenario: file },
    );

    expect(status).toBe(422);
    expect(body.message).toBe(
      `${file}:1:1: expected a map of scenario fields such as description and timeline, found "${'lorem ipsum '.repeat(5)}…"`,
    );
  });

  it('answers 400 for a body without a scenario', async () => {
    const { status, body } = await api(
      'PUT',
      '/emulator/cabinets/chooser/scenario',
      {},
    );

    expect([status, body.error]).toEqual([400, 'Bad Request']);
    expect(body.message).toBe("body must have required property 'scenario'");
  });

  it('answers 400 for a scenario that is not a string, without reading it as one', async () => {
    const { status, body } = await api(
      'PUT',
      '/emulator/cabinets/chooser/scenario',
      { scenario: 123 },
    );

    expect([status, body.message]).toEqual([
      400,
      'body/scenario must be string',
    ]);
  });
});

describe('requests from pages of other sites', () => {
  it('refuses a change asked by another origin, and a plain-text body', async () => {
    const url = `${emulator.url}/emulator/tokens`;
    const fromElsewhere = await fetch(url, {
      method: 'POST',
      headers: {
        origin: 'http://shop.example',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    const plainText = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    const sameOrigin = await fetch(url, {
      method: 'POST',
      headers: { origin: emulator.url, 'content-type': 'application/json' },
      body: '{}',
    });

    expect([fromElsewhere.status, await fromElsewhere.json()]).toEqual([
      403,
      {
        statusCode: 403,
        error: 'Forbidden',
        message:
          'the control API does not take requests from pages of another origin (http://shop.example)',
      },
    ]);
    expect(plainText.status).toBe(415);
    expect(sameOrigin.status).toBe(201);
  });

  it('still answers a look from another origin', async () => {
    const look = await fetch(`${emulator.url}/emulator/cabinets`, {
      headers: { origin: 'http://shop.example' },
    });

    expect(look.status).toBe(200);
  });
});

describe('tokens', () => {
  it('mints a token that expires after ttlSeconds', async () => {
    const before = Date.now();
    const { status, body } = await api('POST', '/emulator/tokens', {
      ttlSeconds: 60,
    });

    expect(status).toBe(201);
    expect(body.token).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(body.expiresAt) - before).toBeGreaterThanOrEqual(60_000);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it('revokes a token once: 204, then 404', async () => {
    const { body } = await api('POST', '/emulator/tokens');

    expect((await api('DELETE', `/emulator/tokens/${body.token}`)).status).toBe(
      204,
    );
    expect(
      (await api('DELETE', `/emulator/tokens/${body.token}`)).body,
    ).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `no live token "${body.token}"`,
    });
  });

  it('answers 400 for a ttlSeconds out of range', async () => {
    const { status, body } = await api('POST', '/emulator/tokens', {
      ttlSeconds: 0,
    });

    expect([status, body.message]).toEqual([
      400,
      'body/ttlSeconds must be >= 1',
    ]);
  });

  it('answers 400 for a field it does not know, naming it', async () => {
    const { status, body } = await api('POST', '/emulator/tokens', {
      ttl: 60,
    });

    expect([status, body.message]).toEqual([
      400,
      'body must NOT have additional properties: "ttl"',
    ]);
  });

  it('lets any token in without --strict-tokens', async () => {
    const { frames } = await converse(
      emulator.purchaseUrl({ token: 'never-minted', deviceNo: 'lax' }),
    );

    expect(frames[0]).toBe(DOOR);
  });
});

describe('sessions and orders', () => {
  it('keeps what the shopper was sent, and the order', async () => {
    const shopper = await shopAt('recorded');

    await api('POST', '/emulator/cabinets/recorded/actions', {
      take: { aisle: 6151, count: 1 },
    });
    await shopper.frame(1);
    await api('POST', '/emulator/cabinets/recorded/actions', 'close-door');
    await shopper.closed;

    const { body: list } = await api('GET', '/emulator/sessions');
    const summary = list.sessions[0];

    expect(summary).toMatchObject({
      deviceNo: 'recorded',
      scenario: 'manual',
      end: 'order-made',
    });

    const { body: session } = await api(
      'GET',
      `/emulator/sessions/${summary.id}`,
    );

    expect(
      session.transcript.map((entry: { frame: string }) => entry.frame),
    ).toEqual(shopper.frames);
    expect(
      session.transcript.map((entry: { direction: string }) => entry.direction),
    ).toEqual(['out', 'out', 'out']);

    const { body: orders } = await api('GET', '/emulator/orders');

    expect(orders.orders[0]).toMatchObject({
      tradeNo: summary.tradeNo,
      deviceNo: 'recorded',
      amount: '2.00',
      paymentMode: 'password-free',
      paid: true,
      discounts: [],
    });
    expect(orders.orders[0].lines).toEqual([
      {
        aisleId: 6151,
        productId: 3502,
        name: '农夫山泉饮用天然水550ml',
        quantity: 1,
        quantityUnit: '件',
        price: '2.00000',
        amount: '2.00',
      },
    ]);
  });

  it('answers 404 for a session it does not keep', async () => {
    expect((await api('GET', '/emulator/sessions/nope')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message:
        'no session "nope" is kept; GET /emulator/sessions lists those that are',
    });
  });
});

describe('GET /emulator/events', () => {
  it('streams a session as it happens, over a real HTTP connection', async () => {
    const reader = await EventReader.open(`${emulator.url}/emulator/events`);

    expect(reader.response.headers['content-type']).toBe(
      'text/event-stream; charset=utf-8',
    );

    const shopper = await shopAt('streamed');

    await api('POST', '/emulator/cabinets/streamed/actions', {
      take: { aisle: 6150, count: 1 },
    });
    await shopper.frame(1);
    // Readings are looked at every 250 ms of wall time, which at --speed 20
    // may be after the door has closed.
    await reader.next('weights', 'streamed');
    await api('POST', '/emulator/cabinets/streamed/actions', 'close-door');
    await reader.next('session-ended', 'streamed');
    reader.close();

    const mine = reader.events.filter(
      ({ data }) => (data as { deviceNo?: string }).deviceNo === 'streamed',
    );

    expect(
      mine
        .filter(({ event }) => event !== 'weights')
        .map(({ event, data }) =>
          event === 'door'
            ? `door ${(data as { state: string }).state}`
            : event,
        ),
    ).toEqual([
      'scenario-assigned',
      'session-started',
      'door unlocking',
      'door unlocked',
      'frame',
      'door open',
      'frame',
      'door closed',
      'door locked',
      'order',
      'frame',
      'session-ended',
    ]);
    expect(mine.some(({ event }) => event === 'weights')).toBe(true);
    expect(reader.comments[0]).toBe('cabinet-emulator events');
    const streamed = mine.find(({ event }) => event === 'order')!.data as {
      tradeNo: string;
    };
    const { body } = await api('GET', '/emulator/orders');

    expect(streamed).toMatchObject({ amount: '3.00' });
    // The same view as the list's.
    expect(
      body.orders.find(
        (order: { tradeNo: string }) => order.tradeNo === streamed.tradeNo,
      ),
    ).toEqual(streamed);
  });
});

describe('a method a route does not take', () => {
  it.each([
    ['DELETE', '/emulator/orders', 'GET, HEAD'],
    ['GET', '/emulator/cabinets/C-1/actions', 'POST'],
    ['PATCH', '/emulator/cabinets/C-1/scenario', 'DELETE, PUT'],
    ['POST', '/api/ssib/advert/ws/D', 'GET, HEAD'],
    ['DELETE', '/dashboard/scenarios', 'GET, HEAD'],
  ])('%s %s answers 405 with Allow: %s', async (method, path, allow) => {
    const response = await fetch(emulator.url + path, { method });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(await response.json()).toEqual({
      statusCode: 405,
      error: 'Method Not Allowed',
      message: `${method} is not allowed on ${path}; use ${allow.replaceAll(', ', ' or ')}`,
    });
  });

  it('answers a path that is not valid percent-encoding in the one error shape', async () => {
    expect(await api('GET', '/emulator/cabinets/%zz')).toEqual({
      status: 400,
      contentType: JSON_TYPE,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: "'/emulator/cabinets/%zz' is not a valid url component",
      },
    });
  });

  it('leaves a path no route has to the 404', async () => {
    expect(await api('GET', '/emulator/nothing')).toMatchObject({
      status: 404,
      body: { message: 'no route for GET /emulator/nothing' },
    });
  });
});

describe('HEAD /emulator/events', () => {
  it('answers with the headers of the stream and ends', async () => {
    const response = await fetch(`${emulator.url}/emulator/events`, {
      method: 'HEAD',
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'text/event-stream; charset=utf-8',
    );
    expect(await response.text()).toBe('');
  });
});

describe('the OpenAPI document and its page', () => {
  it('describes every control route', async () => {
    const { status, body } = await api('GET', '/emulator/openapi.json');

    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths).sort()).toEqual([
      '/emulator/cabinets',
      '/emulator/cabinets/{deviceNo}',
      '/emulator/cabinets/{deviceNo}/actions',
      '/emulator/cabinets/{deviceNo}/scenario',
      '/emulator/events',
      '/emulator/orders',
      '/emulator/sessions',
      '/emulator/sessions/{id}',
      '/emulator/tokens',
      '/emulator/tokens/{token}',
    ]);
  });

  it('serves swagger-ui from its own files, with or without the slash', async () => {
    const bare = await fetch(`${emulator.url}/emulator/docs`, {
      redirect: 'manual',
    });

    expect([bare.status, bare.headers.get('location')]).toEqual([
      301,
      '/emulator/docs/',
    ]);

    const page = await fetch(`${emulator.url}/emulator/docs/`);
    const html = await page.text();

    expect(page.status).toBe(200);
    expect(html).toContain('swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);

    // Every script and stylesheet the page links resolves from its address.
    const links = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(
      (match) => new URL(String(match[1]), page.url).href,
    );

    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const link of links) {
      expect([link, (await fetch(link)).status]).toEqual([link, 200]);
    }
  });
});

describe('--strict-tokens', () => {
  let strict: RunningEmulator;

  beforeAll(async () => {
    strict = await startQuietEmulator({
      scenario: 'empty',
      strictTokens: true,
    });
  });
  afterAll(() => strict.close());

  it('refuses a token it did not mint with a failure frame and 1008', async () => {
    const { frames, closeCode, closeReason } = await converse(
      strict.purchaseUrl({ token: 'made-up' }),
    );

    expect(frames).toEqual([
      '{"msg":"登录已过期,请重新扫码","success":false,"type":"failure"}',
    ]);
    expect([closeCode, closeReason]).toEqual([
      1008,
      'token not minted by this emulator, expired or revoked',
    ]);
  });

  it('lets a minted token in, and refuses it once revoked', async () => {
    const { body } = await call(strict.url, 'POST', '/emulator/tokens');
    const url = strict.purchaseUrl({ token: body.token, deviceNo: 'strict' });

    expect((await converse(url)).frames[0]).toBe(DOOR);
    await call(strict.url, 'DELETE', `/emulator/tokens/${body.token}`);
    expect((await converse(url)).closeCode).toBe(1008);
  });
});
