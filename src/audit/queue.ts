/**
 * The queues between a run's tasks: {@link Fifo}, first in first out; {@link BoundedQueue}, the same with a capacity,
 * where producers wait for room and consumers wait for items; and {@link Notifier}, which wakes whoever waits when
 * something else changes (a worker ended, the run stopped).
 *
 * Web-standard globals only.
 */

/** Compact the backing array once this many items were taken and they are more than half of it. */
const COMPACT_AFTER = 1024;

/** Wakes everyone waiting, who then look again at what they wait for. */
export class Notifier {
  #waiters: Array<() => void> = [];

  /** Resolves at the next {@link Notifier.notify}. */
  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * A first-in first-out list: taking an item moves a head instead of shifting the array.
 * @example
 * const fifo = new Fifo<string>();
 * fifo.push("a");
 * fifo.take(); // "a"; undefined when empty
 */
export class Fifo<T> {
  /** Items, from `#head` on. */
  readonly #items: T[] = [];
  #head = 0;

  /** Items queued. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** The item queued last, while it is still queued. */
  get last(): T | undefined {
    return this.size > 0 ? this.#items[this.#items.length - 1] : undefined;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** The oldest item, or `undefined` when none is queued. */
  take(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head++]!;
    if (this.#head > COMPACT_AFTER && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
    return item;
  }
}

/**
 * @example
 * const queue = new BoundedQueue<string>(100);
 * await queue.put("a", () => stopped && throwStopped());   // waits while 100 are queued
 * const next = queue.take();                               // undefined when empty
 */
export class BoundedQueue<T> {
  readonly #items = new Fifo<T>();
  readonly #changed = new Notifier();

  constructor(readonly capacity: number) {}

  /** Items queued. */
  get size(): number {
    return this.#items.size;
  }

  /** The item queued last, while it is still queued. */
  get last(): T | undefined {
    return this.#items.last;
  }

  /**
   * Queues an item once there is room. `ensureRunning` is called before each wait and before queueing: it throws to
   * give up (the run stopped), and whoever stops the run calls {@link BoundedQueue.wake}.
   */
  async put(item: T, ensureRunning: () => void): Promise<void> {
    while (this.size >= this.capacity) {
      ensureRunning();
      await this.changed();
    }
    ensureRunning();
    this.#items.push(item);
    this.wake();
  }

  /** The oldest item, or `undefined` when none is queued; wakes a producer waiting for room. */
  take(): T | undefined {
    const item = this.#items.take();
    if (item !== undefined) this.wake();
    return item;
  }

  /** Resolves at the next change: an item queued or taken, or {@link BoundedQueue.wake}. */
  changed(): Promise<void> {
    return this.#changed.wait();
  }

  /** Wakes everyone waiting on {@link BoundedQueue.changed} (and so in {@link BoundedQueue.put}). */
  wake(): void {
    this.#changed.notify();
  }
}
