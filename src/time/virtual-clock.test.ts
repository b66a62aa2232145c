import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock.js';

describe('VirtualClock', () => {
  it('runs timers in due order, ties in the order scheduled', () => {
    const clock = new VirtualClock(1000);
    const ran: string[] = [];

    clock.schedule(30, () => ran.push('c'));
    clock.schedule(10, () => ran.push('a'));
    clock.schedule(10, () => ran.push('b'));
    clock.advance(30);

    expect(ran).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(1030);
  });

  it('stamps each callback with its own due time', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];

    clock.schedule(5, () => seen.push(clock.now()));
    clock.schedule(12, () => seen.push(clock.now()));
    clock.advance(100);

    expect(seen).toEqual([5, 12]);
  });

  it('runs timers scheduled by timers when they fall due within the advance', () => {
    const clock = new VirtualClock();
    const ran: number[] = [];

    clock.schedule(10, () => {
      ran.push(clock.now());
      clock.schedule(10, () => ran.push(clock.now()));
      clock.schedule(100, () => ran.push(clock.now()));
    });
    clock.advance(50);

    expect(ran).toEqual([10, 20]);
    expect(clock.pendingTimers).toBe(1);
  });

  it('does not run a cancelled timer', () => {
    const clock = new VirtualClock();
    let ran = false;

    clock.schedule(10, () => (ran = true)).cancel();
    clock.advance(20);

    expect(ran).toBe(false);
  });

  it('runs everything with runAll and reports the time taken', () => {
    const clock = new VirtualClock();

    clock.schedule(10, () => clock.schedule(25, () => undefined));

    expect(clock.runAll()).toBe(35);
    expect(clock.pendingTimers).toBe(0);
  });
});
