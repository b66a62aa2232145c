import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../time/virtual-clock.js';
import {
  Door,
  IDEAL_DOOR,
  JAMMED_DOOR,
  REALISTIC_DOOR,
  type DoorEvent,
  type DoorSettings,
} from './door.js';
import { SeededRandom } from './random.js';

interface Stamped {
  atMs: number;
  event: DoorEvent;
}

function doorOn(settings: DoorSettings, seed = 'door') {
  const clock = new VirtualClock();
  const events: Stamped[] = [];
  const door = new Door(settings, clock, new SeededRandom(seed), (event) =>
    events.push({ atMs: clock.now(), event }),
  );

  return { clock, door, events };
}

// An unlocked door on an ideal lock, at time 0.
function unlockedDoor(settings: DoorSettings = IDEAL_DOOR) {
  const built = doorOn(settings);

  built.door.requestUnlock();
  built.clock.advance(0);

  return built;
}

describe('Door', () => {
  describe('#requestUnlock', () => {
    it('unlocks an ideal door at once', () => {
      const { clock, door, events } = doorOn(IDEAL_DOOR);

      door.requestUnlock();

      expect(door.state).toBe('unlocking');

      clock.advance(0);

      expect(events).toEqual([{ atMs: 0, event: { kind: 'unlocked' } }]);
      expect(door.state).toBe('unlocked');
    });

    it('unlocks a realistic door about 800 ms after the request', () => {
      const { clock, door, events } = doorOn(REALISTIC_DOOR);

      door.requestUnlock();
      clock.advance(200);

      expect(events).toEqual([]);
      expect(door.state).toBe('unlocking');

      clock.advance(1_200);

      expect(events.map(({ event }) => event.kind)).toEqual(['unlocked']);
      expect(Math.abs(events[0]!.atMs - 800)).toBeLessThanOrEqual(4 * 150);
    });

    it('unlocks realistic doors at times spread around 800 ms by the jitter', () => {
      const times = Array.from({ length: 200 }, (_, i) => {
        const { clock, door, events } = doorOn(REALISTIC_DOOR, `door ${i}`);

        door.requestUnlock();
        clock.advance(2_000);
        return events[0]!.atMs;
      });
      const mean = times.reduce((sum, ms) => sum + ms, 0) / times.length;

      expect(Math.min(...times)).toBeGreaterThanOrEqual(800 - 4 * 150);
      expect(Math.max(...times)).toBeLessThanOrEqual(800 + 4 * 150);
      expect(Math.abs(mean - 800)).toBeLessThan(40);
      expect(new Set(times).size).toBeGreaterThan(150);
    });

    it('ignores a request while the door is not locked', () => {
      const { clock, door, events } = unlockedDoor();

      door.requestUnlock();
      clock.advance(10);

      expect(events.map(({ event }) => event.kind)).toEqual(['unlocked']);
      expect(door.state).toBe('unlocked');
    });
  });

  describe('#open', () => {
    it('refuses to open a locked door and does nothing', () => {
      const { clock, door, events } = doorOn(IDEAL_DOOR);

      expect(door.open()).toBe(false);

      clock.advance(300_000);

      expect(door.state).toBe('locked');
      expect(events).toEqual([]);
    });

    it('refuses to open a door that is still unlocking', () => {
      const { clock, door, events } = doorOn(REALISTIC_DOOR);

      door.requestUnlock();
      clock.advance(100);

      expect(door.open()).toBe(false);
      expect(door.state).toBe('unlocking');
      expect(events).toEqual([]);
    });
  });

  it('goes locked → unlocking → unlocked → open → closed → locked', () => {
    const { clock, door, events } = doorOn(IDEAL_DOOR);
    const states = [door.state];

    door.requestUnlock();
    states.push(door.state);
    clock.advance(0);
    states.push(door.state);
    clock.advance(2_000);
    expect(door.open()).toBe(true);
    states.push(door.state);
    clock.advance(10_000);
    expect(door.close()).toBe(true);
    states.push(door.state);
    door.lock();
    states.push(door.state);
    clock.advance(300_000);

    expect(states).toEqual([
      'locked',
      'unlocking',
      'unlocked',
      'open',
      'closed',
      'locked',
    ]);
    expect(events).toEqual([
      { atMs: 0, event: { kind: 'unlocked' } },
      { atMs: 2_000, event: { kind: 'opened' } },
      { atMs: 12_000, event: { kind: 'closed' } },
    ]);
  });

  it('refuses to close a door that is not open', () => {
    const { door } = unlockedDoor();

    expect(door.close()).toBe(false);
    expect(door.state).toBe('unlocked');
  });

  it('does not lock a door that is still open', () => {
    const { door } = unlockedDoor();

    door.open();
    door.lock();

    expect(door.state).toBe('open');
  });

  it('relocks a door nobody opened after the unopened timeout', () => {
    const { clock, door, events } = unlockedDoor();

    clock.advance(29_999);

    expect(door.state).toBe('unlocked');

    clock.advance(1);

    expect(door.state).toBe('locked');
    expect(events).toEqual([
      { atMs: 0, event: { kind: 'unlocked' } },
      { atMs: 30_000, event: { kind: 'relocked-unopened' } },
    ]);
    expect(door.open()).toBe(false);
  });

  it('does not relock a door that was opened in time', () => {
    const { clock, door, events } = unlockedDoor();

    clock.advance(29_999);
    door.open();
    door.close();
    clock.advance(60_000);

    expect(events.map(({ event }) => event.kind)).toEqual([
      'unlocked',
      'opened',
      'closed',
    ]);
    expect(door.state).toBe('closed');
  });

  it('raises one alarm for a door left open longer than the limit', () => {
    const { clock, door, events } = unlockedDoor();

    clock.advance(1_000);
    door.open();
    clock.advance(119_999);

    expect(events.map(({ event }) => event.kind)).toEqual([
      'unlocked',
      'opened',
    ]);

    clock.advance(1);
    clock.advance(600_000);

    expect(events.slice(2)).toEqual([
      { atMs: 121_000, event: { kind: 'alarm', openForMs: 120_000 } },
    ]);
    expect(door.state).toBe('open');
  });

  it('raises no alarm for a door closed before the limit', () => {
    const { clock, door, events } = unlockedDoor();

    door.open();
    clock.advance(119_999);
    door.close();
    clock.advance(600_000);

    expect(events.map(({ event }) => event.kind)).toEqual([
      'unlocked',
      'opened',
      'closed',
    ]);
  });

  it('reports a jammed lock after the unlock timeout and never unlocks', () => {
    const { clock, door, events } = doorOn(JAMMED_DOOR);

    door.requestUnlock();
    clock.advance(4_999);

    expect(door.state).toBe('unlocking');
    expect(events).toEqual([]);

    clock.advance(1);
    clock.advance(600_000);

    expect(events).toEqual([{ atMs: 5_000, event: { kind: 'jammed' } }]);
    expect(door.state).toBe('locked');
    expect(door.open()).toBe(false);
  });

  describe('#jam', () => {
    it('fails an unlock under way when its timeout runs out, counted from the request', () => {
      const { clock, door, events } = doorOn(REALISTIC_DOOR);

      door.requestUnlock();
      clock.advance(300);
      door.jam();
      clock.advance(600_000);

      expect(events).toEqual([{ atMs: 5_000, event: { kind: 'jammed' } }]);
      expect(door.open()).toBe(false);
    });

    it('fails an unlock asked for after the jam', () => {
      const { clock, door, events } = doorOn(IDEAL_DOOR);

      door.jam();
      clock.advance(1_000);
      door.requestUnlock();
      clock.advance(600_000);

      expect(events).toEqual([{ atMs: 6_000, event: { kind: 'jammed' } }]);
    });

    it('leaves a lock that has opened already alone', () => {
      const { clock, door, events } = unlockedDoor();

      door.jam();
      door.open();
      clock.advance(1_000);

      expect(events.map(({ event }) => event.kind)).toEqual([
        'unlocked',
        'opened',
      ]);
    });
  });

  describe('#dispose', () => {
    it('stops a pending unlock', () => {
      const { clock, door, events } = doorOn(REALISTIC_DOOR);

      door.requestUnlock();
      door.dispose();
      clock.advance(600_000);

      expect(events).toEqual([]);
      expect(clock.pendingTimers).toBe(0);
    });

    it('stops the relock of an unopened door', () => {
      const { clock, door, events } = unlockedDoor();

      door.dispose();
      clock.advance(600_000);

      expect(events.map(({ event }) => event.kind)).toEqual(['unlocked']);
      expect(clock.pendingTimers).toBe(0);
    });

    it('stops the alarm of an open door', () => {
      const { clock, door, events } = unlockedDoor();

      door.open();
      door.dispose();
      clock.advance(600_000);

      expect(events.map(({ event }) => event.kind)).toEqual([
        'unlocked',
        'opened',
      ]);
      expect(clock.pendingTimers).toBe(0);
    });

    it('stops the jam report of a jammed lock', () => {
      const { clock, door, events } = doorOn(JAMMED_DOOR);

      door.requestUnlock();
      door.dispose();
      clock.advance(600_000);

      expect(events).toEqual([]);
    });
  });
});

describe('a lock slower than the unlock timeout', () => {
  it('is given up on as jammed when the timeout passes', () => {
    const clock = new VirtualClock(0);
    const events: Array<{ at: number; kind: string }> = [];
    const door = new Door(
      { ...REALISTIC_DOOR, unlockMs: 1e6, unlockJitterMs: 0 },
      clock,
      new SeededRandom('slow'),
      (event) => events.push({ at: clock.now(), kind: event.kind }),
    );

    door.requestUnlock();
    clock.runAll();

    expect(events).toEqual([
      { at: REALISTIC_DOOR.unlockTimeoutMs, kind: 'jammed' },
    ]);
    expect(door.state).toBe('locked');
  });
});
