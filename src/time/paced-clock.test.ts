import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { PacedClock } from './paced-clock.js';
import { VirtualClock } from './virtual-clock.js';

const START = 1_700_000_000_000;

// An outside clock on a busy machine: every wake-up fires `lateMs` late.
function lateClock(base: VirtualClock, lateMs: number): Clock {
  return {
    now: () => base.now(),
    schedule: (delayMs, callback) => base.schedule(delayMs + lateMs, callback),
  };
}

describe('PacedClock', () => {
  it('starts at the outside clock’s time', () => {
    expect(new PacedClock(new VirtualClock(START), 10).now()).toBe(START);
  });

  it('runs timers in order, each at its own session time', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(outside, 1);
    const ran: Array<[string, number]> = [];

    clock.schedule(30, () => ran.push(['c', clock.now() - START]));
    clock.schedule(10, () => ran.push(['a', clock.now() - START]));
    clock.schedule(20, () => ran.push(['b', clock.now() - START]));
    outside.advance(25);

    expect(ran).toEqual([
      ['a', 10],
      ['b', 20],
    ]);

    outside.advance(5);

    expect(ran).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 30],
    ]);
  });

  it('runs a 1000 ms timer after 100 ms of outside time at speed 10', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(outside, 10);
    const ran: number[] = [];

    clock.schedule(1_000, () => ran.push(clock.now() - START));
    outside.advance(99);

    expect(ran).toEqual([]);

    outside.advance(1);

    expect(ran).toEqual([1_000]);
    expect(outside.now() - START).toBe(100);
  });

  it('runs every timer that fell due during a big jump of the outside clock, in order', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(outside, 10);
    const ran: Array<[string, number]> = [];

    clock.schedule(5_000, () => ran.push(['c', clock.now() - START]));
    clock.schedule(100, () => ran.push(['a', clock.now() - START]));
    clock.schedule(2_500, () => ran.push(['b', clock.now() - START]));
    clock.schedule(90_000, () => ran.push(['d', clock.now() - START]));
    outside.advance(1_000);

    expect(ran).toEqual([
      ['a', 100],
      ['b', 2_500],
      ['c', 5_000],
    ]);
  });

  it('runs every timer a late wake-up passed, in order, each at its own session time', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(lateClock(outside, 500), 1);
    const ran: Array<[string, number]> = [];

    clock.schedule(10, () => ran.push(['a', clock.now() - START]));
    clock.schedule(200, () => ran.push(['c', clock.now() - START]));
    clock.schedule(150, () => ran.push(['b', clock.now() - START]));
    clock.schedule(700, () => ran.push(['d', clock.now() - START]));
    outside.advance(510);

    expect(ran).toEqual([
      ['a', 10],
      ['b', 150],
      ['c', 200],
    ]);
    expect(clock.now() - START).toBe(510);
  });

  it('runs timers scheduled by timers at their own session times', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(outside, 2);
    const ran: number[] = [];

    clock.schedule(100, () => {
      ran.push(clock.now() - START);
      clock.schedule(100, () => {
        ran.push(clock.now() - START);
        clock.schedule(100, () => ran.push(clock.now() - START));
      });
    });
    outside.advance(100);

    expect(ran).toEqual([100, 200]);

    outside.advance(50);

    expect(ran).toEqual([100, 200, 300]);
  });

  it('runs timers scheduled by a late-woken timer that fell due in the same wake-up', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(lateClock(outside, 1_000), 1);
    const ran: number[] = [];

    clock.schedule(10, () => {
      ran.push(clock.now() - START);
      clock.schedule(20, () => ran.push(clock.now() - START));
    });
    outside.advance(1_010);

    expect(ran).toEqual([10, 30]);
  });

  it('does not run a cancelled timer, and stops waking up for it', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(outside, 1);
    const ran: string[] = [];

    clock.schedule(10, () => ran.push('a')).cancel();

    expect(outside.pendingTimers).toBe(0);

    clock.schedule(20, () => ran.push('b'));
    outside.advance(100);

    expect(ran).toEqual(['b']);
  });

  it('still runs the other timers when the earliest is cancelled', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(outside, 1);
    const ran: number[] = [];

    const first = clock.schedule(10, () => ran.push(10));

    clock.schedule(40, () => ran.push(clock.now() - START));
    first.cancel();
    outside.advance(39);

    expect(ran).toEqual([]);

    outside.advance(1);

    expect(ran).toEqual([40]);
  });

  it('runs nothing after stop()', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(outside, 1);
    let ran = 0;

    clock.schedule(10, () => ran++);
    clock.schedule(20, () => {
      ran++;
      clock.schedule(10, () => ran++);
    });
    clock.stop();
    outside.advance(60_000);

    expect(ran).toBe(0);
    expect(outside.pendingTimers).toBe(0);
  });

  // A stop() from inside a timer holds: the wake-up that ran the timer must
  // not arm the next one after it.
  it('runs nothing more after stop() from a timer', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(outside, 1);
    const ran: number[] = [];

    clock.schedule(10, () => {
      ran.push(10);
      clock.stop();
    });
    clock.schedule(20, () => ran.push(20));
    outside.advance(60_000);

    expect(ran).toEqual([10]);
  });

  // The same within one late wake-up: the timers it passed but has not run
  // yet are dropped too.
  it('runs no timer a late wake-up passed after stop() from a timer', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(lateClock(outside, 500), 1);
    const ran: number[] = [];

    clock.schedule(10, () => {
      ran.push(10);
      clock.stop();
    });
    clock.schedule(150, () => ran.push(150));
    outside.advance(510);

    expect(ran).toEqual([10]);
  });

  // A cancel() after stop() must not wake the clock up for what is left.
  it('runs nothing after stop(), even when a timer is cancelled afterwards', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(outside, 1);
    let ran = 0;

    const first = clock.schedule(10, () => ran++);

    clock.schedule(20, () => ran++);
    clock.stop();
    first.cancel();
    outside.advance(60_000);

    expect(ran).toBe(0);
  });

  it('waits longer than a Node timer can, in steps', () => {
    const outside = new VirtualClock(START);
    const clock = new PacedClock(outside, 1);
    const ran: number[] = [];

    clock.schedule(2 ** 32, () => ran.push(clock.now() - START));
    outside.advance(2 ** 31);

    expect(ran).toEqual([]);
    expect(outside.pendingTimers).toBe(1);

    outside.advance(2 ** 31);

    expect(ran).toEqual([2 ** 32]);
  });
});
