/**
 * The buffer between the network and the one consumer of a run's events.
 *
 * Once a consumer iterates, the producer asks `room()` before reading more and waits while
 * `highWater` events are unread: the socket then fills and TCP slows the server down, so memory
 * stays bounded by the consumer's pace. Before anyone iterates (a caller that only awaits the
 * outcome), at most `maxUnread` events are kept and later ones are dropped, so an unread run
 * can neither stall nor grow without bound. After the consumer leaves the loop, events are dropped.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private mode: 'unread' | 'reading' | 'left' = 'unread';
  private ended = false;
  private dropped = 0;
  private consumerWaiting: ((result: IteratorResult<T>) => void) | undefined;
  private producerWaiting: (() => void) | undefined;

  constructor(
    private readonly highWater: number,
    private readonly maxUnread: number,
    private readonly onFirstDrop: () => void = () => undefined,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** Events dropped because nobody was reading. */
  get droppedCount(): number {
    return this.dropped;
  }

  push(item: T): void {
    if (this.ended || this.mode === 'left') return;
    const waiting = this.consumerWaiting;
    if (waiting) {
      this.consumerWaiting = undefined;
      waiting({ value: item, done: false });
      return;
    }
    if (this.mode === 'unread' && this.size >= this.maxUnread) {
      if (this.dropped++ === 0) this.onFirstDrop();
      return;
    }
    this.items.push(item);
  }

  /** Undefined when the producer may go on; else a promise that resolves once the consumer caught up. */
  room(): Promise<void> | undefined {
    if (this.mode !== 'reading' || this.size < this.highWater) return undefined;
    return new Promise((resolve) => (this.producerWaiting = resolve));
  }

  /** No more events: the consumer gets what is buffered, then the end. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.releaseProducer();
    if (this.consumerWaiting && this.size === 0) {
      const waiting = this.consumerWaiting;
      this.consumerWaiting = undefined;
      waiting({ value: undefined, done: true });
    }
  }

  /** Drops what is buffered (late events after a cancel must not be shown) and ends. */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.mode !== 'unread') throw new Error('The events of a run can be iterated only once.');
    this.mode = 'reading';
    return {
      next: () => this.next(),
      return: () => {
        this.leave();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.size > 0) {
      const value = this.items[this.head] as T;
      this.items[this.head++] = undefined;
      if (this.head >= 1024 && this.head * 2 >= this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (this.size <= this.highWater >> 1) this.releaseProducer();
      return Promise.resolve({ value, done: false });
    }
    if (this.ended || this.mode === 'left') return Promise.resolve({ value: undefined, done: true });
    this.releaseProducer();
    return new Promise((resolve) => (this.consumerWaiting = resolve));
  }

  private leave(): void {
    this.mode = 'left';
    this.items = [];
    this.head = 0;
    this.releaseProducer();
  }

  private releaseProducer(): void {
    const waiting = this.producerWaiting;
    this.producerWaiting = undefined;
    waiting?.();
  }
}
