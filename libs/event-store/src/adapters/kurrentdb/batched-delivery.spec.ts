import { PassThrough } from 'node:stream';
import { BatchedDelivery } from './batched-delivery';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets queued callbacks run; ordering, not time, is what the tests wait for. */
async function turns(n: number) {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
}

function setup(batchSize: number, map: (n: number) => number | undefined = (n) => n) {
  const source = new PassThrough({ objectMode: true });
  const batches: number[][] = [];
  const failures: unknown[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let pausedDuringDeliver = true;
  let gate: { promise: Promise<void>; resolve: (v: void) => void } | undefined;
  let waiter: { count: number; done: () => void } | undefined;
  const started = deferred();
  const delivery = new BatchedDelivery<number, number>({
    source,
    batchSize,
    map,
    deliver: async (batch) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      pausedDuringDeliver &&= source.isPaused();
      batches.push(batch);
      started.resolve();
      if (gate) await gate.promise;
      inFlight--;
      if (waiter && batches.flat().length >= waiter.count) waiter.done();
    },
    onFailure: (e) => failures.push(e),
  });
  const delivered = (count: number) =>
    new Promise<void>((done) => {
      if (batches.flat().length >= count) done();
      else waiter = { count, done };
    });
  return {
    source,
    delivery,
    batches,
    failures,
    delivered,
    stats: () => ({ maxInFlight, pausedDuringDeliver }),
    hold: () => (gate = deferred<void>()),
    started: started.promise,
  };
}

describe('batched delivery', () => {
  it('hands over every item once, in order, in batches no larger than the batch size', async () => {
    const t = setup(3);
    for (let i = 1; i <= 8; i++) t.source.write(i);
    await t.delivered(8);
    expect(t.batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Math.max(...t.batches.map((b) => b.length))).toBeLessThanOrEqual(3);
    expect(t.failures).toEqual([]);
  });

  it('starts the next batch only after the previous one has settled, with the source paused meanwhile', async () => {
    const t = setup(2);
    const gate = t.hold();
    for (let i = 1; i <= 6; i++) t.source.write(i);
    await t.started;
    await turns(5);
    expect(t.batches).toHaveLength(1);
    expect(t.source.isPaused()).toBe(true);
    gate.resolve();
    await t.delivered(6);
    expect(t.stats()).toEqual({ maxInFlight: 1, pausedDuringDeliver: true });
    expect(t.batches.flat()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('groups a burst that arrives in one turn into one batch', async () => {
    const t = setup(100);
    for (let i = 1; i <= 5; i++) t.source.write(i);
    await t.delivered(5);
    expect(t.batches).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('skips items the mapping rejects', async () => {
    const t = setup(10, (n) => (n % 2 === 0 ? n : undefined));
    for (let i = 1; i <= 6; i++) t.source.write(i);
    await t.delivered(3);
    expect(t.batches.flat()).toEqual([2, 4, 6]);
  });

  it('reports the first failure of the handler once and delivers nothing after it', async () => {
    const source = new PassThrough({ objectMode: true });
    const failed = deferred<unknown>();
    const seen: number[][] = [];
    const failures: unknown[] = [];
    new BatchedDelivery<number, number>({
      source,
      batchSize: 1,
      map: (n) => n,
      deliver: (batch) => {
        seen.push(batch);
        if (batch[0] === 2) throw new Error('projection failed');
      },
      onFailure: (e) => {
        failures.push(e);
        failed.resolve(e);
      },
    });
    for (let i = 1; i <= 4; i++) source.write(i);
    await failed.promise;
    source.emit('error', new Error('late'));
    expect(seen).toEqual([[1], [2]]);
    expect(failures).toHaveLength(1);
    expect((failures[0] as Error).message).toBe('projection failed');
  });

  it('treats the source ending as a failure, because a live subscription never ends on its own', async () => {
    const t = setup(5);
    const failed = new Promise<void>((r) => t.source.once('end', () => setImmediate(r)));
    t.source.end();
    t.source.resume();
    await failed;
    expect(t.failures).toHaveLength(1);
    expect((t.failures[0] as Error).message).toMatch(/ended/);
  });

  it('delivers nothing after stop', async () => {
    const t = setup(1);
    const gate = t.hold();
    t.source.write(1);
    t.source.write(2);
    await t.started;
    t.delivery.stop();
    gate.resolve();
    await turns(5);
    expect(t.batches).toEqual([[1]]);
    expect(t.delivery.isStopped).toBe(true);
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => setup(0)).toThrow(RangeError);
  });
});
