import { describe, expect, it } from 'vitest';
import { loadCabinetDirectory } from '../catalogue/load-cabinets.js';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import { ActionRefusedError } from '../errors.js';
import { REALISTIC_DOOR } from '../physics/door.js';
import {
  createRealisticLoadCell,
  REALISTIC_LOAD_CELL,
} from '../physics/load-cell.js';
import { BUILTIN_MODELS, type ModelRegistry } from '../physics/models.js';
import { FailureMessage } from '../protocol/failure-messages.js';
import {
  finalFrame,
  updateFrame,
  type FrameStyle,
} from '../protocol/frames.js';
import { bundledScenarios } from '../scenario/scenario-catalogue.js';
import type { Scenario, ScenarioStep } from '../scenario/scenario.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { CabinetFleet } from './cabinet-fleet.js';
import type { SessionEvent } from './purchase-session.js';

const directory = loadCabinetDirectory(BUNDLED_FIXTURES_DIR);
const bundled = Object.fromEntries(
  bundledScenarios().map((scenario) => [scenario.name, scenario]),
);
const START = Date.UTC(2019, 9, 11, 6, 45, 10);
const style: FrameStyle = {
  successAsString: false,
  imageAddress: (name) => `/upload/image/${name}`,
  pageAddress: (path) => `http://127.0.0.1:8080${path}`,
};

// A cabinet in a busy shop: five times the noise, a drift of grams a minute.
const noisyModels: ModelRegistry = {
  doors: BUILTIN_MODELS.doors,
  loadCells: new Map([
    ...BUILTIN_MODELS.loadCells,
    [
      'noisy',
      (random) =>
        createRealisticLoadCell(random, {
          ...REALISTIC_LOAD_CELL,
          noiseGrams: 0.6,
          driftGramsPerMinute: 3,
        }),
    ],
  ]),
};

interface Played {
  events: Array<{ at: number; event: SessionEvent }>;
  frames: string[];
  end: Promise<string>;
  clock: VirtualClock;
}

/** Plays `scenario` at one device in virtual time, to the end. */
function play(
  scenario: Scenario,
  seed = 'test',
  models = BUILTIN_MODELS,
  deviceNo = 'D-1',
): Played {
  const clock = new VirtualClock(START);
  const fleet = new CabinetFleet({
    directory,
    models,
    clock,
    speed: 1,
    rounding: 'half-up',
    seed,
    defaultScenario: scenario,
  });
  const session = fleet.openSession(deviceNo);
  const events: Played['events'] = [];
  const frames: string[] = [];

  session.subscribe((event) => {
    // Door states have tests of their own; the summaries follow the frames.
    if (event.kind === 'door-changed') return;
    events.push({ at: clock.now() - START, event });
    if (event.kind === 'basket-changed')
      frames.push(updateFrame(event.basket, style));
    if (event.kind === 'order-made')
      frames.push(finalFrame(event.order, style));
  });
  session.start();
  clock.runAll();

  return { events, frames, end: session.ended, clock };
}

function summary({ event }: { event: SessionEvent }): string {
  switch (event.kind) {
    case 'basket-changed':
      return `update ${event.basket.amount.toFixed(2)}`;
    case 'order-made':
      return `order ${event.order.amount.toFixed(2)}`;
    case 'failed':
      return `failed ${event.message}`;
    case 'anomaly':
      return `anomaly ${event.anomaly.kind} on ${event.anomaly.aisleId}`;
    default:
      return event.kind;
  }
}

const scenario = (
  name: string,
  steps: ScenarioStep[],
  extra: Partial<Scenario> = {},
): Scenario => ({
  name,
  description: name,
  steps,
  ...extra,
});

describe('PurchaseSession on the realistic cabinet', () => {
  it('plays the happy path: door, four basket updates, then the order, in under 15 s', async () => {
    const { events } = play(bundled['happy-path']!);

    expect(events.map(summary)).toEqual([
      'door-opened',
      'update 4.84',
      'update 7.84',
      'update 15.34',
      'update 7.84',
      'order 7.84',
    ]);
    expect(events.at(-1)!.at).toBeLessThan(15_000);
  });

  it.each(Object.values(bundled))(
    'gives the same events for $name under 100 different seeds',
    (builtin) => {
      const expected = play(builtin, 'seed 0').events.map(summary);

      for (let seed = 1; seed < 100; seed++) {
        expect(play(builtin, `seed ${seed}`).events.map(summary)).toEqual(
          expected,
        );
      }
    },
  );

  it('still counts exactly what was taken on a noisy, drifting cabinet', () => {
    const shopping = scenario(
      'noisy',
      [
        { action: 'open-door' },
        { action: 'wait', ms: 2000 },
        { action: 'take', aisleId: 6140, count: 3 },
        { action: 'wait', ms: 20_000 },
        { action: 'take', aisleId: 6150, count: 2 },
        { action: 'wait', ms: 20_000 },
        { action: 'put-back', aisleId: 6140, count: 1 },
        { action: 'wait', ms: 20_000 },
        { action: 'close-door' },
      ],
      { models: { loadCell: 'noisy' } },
    );

    for (let seed = 0; seed < 50; seed++) {
      expect(
        play(shopping, `noisy ${seed}`, noisyModels).events.map(summary),
      ).toEqual([
        'door-opened',
        'update 23.70',
        'update 29.70',
        'update 21.80',
        'order 21.80',
      ]);
    }
  });

  it('stamps tradeNo at the start and createTime when the order is made', () => {
    const { events } = play(bundled['seed-yoghurt']!);
    const last = events.at(-1)!;

    expect(last.event.kind).toBe('order-made');
    if (last.event.kind !== 'order-made') return;
    expect(last.event.order.tradeNo).toMatch(/^191011144510\d{8}$/);
    expect(last.event.order.createdAt).toBe(START + last.at);
    expect(last.event.order.creditPay).toBe(true);
  });

  it('replays byte for byte from the same seed, tradeNo included', () => {
    const first = play(bundled['happy-path']!, 'replay').frames;
    const second = play(bundled['happy-path']!, 'replay').frames;
    const other = play(bundled['happy-path']!, 'another').frames;

    expect(second).toEqual(first);
    expect(first).toHaveLength(5);
    expect(other.at(-1)).not.toEqual(first.at(-1));
  });
});

describe('discounts', () => {
  const threeColas = scenario('three colas', [
    { action: 'open-door' },
    { action: 'wait', ms: 1500 },
    { action: 'take', aisleId: 6150, count: 3 },
    { action: 'wait', ms: 2000 },
    { action: 'close-door' },
  ]);

  it('takes the free cola off an order of 3 on the promotions cabinet, not off the update', () => {
    const { events, frames } = play(
      threeColas,
      'test',
      BUILTIN_MODELS,
      'promo-cabinet',
    );

    expect(events.map(summary)).toEqual([
      'door-opened',
      'update 9.00',
      'order 6.00',
    ]);
    expect(frames[0]).toMatch(/^\{"data":\{"amount":9\.00,"list":/);
    expect(frames[1]).toMatch(
      /^\{"data":\{"amount":6\.00,"tradeNo":"\d{20}","isCreditPay":"1","discounts":\[\{"amount":3\.00,"name":"可口可乐 买二送一","type":"buy-get-free"\}\],"createTime":/,
    );
  });

  it('charges all 3 colas on a cabinet without rules', () => {
    const { events } = play(threeColas);

    expect(events.map(summary)).toEqual([
      'door-opened',
      'update 9.00',
      'order 9.00',
    ]);
    const order = events.at(-1)!.event;

    expect(order.kind === 'order-made' && order.order.discounts).toEqual([]);
  });
});

describe('the door', () => {
  it('relocks a door nobody opened after 30 s, and nothing is bought', async () => {
    const { events, end } = play(scenario('never opened', []));

    expect(events.map(summary)).toEqual(['door-opened', 'nothing-bought']);
    expect(events[1]!.at - events[0]!.at).toBe(
      REALISTIC_DOOR.unopenedTimeoutMs,
    );
    expect(await end).toBe('nothing-bought');
  });

  it('raises an alarm for a door left open, and the purchase goes on', () => {
    const { events } = play(
      scenario('left open', [
        { action: 'open-door' },
        { action: 'wait', ms: 1000 },
        { action: 'take', aisleId: 6150, count: 1 },
        { action: 'wait', ms: 150_000 },
        { action: 'close-door' },
      ]),
    );

    expect(events.map(summary)).toEqual([
      'door-opened',
      'update 3.00',
      'alarm',
      'order 3.00',
    ]);
  });

  it('fails with 操作失败 when the lock is jammed', async () => {
    const { events, end } = play(bundled['jammed-lock']!);

    expect(events.map(summary)).toEqual([
      `failed ${FailureMessage.operationFailed}`,
    ]);
    expect(events[0]!.at).toBe(REALISTIC_DOOR.unlockTimeoutMs);
    expect(await end).toBe('failed');
  });
});

describe('what the firmware cannot explain', () => {
  const around = (...middle: ScenarioStep[]): ScenarioStep[] => [
    { action: 'open-door' },
    { action: 'wait', ms: 1500 },
    ...middle,
    { action: 'wait', ms: 3000 },
    { action: 'close-door' },
  ];

  it('charges an item put back on the wrong aisle and records an anomaly there', () => {
    const { events } = play(
      scenario(
        'wrong aisle',
        around(
          { action: 'take', aisleId: 6140, count: 1 },
          { action: 'wait', ms: 3000 },
          { action: 'put-back', aisleId: 6140, count: 1, onto: 6161 },
        ),
      ),
    );

    expect(events.map(summary)).toEqual([
      'door-opened',
      'update 7.90',
      'anomaly unexplained-change on 6161',
      'order 7.90',
    ]);
  });

  it('does not charge a foreign object, and records it', () => {
    const { events } = play(
      scenario(
        'foreign object',
        around({ action: 'place-object', aisleId: 6150, grams: 57 }),
      ),
    );

    expect(events.map(summary)).toEqual([
      'door-opened',
      'anomaly unexplained-change on 6150',
      'nothing-bought',
    ]);
  });

  it('sends no phantom update for a burst of spikes or a knock', () => {
    const { events } = play(
      scenario(
        'spikes and knocks',
        around(
          { action: 'sensor-fault', aisleId: 6140, fault: 'spikes' },
          { action: 'knock', aisleId: 6150, grams: 400 },
          { action: 'wait', ms: 3000 },
          { action: 'take', aisleId: 6141, count: 1 },
        ),
      ),
    );

    expect(events.map(summary)).toEqual([
      'door-opened',
      'update 3.50',
      'order 3.50',
    ]);
  });

  it('cannot charge what a dead cell does not weigh, and says the cell is dead', () => {
    const { events } = play(
      scenario(
        'dead cell',
        around(
          { action: 'sensor-fault', aisleId: 6140, fault: 'dead' },
          { action: 'take', aisleId: 6140, count: 1 },
          { action: 'take', aisleId: 6150, count: 1 },
        ),
      ),
    );

    expect(events.map(summary)).toEqual([
      'door-opened',
      'anomaly no-reading on 6140',
      'update 3.00',
      'order 3.00',
    ]);
  });

  it('cannot see what is taken from a stuck cell', () => {
    const { events } = play(
      scenario(
        'stuck cell',
        around(
          { action: 'sensor-fault', aisleId: 6140, fault: 'stuck' },
          { action: 'take', aisleId: 6140, count: 2 },
        ),
      ),
    );

    expect(events.map(summary)).toEqual(['door-opened', 'nothing-bought']);
  });
});

describe('a model that misbehaves', () => {
  const faultyModels = (
    read: (grams: number, calls: number) => unknown,
  ): ModelRegistry => ({
    doors: BUILTIN_MODELS.doors,
    loadCells: new Map([
      ...BUILTIN_MODELS.loadCells,
      [
        'faulty',
        () => {
          let calls = 0;

          return {
            read: (grams: number) => read(grams, ++calls) as number,
            knock: () => undefined,
            fail: () => undefined,
          };
        },
      ],
    ]),
  });
  const shopping = scenario(
    'with a faulty cell',
    [
      { action: 'open-door' },
      { action: 'wait', ms: 1500 },
      { action: 'take', aisleId: 6150, count: 1 },
      { action: 'wait', ms: 3000 },
      { action: 'close-door' },
    ],
    { models: { loadCell: 'faulty' } },
  );

  it('ends the purchase with the reasonless failure when a model throws, and reports the fault', async () => {
    const { events, end } = play(
      shopping,
      'fault',
      faultyModels((grams, calls) => {
        if (calls > 20) throw new Error('cell on fire');
        return grams;
      }),
    );

    expect(events.map(summary)).toEqual(['door-opened', 'fault', 'failed ']);
    expect(events[1]!.event).toMatchObject({
      kind: 'fault',
      error: new Error('cell on fire'),
      aisleId: 6150,
    });
    expect(await end).toBe('failed');
  });

  it('reads an untouched aisle once, at the start, and the touched one until it settles', () => {
    const readsOf = new Map<number, number>();
    const countingModels: ModelRegistry = {
      doors: BUILTIN_MODELS.doors,
      loadCells: new Map([
        ...BUILTIN_MODELS.loadCells,
        [
          'faulty',
          () => {
            let firstGrams: number | undefined;

            return {
              // The cell learns its aisle from the load it first carries.
              read: (grams: number) => {
                firstGrams ??= grams;
                readsOf.set(firstGrams, (readsOf.get(firstGrams) ?? 0) + 1);
                return grams;
              },
              knock: () => undefined,
              fail: () => undefined,
            };
          },
        ],
      ]),
    };
    const { events } = play(shopping, 'counting', countingModels);
    const counts = [...readsOf.values()].sort((a, b) => a - b);

    expect(events.map(summary)).toEqual([
      'door-opened',
      'update 3.00',
      'order 3.00',
    ]);
    // Nine aisles of distinct loads; eight were never touched.
    expect(counts).toHaveLength(directory.defaultCabinet.aisles.size);
    expect(counts.slice(0, -1)).toEqual(Array(counts.length - 1).fill(1));
    expect(counts.at(-1)).toBeGreaterThan(20);
    expect(counts.at(-1)).toBeLessThan(80);
  });

  it('takes readings that are not finite numbers for no reading at all', () => {
    const { events } = play(
      shopping,
      'nonsense',
      faultyModels(() => 'heavy'),
    );

    // Five missed readings (half a second) make a cell dead, before the lock opens.
    expect(events.map(summary)).toEqual([
      ...[...directory.defaultCabinet.aisles.keys()].map(
        (id) => `anomaly no-reading on ${id}`,
      ),
      'door-opened',
      'nothing-bought',
    ]);
  });
});

describe('cancel', () => {
  it('stops the session where it is; nothing more is sent', async () => {
    const clock = new VirtualClock(START);
    const fleet = new CabinetFleet({
      directory,
      models: BUILTIN_MODELS,
      clock,
      speed: 1,
      rounding: 'half-up',
      seed: 'cancel',
      defaultScenario: bundled['happy-path']!,
    });
    const session = fleet.openSession('D-1');
    const kinds: string[] = [];

    session.subscribe((event) => {
      if (event.kind !== 'door-changed') kinds.push(event.kind);
    });
    session.start();
    clock.advance(5000);
    session.cancel();
    clock.runAll();

    expect(kinds).toEqual(['door-opened', 'basket-changed']);
    expect(await session.ended).toBe('cancelled');
    expect(clock.pendingTimers).toBe(0);
    expect(fleet.sessionAt('D-1')).toBeUndefined();
  });
});

describe('#act', () => {
  /** A session of the manual scenario at its door, waiting for actions. */
  function manualSession(
    steps: readonly ScenarioStep[] = bundled['manual']!.steps,
  ) {
    const clock = new VirtualClock(START);
    const fleet = new CabinetFleet({
      directory,
      models: BUILTIN_MODELS,
      clock,
      speed: 1,
      rounding: 'half-up',
      seed: 'act',
      defaultScenario: scenario('by hand', [...steps]),
    });
    const session = fleet.openSession('D-1');
    const events: string[] = [];
    const doors: string[] = [];

    session.subscribe((event) => {
      if (event.kind === 'door-changed') doors.push(event.state);
      else if (event.kind === 'step-skipped')
        events.push(`skipped ${event.stepIndex}: ${event.problem}`);
      else events.push(summary({ event }));
    });
    session.start();
    clock.advance(2000);

    return { session, clock, events, doors };
  }

  it('plays a purchase step by step: take, put back, close, order', async () => {
    const { session, clock, events, doors } = manualSession();

    expect(session.waitingForActions).toBe(true);
    session.act({ action: 'take', aisleId: 6150, count: 2 });
    clock.advance(3000);
    session.act({ action: 'put-back', aisleId: 6150, count: 1 });
    clock.advance(3000);
    expect(session.held(6150)).toBe(1);
    expect(session.onShelf(6150)).toBe(
      directory.defaultCabinet.aisles.get(6150)!.stock - 1,
    );
    session.act({ action: 'close-door' });
    clock.runAll();

    expect(events).toEqual([
      'door-opened',
      'update 6.00',
      'update 3.00',
      'order 3.00',
    ]);
    expect(doors).toEqual([
      'unlocking',
      'unlocked',
      'open',
      'closed',
      'locked',
    ]);
    expect(await session.ended).toBe('order-made');
  });

  it('reports the last reading of every load cell, tray included', () => {
    const { session } = manualSession();

    expect(session.liveGrams(6150)).toBeGreaterThan(350);
  });

  it('refuses goods behind a door that is not open', () => {
    const { session } = manualSession([{ action: 'wait-for-actions' }]);

    expect(() =>
      session.act({ action: 'take', aisleId: 6150, count: 1 }),
    ).toThrow(
      new ActionRefusedError('"take" needs an open door; the door is unlocked'),
    );
    expect(() => session.act({ action: 'close-door' })).toThrow(
      'close-door needs an open door; the door is unlocked',
    );
  });

  it('refuses to take more than is left and to put back more than is held', () => {
    const { session } = manualSession();
    const stock = directory.defaultCabinet.aisles.get(6150)!.stock;

    expect(() =>
      session.act({ action: 'take', aisleId: 6150, count: stock + 1 }),
    ).toThrow(`aisle 6150 has ${stock} left, cannot take ${stock + 1}`);
    expect(() =>
      session.act({ action: 'take', aisleId: 5595, grams: 999_999 }),
    ).toThrow(/^aisle 5595 has \d+ g left, cannot take 999999 g$/);
    expect(() =>
      session.act({ action: 'put-back', aisleId: 6150, count: 1 }),
    ).toThrow('aisle 6150: cannot put back 1; the shopper holds 0');
  });

  it('refuses an unknown aisle and the steps that are not actions', () => {
    const { session } = manualSession();

    expect(() => session.act({ action: 'take', aisleId: 1, count: 1 })).toThrow(
      'cabinet "default" has no aisle 1',
    );
    expect(() => session.act({ action: 'wait', ms: 10 })).toThrow(
      'wait is a timeline step; an action is played at once',
    );
    expect(() => session.act({ action: 'open-door' })).toThrow(
      'the door is open already',
    );
    expect(() => session.act({ action: 'jam-lock' })).toThrow(
      /^the lock has opened already; a jam holds a lock before it opens/,
    );
  });

  it('refuses every action once the purchase is over', () => {
    const { session, clock } = manualSession();

    session.act({ action: 'close-door' });
    clock.runAll();
    expect(() => session.act({ action: 'jam-lock' })).toThrow(
      'the purchase is over',
    );
  });

  it('closes the door of a session left alone when the alarm goes off', async () => {
    const { session, clock, events } = manualSession();

    session.act({ action: 'take', aisleId: 6150, count: 1 });
    clock.runAll();

    expect(events).toEqual([
      'door-opened',
      'update 3.00',
      'alarm',
      'order 3.00',
    ]);
    expect(await session.ended).toBe('order-made');
  });

  it('skips a scripted step whose goods an action has taken', () => {
    const stock = directory.defaultCabinet.aisles.get(6140)!.stock;
    const { session, clock, events } = manualSession([
      { action: 'open-door' },
      { action: 'wait', ms: 5000 },
      { action: 'take', aisleId: 6140, count: 1 },
      { action: 'close-door' },
    ]);

    session.act({ action: 'take', aisleId: 6140, count: stock });
    clock.runAll();

    expect(events).toContain(`skipped 2: aisle 6140 has 0 left, cannot take 1`);
  });
});
