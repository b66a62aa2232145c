import { describe, expect, it } from 'vitest';
import { loadCabinetDirectory } from '../catalogue/load-cabinets.js';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import { FailureMessage } from '../protocol/failure-messages.js';
import { builtinScenarios } from '../scenario/builtin-scenarios.js';
import { planScenario } from '../scenario/plan-scenario.js';
import type { Scenario } from '../scenario/scenario.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { PurchaseSession, type SessionEvent } from './purchase-session.js';
import { TradeNumberIssuer } from './trade-number.js';

const cabinet = loadCabinetDirectory(BUNDLED_FIXTURES_DIR).defaultCabinet;
const START = Date.UTC(2019, 9, 11, 6, 45, 10);

function play(scenario: Scenario, speed = 1) {
  const clock = new VirtualClock(START);
  const session = new PurchaseSession({
    sessionId: 's-1',
    deviceNo: 'D-1',
    cabinet,
    scenario,
    steps: planScenario(scenario, cabinet),
    clock,
    speed,
    rounding: 'half-up',
    tradeNumbers: new TradeNumberIssuer(() => 0.54062737),
  });
  const events: Array<{ at: number; event: SessionEvent }> = [];

  session.subscribe((event) => events.push({ at: clock.now() - START, event }));

  return { clock, session, events };
}

const summary = (event: SessionEvent) => {
  switch (event.kind) {
    case 'basket-changed':
      return `update ${event.basket.amount.toFixed(2)}`;
    case 'order-made':
      return `order ${event.order.amount.toFixed(2)}`;
    case 'failed':
      return `failed ${event.message}`;
    default:
      return event.kind;
  }
};

describe('PurchaseSession', () => {
  it('plays the happy path: door, four basket updates, then the order', async () => {
    const { clock, session, events } = play(builtinScenarios['happy-path']!);

    session.start();
    clock.runAll();

    expect(events.map(({ at, event }) => `${at} ${summary(event)}`)).toEqual([
      '800 door-opened',
      '2300 update 4.84',
      '3800 update 7.84',
      '5300 update 15.34',
      '6800 update 7.84',
      '9500 order 7.84',
    ]);
    expect(await session.ended).toBe('order-made');
    expect(session.isOver).toBe(true);
  });

  it('takes the tradeNo at the start and stamps the order when it is made', () => {
    const { clock, session, events } = play(builtinScenarios['seed-yoghurt']!);

    session.start();
    clock.runAll();

    const last = events.at(-1)!.event;

    expect(last.kind).toBe('order-made');
    if (last.kind !== 'order-made') return;
    expect(last.order.tradeNo).toBe('19101114451054062737');
    expect(last.order.createdAt).toBe(START + 800 + 1500 + 1500 + 1500);
    expect(last.order.creditPay).toBe(true);
    expect(last.order.orderInfo).toBe('');
    expect(last.order.lines.map((line) => [line.aisle.aisleId, line.quantity])).toEqual([
      [6140, 2],
    ]);
  });

  it('ends an empty purchase with nothing bought', async () => {
    const { clock, session, events } = play(builtinScenarios.empty!);

    session.start();
    clock.runAll();

    expect(events.map(({ event }) => event.kind)).toEqual(['door-opened', 'nothing-bought']);
    expect(await session.ended).toBe('nothing-bought');
  });

  it('sends the refusal instead of an order when the cloud refuses it', async () => {
    const { clock, session, events } = play(builtinScenarios['risk-control']!);

    session.start();
    clock.runAll();

    expect(events.map(({ event }) => summary(event))).toEqual([
      'door-opened',
      'update 7.90',
      `failed ${FailureMessage.riskControl}`,
    ]);
    expect(await session.ended).toBe('failed');
  });

  it('fails with 操作失败 when the lock jams', () => {
    const { clock, session, events } = play(builtinScenarios['operation-failed']!);

    session.start();
    clock.runAll();

    expect(events.map(({ at, event }) => `${at} ${summary(event)}`)).toEqual([
      '1500 failed 操作失败',
    ]);
  });

  it('plays faster by the speed factor', () => {
    const { clock, session, events } = play(builtinScenarios['happy-path']!, 10);

    session.start();
    clock.runAll();

    expect(events.at(-1)!.at).toBe(950);
  });

  it('stops where it is when cancelled, and sends nothing more', async () => {
    const { clock, session, events } = play(builtinScenarios['happy-path']!);

    session.start();
    clock.advance(2500);
    session.cancel();
    clock.runAll();

    expect(events.map(({ event }) => event.kind)).toEqual(['door-opened', 'basket-changed']);
    expect(await session.ended).toBe('cancelled');
    expect(clock.pendingTimers).toBe(0);
  });

  it('does nothing before start and ignores a second start', () => {
    const { clock, session, events } = play(builtinScenarios.empty!);

    clock.advance(10_000);
    expect(events).toEqual([]);

    session.start();
    session.start();
    clock.runAll();
    expect(events.map(({ event }) => event.kind)).toEqual(['door-opened', 'nothing-bought']);
  });
});
