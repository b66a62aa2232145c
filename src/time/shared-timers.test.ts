import { afterEach, describe, expect, it, vi } from 'vitest';
import { SharedTimers } from './shared-timers.js';

describe('SharedTimers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs timers at their times behind one Node timer', () => {
    vi.useFakeTimers({ now: 1_000_000 });

    const clock = new SharedTimers(1);
    const ran: Array<[string, number]> = [];

    clock.schedule(300, () => ran.push(['c', Date.now()]));
    clock.schedule(100, () => ran.push(['a', Date.now()]));
    clock.schedule(100, () => ran.push(['b', Date.now()]));

    expect(vi.getTimerCount()).toBe(1);

    vi.advanceTimersByTime(300);

    expect(ran).toEqual([
      ['a', 1_000_100],
      ['b', 1_000_100],
      ['c', 1_000_300],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs a timer set by a running timer when it falls due', () => {
    vi.useFakeTimers({ now: 0 });

    const clock = new SharedTimers(1);
    const ran: number[] = [];

    clock.schedule(10, () => {
      ran.push(Date.now());
      clock.schedule(0, () => ran.push(Date.now()));
      clock.schedule(40, () => ran.push(Date.now()));
    });
    vi.advanceTimersByTime(100);

    expect(ran).toEqual([10, 10, 50]);
  });

  it('leaves no Node timer behind when the last timer is cancelled', () => {
    vi.useFakeTimers({ now: 0 });

    const clock = new SharedTimers(1);
    const early = clock.schedule(10, () => undefined);
    const late = clock.schedule(10_000, () => undefined);

    early.cancel();
    expect(vi.getTimerCount()).toBe(1);

    late.cancel();
    expect(vi.getTimerCount()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('moves its Node timer earlier for an earlier timer', () => {
    vi.useFakeTimers({ now: 0 });

    const clock = new SharedTimers(1);
    const ran: number[] = [];

    clock.schedule(1000, () => ran.push(Date.now()));
    clock.schedule(5, () => ran.push(Date.now()));
    vi.advanceTimersByTime(5);

    expect(ran).toEqual([5]);

    vi.advanceTimersByTime(995);

    expect(ran).toEqual([5, 1000]);
  });

  it('runs timers due within one slice together at its end', () => {
    vi.useFakeTimers({ now: 1_000_000 });

    const clock = new SharedTimers(10);
    const ran: Array<[string, number]> = [];

    clock.schedule(1, () => ran.push(['a', Date.now()]));
    clock.schedule(7, () => ran.push(['b', Date.now()]));
    clock.schedule(12, () => ran.push(['c', Date.now()]));
    vi.advanceTimersByTime(9);

    expect(ran).toEqual([]);

    vi.advanceTimersByTime(1);

    expect(ran).toEqual([
      ['a', 1_000_010],
      ['b', 1_000_010],
    ]);

    vi.advanceTimersByTime(10);

    expect(ran).toEqual([
      ['a', 1_000_010],
      ['b', 1_000_010],
      ['c', 1_000_020],
    ]);
  });
});
