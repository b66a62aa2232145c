import { describe, expect, it } from 'vitest';
import type { CabinetFleet } from '../cabinet/cabinet-fleet.js';
import type {
  PurchaseSession,
  SessionEnd,
} from '../cabinet/purchase-session.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { ControlEvents } from './control-events.js';
import { KEPT_SESSIONS, SessionHistory } from './session-history.js';

// Just what the history reads of a session, with a way to end it.
function fakeSession(id: string) {
  let finish!: (end: SessionEnd) => void;
  const session = {
    id,
    deviceNo: `D-${id}`,
    scenario: { name: 'happy-path' },
    startedAt: 0,
    elapsedMs: 0,
    ended: new Promise<SessionEnd>((resolve) => {
      finish = resolve;
    }),
    subscribe: () => () => undefined,
  };

  return { session: session as unknown as PurchaseSession, finish };
}

describe('SessionHistory', () => {
  it('forgets the session that ended longest ago when another starts past the limit', async () => {
    const finishers: Array<(end: SessionEnd) => void> = [];
    const fleetOpen = (id: string) => {
      const fake = fakeSession(id);

      finishers.push(fake.finish);
      return fake.session;
    };
    let opened!: (session: PurchaseSession) => void;
    const fleet = {
      onSessionOpened: (listener: (session: PurchaseSession) => void) => {
        opened = listener;
      },
    } as unknown as CabinetFleet;
    const ours = new SessionHistory(
      fleet,
      new ControlEvents(),
      new VirtualClock(0),
    );

    for (let i = 0; i < KEPT_SESSIONS; i++) opened(fleetOpen(`s${i}`));
    // The third ends first, then the first; the rest run on.
    finishers[2]!('order-made');
    finishers[0]!('cancelled');
    await Promise.resolve();
    await Promise.resolve();

    opened(fleetOpen('new-1'));

    expect(ours.find('s2')).toBeUndefined();
    expect(ours.find('s0')).toBeDefined();
    expect(ours.recent()).toHaveLength(KEPT_SESSIONS);

    opened(fleetOpen('new-2'));

    expect(ours.find('s0')).toBeUndefined();
    expect(ours.recent()[0]!.session.id).toBe('new-2');

    // Nothing has ended: running sessions are all kept, past the limit.
    opened(fleetOpen('new-3'));

    expect(ours.recent()).toHaveLength(KEPT_SESSIONS + 1);
    expect(ours.find('s1')).toBeDefined();

    ours.dispose();
  });
});
