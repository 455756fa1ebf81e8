import { Readable } from 'node:stream';

export interface BatchedDeliveryOptions<R, E> {
  /** An object-mode stream; it is paused while a batch is being handled so the transport's flow control holds the rest. */
  source: Readable;
  /** Maps a raw item to what is delivered; undefined skips it. A throw stops delivery and is reported. */
  map: (raw: R) => E | undefined;
  batchSize: number;
  deliver: (batch: E[]) => Promise<void> | void;
  /** Called once, for the first failure: a stream error, a throw from map or deliver, or the source ending. */
  onFailure: (error: unknown) => void;
}

/**
 * Turns a flowing stream into ordered batches handed over one at a time: the next batch waits for the
 * previous deliver() to settle. Items that arrive in one burst share a batch, up to batchSize.
 */
export class BatchedDelivery<R, E> {
  private buffer: E[] = [];
  private draining = false;
  private stopped = false;

  constructor(private readonly opts: BatchedDeliveryOptions<R, E>) {
    if (!Number.isSafeInteger(opts.batchSize) || opts.batchSize < 1)
      throw new RangeError('batchSize must be a positive integer');
    opts.source.on('data', (raw: R) => this.onData(raw));
    opts.source.on('error', (err: unknown) => this.fail(err));
    // A catch-up subscription never ends on its own; an end means the server dropped it, and the caller must resubscribe.
    opts.source.on('end', () => this.fail(new Error('the subscription ended')));
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Stops delivery; a batch being handled finishes, nothing after it is delivered. */
  stop(): void {
    this.stopped = true;
    this.buffer = [];
  }

  private onData(raw: R): void {
    if (this.stopped) return;
    let item: E | undefined;
    try {
      item = this.opts.map(raw);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (item !== undefined) this.buffer.push(item);
    if (this.buffer.length >= this.opts.batchSize) this.opts.source.pause();
    if (!this.draining) {
      this.draining = true;
      // setImmediate lets the rest of a burst already read from the socket join this batch.
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.buffer.length > 0 && !this.stopped) {
        this.opts.source.pause();
        const batch = this.buffer.splice(0, this.opts.batchSize);
        await this.opts.deliver(batch);
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.draining = false;
      if (!this.stopped) this.opts.source.resume();
    }
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.opts.source.pause();
    this.opts.onFailure(error);
  }
}
