/**
 * A first-in first-out queue with a capacity, between the audit's tasks: producers wait for room, consumers wait for
 * items, and either side can be woken when something else changes (a worker ended, the run stopped).
 *
 * Web-standard globals only.
 */

/** Compact the backing array once this many items were taken and they are more than half of it. */
const COMPACT_AFTER = 1024;

/**
 * @example
 * const queue = new BoundedQueue<string>(100);
 * await queue.put("a", () => stopped && throwStopped());   // waits while 100 are queued
 * const next = queue.take();                               // undefined when empty
 */
export class BoundedQueue<T> {
  /** Items, from `#head` on (taking an item moves the head instead of shifting the array). */
  readonly #items: T[] = [];
  #head = 0;
  #waiters: Array<() => void> = [];

  constructor(readonly capacity: number) {}

  /** Items queued. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** The item queued last, while it is still queued. */
  get last(): T | undefined {
    return this.size > 0 ? this.#items[this.#items.length - 1] : undefined;
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
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head++]!;
    if (this.#head > COMPACT_AFTER && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
    this.wake();
    return item;
  }

  /** Resolves at the next change: an item queued or taken, or {@link BoundedQueue.wake}. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Wakes everyone waiting on {@link BoundedQueue.changed} (and so in {@link BoundedQueue.put}). */
  wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
