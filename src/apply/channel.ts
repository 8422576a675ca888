import { anySignal } from '../util/signal.js';

/**
 * A push → pull bridge: the engine pushes events as they happen, the
 * consumer pulls them with `for await`. Unbounded, because apply events are
 * few (a handful per change) and the engine must never block on a slow
 * printer while requests are in flight.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private readonly waiters: Array<{ resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }> = [];
  private readonly idlers: Array<() => void> = [];
  private closed = false;
  private failure: { error: unknown } | undefined;

  push(value: T): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve({ value, done: false });
    else this.buffer.push(value);
  }

  /**
   * Resolves once the consumer has taken every event pushed so far and asks
   * for the next: a producer about to interact with the user (a prompt)
   * waits for it, so that what it pushed before is shown first.
   */
  idle(): Promise<void> {
    if (this.buffer.length === 0 && this.waiters.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.resolve({ value: undefined, done: true });
  }

  /** Ends the stream with an error, after the events already pushed. */
  fail(error: unknown): void {
    this.failure = { error };
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift() as T, done: false });
        if (this.failure) return Promise.reject(this.failure.error);
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        const next = new Promise<IteratorResult<T>>((resolve, reject) => this.waiters.push({ resolve, reject }));
        for (const idle of this.idlers.splice(0)) idle();
        return next;
      },
    };
  }
}

/**
 * An AsyncIterable whose producer runs once per iteration: `produce` pushes
 * into the channel until done (a rejection ends the stream with
 * `mapError(err)` after the events pushed). Breaking out of the consumer's
 * loop aborts the producer's signal and waits for it to finish, so that
 * whatever it holds (a lock, requests in flight) is released first.
 */
export function stoppableStream<T>(
  outer: AbortSignal | undefined,
  produce: (signal: AbortSignal, channel: EventChannel<T>) => Promise<void>,
  mapError: (err: unknown) => unknown = (err) => err,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const channel = new EventChannel<T>();
      const stop = new AbortController();
      const run = produce(anySignal(outer, stop.signal), channel).then(
        () => channel.close(),
        (err: unknown) => channel.fail(mapError(err)),
      );
      const it = channel[Symbol.asyncIterator]();
      return {
        next: () => it.next(),
        return: async () => {
          stop.abort();
          await run;
          return { value: undefined, done: true };
        },
      };
    },
  };
}
