import type { RecordedEvent } from '@accord/event-store';
import { EventCountsProjection } from './testing/event-counts.projection';
import { eventually, newEvent, seed, tempStore } from './testing/projection-test-kit';
import { BatchApplier } from './batch-applier';
import { readCheckpoints } from './checkpoint.table';
import { CheckpointsMovedError } from './errors';
import { Projector } from './projector';
import type { ProjectorLogEntry } from './projector.types';
import { openReadDb } from './read-db';
import { getStreamHead, streamHeadsProjection } from './stream-heads.projection';

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('Projector under failures', () => {
  let env: ReturnType<typeof tempStore>;
  let projector: Projector | undefined;
  const logs: ProjectorLogEntry[] = [];
  beforeEach(() => {
    env = tempStore();
    logs.length = 0;
  });
  afterEach(async () => {
    await projector?.stop();
    projector = undefined;
    await env.cleanup();
  });

  const start = async (counts: EventCountsProjection): Promise<Projector> => {
    projector = new Projector({
      store: env.store,
      db: env.readDb,
      // stream-heads first: its writes for the failing batch happen before the throw and must roll back too.
      projections: [streamHeadsProjection, counts],
      batchSize: 50,
      retry: { initialMs: 5, maxMs: 20 },
      log: (e) => logs.push(e),
    });
    await projector.start();
    return projector;
  };

  it('rolls back the whole batch with its checkpoint, and after a restart applies each event exactly once', async () => {
    const first = await seed(env.store, 2, 10);
    await (await start(new EventCountsProjection())).waitFor(first, 10_000);
    await projector!.stop();

    // Appended while stopped, so catch-up hands the ten events over as one batch.
    const { position: last } = await env.store.append(
      'doomed',
      Array.from({ length: 10 }, () => newEvent('A')),
      'no-stream',
    );
    const failing = new EventCountsProjection();
    failing.failWhen = (e) => e.position === first + 5;
    await start(failing);
    await eventually(() => failing.calls >= 3 * 5);

    const db = openReadDb(env.readDb);
    expect(failing.positions(db)).toEqual(range(1, first));
    expect(getStreamHead(db, 'doomed')).toBeUndefined();
    expect(readCheckpoints(db).map((c) => c.position)).toEqual([first, first]);
    expect(projector!.position).toBe(first);
    expect((await projector!.status()).failing).toMatchObject({
      projection: 'test-event-counts',
      position: first + 5,
    });
    const errors = logs.filter((e) => e.level === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors[0]).toMatchObject({
      message: 'projection batch rolled back',
      projection: 'test-event-counts',
      position: first + 5,
    });

    // The "crash": this process gives up on the failing projector; a new one starts on the same files.
    await projector!.stop();
    const healed = new EventCountsProjection();
    await (await start(healed)).waitFor(last, 10_000);
    expect(healed.positions(db)).toEqual(range(1, last));
    expect(getStreamHead(db, 'doomed')).toMatchObject({ revision: 9, eventCount: 10, lastPosition: last });
    const heads = db.prepare('SELECT sum(event_count) FROM stream_heads').pluck().get();
    expect(heads).toBe(last);
    expect(readCheckpoints(db).map((c) => c.position)).toEqual([last, last]);
    db.close();
  });

  it('retries a failed batch with backoff and continues without skipping once the projection recovers', async () => {
    const counts = new EventCountsProjection();
    let failures = 0;
    counts.failWhen = (e) => e.type === 'B' && failures++ < 3;
    await start(counts);
    const last = await seed(env.store, 4, 5);
    await projector!.waitFor(last, 10_000);
    const db = openReadDb(env.readDb);
    expect(counts.positions(db)).toEqual(range(1, last));
    expect(failures).toBeGreaterThan(3);
    expect(logs.filter((e) => e.message === 'projection batch rolled back')).toHaveLength(3);
    expect(logs.some((e) => e.message === 'projection recovered')).toBe(true);
    expect((await projector!.status()).failing).toBeUndefined();
    db.close();
  });

  it('two projectors sharing one read.db never apply an event twice: the loser of each batch resubscribes', async () => {
    const [a, b] = [new EventCountsProjection(), new EventCountsProjection()];
    const projectors = [a, b].map(
      (counts) =>
        new Projector({
          store: env.store,
          db: env.readDb,
          projections: [counts],
          batchSize: 5,
          log: (e) => logs.push(e),
        }),
    );
    try {
      await Promise.all(projectors.map((p) => p.start()));
      const last = await seed(env.store, 6, 10);
      await Promise.all(projectors.map((p) => p.waitFor(last, 10_000)));
      const db = openReadDb(env.readDb);
      expect(a.positions(db)).toEqual(range(1, last));
      expect(a.calls + b.calls).toBeGreaterThanOrEqual(last);
      db.close();
    } finally {
      await Promise.all(projectors.map((p) => p.stop()));
    }
  });

  it('refuses a batch when another applier on the same connection moved its checkpoints', async () => {
    // SQLite's data_version ignores a connection's own commits; the applier's cheap check must not.
    const db = openReadDb(env.readDb);
    try {
      const last = await seed(env.store, 1, 4);
      const events: RecordedEvent[] = [];
      for await (const page of env.store.readAll()) events.push(...page);
      const counts = new EventCountsProjection();
      const first = new BatchApplier(db, [counts]);
      first.prepare(last);
      first.applyBatch(events.slice(0, 2));
      const second = new BatchApplier(db, [new EventCountsProjection()]);
      second.prepare(last);
      second.applyBatch(events.slice(2, 3));
      expect(() => first.applyBatch(events.slice(2))).toThrow(CheckpointsMovedError);
      // Reloaded from the stored rows, it goes on from where the other left them.
      first.applyBatch(events.slice(2));
      expect(counts.positions(db)).toEqual([1, 2, 3, 4]);
      expect(readCheckpoints(db).map((c) => c.position)).toEqual([last]);
    } finally {
      db.close();
    }
  });
});
