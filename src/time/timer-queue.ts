import type { Timer } from './clock.js';

/** One scheduled callback; it is its own handle, so scheduling makes one object. */
export class QueuedTimer implements Timer {
  readonly dueAt: number;
  readonly order: number;
  callback: (() => void) | undefined;
  readonly #queue: TimerQueue;

  constructor(
    queue: TimerQueue,
    dueAt: number,
    order: number,
    callback: () => void,
  ) {
    this.#queue = queue;
    this.dueAt = dueAt;
    this.order = order;
    this.callback = callback;
  }

  cancel(): void {
    if (this.callback === undefined) return;
    this.callback = undefined;
    this.#queue.forget();
  }
}

/**
 * Timers in due order, ties in the order they were scheduled: a binary
 * min-heap. The clocks keep their timers here, so that a session waking ten
 * times a second costs a heap step, not a scan of everything pending. A
 * cancelled timer stays in the heap until it reaches the top, which is
 * cheaper than finding it; when cancelled ones come to outnumber the live
 * ones the heap is rebuilt, so a long wait that was called off does not hold
 * memory until it would have run.
 */
export class TimerQueue {
  readonly #heap: QueuedTimer[] = [];
  readonly #onEmptied: (() => void) | undefined;
  #scheduled = 0;
  #live = 0;

  /** `onEmptied` is called when a cancel leaves no live timer. */
  constructor(onEmptied?: () => void) {
    this.#onEmptied = onEmptied;
  }

  /** Timers neither run nor cancelled. */
  get size(): number {
    return this.#live;
  }

  add(dueAt: number, callback: () => void): QueuedTimer {
    const timer = new QueuedTimer(this, dueAt, this.#scheduled++, callback);

    this.#live += 1;
    this.#siftUp(this.#heap.length, timer);

    return timer;
  }

  /** The live timer due first, left in the queue. */
  peek(): QueuedTimer | undefined {
    const heap = this.#heap;

    while (heap.length > 0 && heap[0]!.callback === undefined) this.#popTop();

    return heap[0];
  }

  /**
   * Takes the live timer due first off the queue, if it is due by `until`,
   * and returns its callback; the timer counts as run.
   */
  takeDue(until: number): (() => void) | undefined {
    const next = this.peek();

    if (next === undefined || next.dueAt > until) return undefined;
    this.#popTop();

    const { callback } = next;

    next.callback = undefined;
    this.#live -= 1;

    return callback;
  }

  /** Drops every timer; none of them will run. */
  clear(): void {
    for (const timer of this.#heap) timer.callback = undefined;
    this.#heap.length = 0;
    this.#live = 0;
  }

  /** Called by a timer when it is cancelled. */
  forget(): void {
    this.#live -= 1;
    if (this.#live === 0) {
      this.#heap.length = 0;
      this.#onEmptied?.();
    } else if (this.#heap.length > 64 && this.#heap.length > 4 * this.#live) {
      this.#rebuild();
    }
  }

  #rebuild(): void {
    const live = this.#heap.filter((timer) => timer.callback !== undefined);

    this.#heap.length = 0;
    for (const timer of live) this.#siftUp(this.#heap.length, timer);
  }

  #siftUp(start: number, timer: QueuedTimer): void {
    const heap = this.#heap;
    let index = start;

    heap.push(timer);
    while (index > 0) {
      const parent = (index - 1) >> 1;

      if (!before(timer, heap[parent]!)) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = timer;
  }

  #popTop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;

    if (heap.length === 0) return;

    let index = 0;

    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      let candidate = last;

      if (left < heap.length && before(heap[left]!, candidate)) {
        smallest = left;
        candidate = heap[left]!;
      }
      if (right < heap.length && before(heap[right]!, candidate)) {
        smallest = right;
        candidate = heap[right]!;
      }
      if (smallest === index) break;
      heap[index] = candidate;
      index = smallest;
    }
    heap[index] = last;
  }
}

function before(a: QueuedTimer, b: QueuedTimer): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.order < b.order);
}
