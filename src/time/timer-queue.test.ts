import { describe, expect, it } from 'vitest';
import { TimerQueue } from './timer-queue.js';

function drain(queue: TimerQueue, until: number): void {
  for (let run = queue.takeDue(until); run; run = queue.takeDue(until)) run();
}

describe('TimerQueue', () => {
  it('gives back timers in due order, ties in the order added', () => {
    const queue = new TimerQueue();
    const ran: string[] = [];

    for (const [dueAt, name] of [
      [30, 'e'],
      [10, 'a'],
      [20, 'c'],
      [10, 'b'],
      [20, 'd'],
    ] as const) {
      queue.add(dueAt, () => ran.push(name));
    }
    drain(queue, 100);

    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(queue.size).toBe(0);
  });

  it('keeps timers that are not due yet', () => {
    const queue = new TimerQueue();

    queue.add(50, () => undefined);
    queue.add(10, () => undefined);

    expect(queue.takeDue(9)).toBeUndefined();
    expect(queue.takeDue(10)).toBeTypeOf('function');
    expect(queue.peek()?.dueAt).toBe(50);
    expect(queue.size).toBe(1);
  });

  it('skips a cancelled timer and counts it gone at once', () => {
    const queue = new TimerQueue();
    const ran: string[] = [];

    queue.add(10, () => ran.push('a'));
    queue.add(5, () => ran.push('cancelled')).cancel();

    expect(queue.size).toBe(1);
    expect(queue.peek()?.dueAt).toBe(10);

    drain(queue, 100);

    expect(ran).toEqual(['a']);
  });

  it('tells its owner when a cancel leaves nothing pending, and only then', () => {
    let emptied = 0;
    const queue = new TimerQueue(() => emptied++);
    const first = queue.add(10, () => undefined);
    const second = queue.add(20, () => undefined);

    first.cancel();
    expect(emptied).toBe(0);

    second.cancel();
    second.cancel();
    expect(emptied).toBe(1);
  });

  it('drops cancelled timers once they outnumber the live ones', () => {
    const queue = new TimerQueue();
    const ran: number[] = [];
    const timers = Array.from({ length: 1000 }, (_, i) =>
      queue.add(1000 + i, () => ran.push(i)),
    );

    // All but every hundredth are called off, long before they are due.
    timers.forEach((timer, i) => {
      if (i % 100 !== 0) timer.cancel();
    });

    expect(queue.size).toBe(10);

    drain(queue, 5000);

    expect(ran).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it('runs nothing after clear', () => {
    const queue = new TimerQueue();
    let ran = false;

    queue.add(1, () => (ran = true));
    queue.clear();
    drain(queue, 10);

    expect(ran).toBe(false);
    expect(queue.size).toBe(0);
  });

  it('orders a large random set as a sort would', () => {
    const queue = new TimerQueue();
    const dueTimes = Array.from({ length: 500 }, (_, i) => (i * 7919) % 101);
    const ran: number[] = [];

    dueTimes.forEach((dueAt) => queue.add(dueAt, () => ran.push(dueAt)));
    drain(queue, 1000);

    expect(ran).toEqual([...dueTimes].sort((a, b) => a - b));
  });
});
