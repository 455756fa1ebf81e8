import { EventCountsProjection } from './testing/event-counts.projection';
import { eventually, newEvent, seed, tempStore } from './testing/projection-test-kit';
import { ProjectionWaitTimeoutError } from './errors';
import { readCheckpoints } from './checkpoint.table';
import { Projector } from './projector';
import type { ProjectorLogEntry } from './projector.types';
import type { Projection } from './projection';
import { openReadDb } from './read-db';
import { getStreamHead, streamHeadsProjection } from './stream-heads.projection';

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('Projector', () => {
  let env: ReturnType<typeof tempStore>;
  let projector: Projector | undefined;
  beforeEach(() => (env = tempStore()));
  afterEach(async () => {
    await projector?.stop();
    projector = undefined;
    await env.cleanup();
  });

  it('catches up on the existing log, then projects new appends live', async () => {
    const seeded = await seed(env.store, 5, 20);
    const counts = new EventCountsProjection();
    projector = new Projector({
      store: env.store,
      db: env.readDb,
      projections: [counts, streamHeadsProjection],
      batchSize: 7,
    });
    await projector.start();
    await projector.waitFor(seeded, 10_000);
    const db = openReadDb(env.readDb);
    expect(counts.positions(db)).toEqual(range(1, seeded));

    const { position } = await env.store.append('live-1', [newEvent('A'), newEvent('B')], 'no-stream');
    await projector.waitFor(position, 10_000);
    expect(counts.positions(db)).toEqual(range(1, position));
    expect(getStreamHead(db, 'live-1')).toEqual({
      streamId: 'live-1',
      revision: 1,
      lastPosition: position,
      eventCount: 2,
      lastType: 'B',
    });
    expect(readCheckpoints(db)).toEqual([
      { name: 'stream-heads', version: 1, position },
      { name: 'test-event-counts', version: 1, position },
    ]);
    db.close();
  });

  it('advances every checkpoint past events that no projection handles', async () => {
    const onlyA = new EventCountsProjection({ handles: ['A'] });
    projector = new Projector({ store: env.store, db: env.readDb, projections: [onlyA] });
    await projector.start();
    await env.store.append('s-1', [newEvent('A')], 'no-stream');
    const { position } = await env.store.append('s-2', [newEvent('Z'), newEvent('Z')], 'no-stream');
    await projector.waitFor(position, 10_000);
    const db = openReadDb(env.readDb);
    expect(onlyA.positions(db)).toEqual([1]);
    expect(readCheckpoints(db)).toEqual([{ name: 'test-event-counts', version: 1, position }]);
    db.close();
  });

  it('waitFor resolves once the read models include an append made after the call', async () => {
    projector = new Projector({
      store: env.store,
      db: env.readDb,
      projections: [new EventCountsProjection()],
    });
    await projector.start();
    let resolved = false;
    const waiting = projector.waitFor(2, 10_000).then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(resolved).toBe(false);
    const { position } = await env.store.append('s-1', [newEvent('A'), newEvent('B')], 'no-stream');
    expect(position).toBe(2);
    await waiting;
    expect(projector.position).toBeGreaterThanOrEqual(2);
  });

  it('with gatherMs, what is appended during the pause is applied in one batch, each event once', async () => {
    let batches = 0;
    const counter: Projection = {
      name: 'batches',
      version: 1,
      handles: ['*'],
      migrate: () => undefined,
      reset: () => undefined,
      apply: () => undefined,
      startBatch: () => void batches++,
    };
    const counts = new EventCountsProjection();
    projector = new Projector({
      store: env.store,
      db: env.readDb,
      projections: [counts, counter],
      // Long enough that ten appends fit in it on a loaded CI machine (each is an fsync'd commit).
      gatherMs: 4_000,
    });
    await projector.start();
    let last = 0;
    for (let i = 0; i < 10; i++) {
      ({ position: last } = await env.store.append(`g-${i}`, [newEvent('A')], 'no-stream'));
      // Without the pause each append would be read as its own delivery.
      await new Promise((r) => setTimeout(r, 10));
    }
    await projector.waitFor(last, 20_000);
    const db = openReadDb(env.readDb);
    expect(counts.positions(db)).toEqual(range(1, 10));
    // The first append's delivery, then the other nine appended while it paused.
    expect(batches).toBeLessThanOrEqual(2);
    expect(readCheckpoints(db).map((c) => c.position)).toEqual([10, 10]);
    db.close();
  });

  it('with gatherMs, a full batch (a catch-up) is applied without a pause', async () => {
    const seeded = await seed(env.store, 4, 5);
    const counts = new EventCountsProjection();
    projector = new Projector({
      store: env.store,
      db: env.readDb,
      projections: [counts],
      batchSize: 5,
      gatherMs: 600_000,
    });
    await projector.start();
    await projector.waitFor(seeded, 10_000);
    const db = openReadDb(env.readDb);
    expect(counts.positions(db)).toEqual(range(1, seeded));
    db.close();
  });

  it('waitFor rejects with a typed timeout error when the projector is stopped', async () => {
    projector = new Projector({
      store: env.store,
      db: env.readDb,
      projections: [new EventCountsProjection()],
    });
    await projector.start();
    const seeded = await seed(env.store, 1, 3);
    await projector.waitFor(seeded, 10_000);
    await projector.stop();
    const { position } = await env.store.append('s-late', [newEvent('A')], 'no-stream');
    const error = await projector.waitFor(position, 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectionWaitTimeoutError);
    expect(error).toMatchObject({
      code: 'projections.wait-timeout',
      position,
      reached: seeded,
      timeoutMs: 100,
    });
  });

  it('resets and rebuilds from zero a projection whose code version changed, and only that one', async () => {
    const seeded = await seed(env.store, 3, 10);
    projector = new Projector({
      store: env.store,
      db: env.readDb,
      projections: [
        new EventCountsProjection({ name: 'changing' }),
        new EventCountsProjection({ name: 'steady' }),
      ],
    });
    await projector.start();
    await projector.waitFor(seeded, 10_000);
    await projector.stop();

    const logs: ProjectorLogEntry[] = [];
    const changed = new EventCountsProjection({ name: 'changing', version: 2 });
    const steady = new EventCountsProjection({ name: 'steady' });
    projector = new Projector({
      store: env.store,
      db: env.readDb,
      projections: [changed, steady],
      log: (e) => logs.push(e),
    });
    await projector.start();
    await projector.waitFor(seeded, 10_000);
    const db = openReadDb(env.readDb);
    expect(changed.positions(db)).toEqual(range(1, seeded));
    expect(changed.calls).toBe(seeded);
    expect(steady.calls).toBe(0);
    expect(steady.positions(db)).toEqual(range(1, seeded));
    expect(
      logs.filter((e) => e.message === 'read model reset for a rebuild').map((e) => e.projection),
    ).toEqual(['changing']);
    expect(readCheckpoints(db)).toEqual([
      { name: 'changing', version: 2, position: seeded },
      { name: 'steady', version: 1, position: seeded },
    ]);
    db.close();
  });

  it('resets read models whose checkpoint is beyond the head of the log they are given', async () => {
    const seeded = await seed(env.store, 2, 5);
    const counts = new EventCountsProjection();
    projector = new Projector({ store: env.store, db: env.readDb, projections: [counts] });
    await projector.start();
    await projector.waitFor(seeded, 10_000);
    await projector.stop();
    await env.store.close();

    const fresh = tempStore();
    try {
      const other = await seed(fresh.store, 1, 3);
      const again = new EventCountsProjection();
      projector = new Projector({ store: fresh.store, db: env.readDb, projections: [again] });
      await projector.start();
      await projector.waitFor(other, 10_000);
      const db = openReadDb(env.readDb);
      expect(again.positions(db)).toEqual(range(1, other));
      db.close();
    } finally {
      await projector.stop();
      await fresh.cleanup();
    }
  });
  describe('query indexes of a read model catching up from zero (docs/architecture.md §37.16)', () => {
    /** A catch-up held after the batch ending at 14 (batches of 7) by a failure at 15, until `release`. */
    async function heldCatchUp(projections: EventCountsProjection[], held: EventCountsProjection) {
      held.failWhen = (e) => e.position === 15;
      projector = new Projector({
        store: env.store,
        db: env.readDb,
        projections,
        batchSize: 7,
        retry: { initialMs: 5, maxMs: 20 },
      });
      await projector.start();
      await eventually(() => projector!.position === 14);
    }

    it('are built once the catch-up reaches the head, not kept up to date during it', async () => {
      const seeded = await seed(env.store, 4, 10);
      const counts = new EventCountsProjection({ queryIndex: true });
      await heldCatchUp([counts], counts);
      const db = openReadDb(env.readDb);
      expect(counts.indexes(db)).toEqual([]);
      // Queries still answer meanwhile, from the rows applied so far.
      expect(counts.countsByType(db)).toEqual({ A: 5, B: 5, C: 4 });

      counts.failWhen = undefined;
      await projector!.waitFor(seeded, 10_000);
      expect(counts.indexes(db)).toEqual(['test-event-counts_by_type']);
      expect(counts.positions(db)).toEqual(range(1, seeded));

      // Live appends keep the built index up to date like any other.
      const { position } = await env.store.append('live-1', [newEvent('A')], 'no-stream');
      await projector!.waitFor(position, 10_000);
      expect(
        db
          .prepare(
            `SELECT count(*) FROM "test-event-counts_log" INDEXED BY "test-event-counts_by_type" WHERE type = 'A'`,
          )
          .pluck()
          .get(),
      ).toBe(counts.countsByType(db)['A']);
      db.close();
    });

    it('are back after a restart mid catch-up, and every event is applied once', async () => {
      const seeded = await seed(env.store, 4, 10);
      const held = new EventCountsProjection({ queryIndex: true });
      await heldCatchUp([held], held);
      await projector!.stop();
      const db = openReadDb(env.readDb);
      expect(held.indexes(db)).toEqual([]);

      const counts = new EventCountsProjection({ queryIndex: true });
      projector = new Projector({ store: env.store, db: env.readDb, projections: [counts], batchSize: 7 });
      await projector.start();
      // The restart's migrate builds them from the rows so far; they are kept up to date from there.
      expect(counts.indexes(db)).toEqual(['test-event-counts_by_type']);
      await projector.waitFor(seeded, 10_000);
      expect(counts.indexes(db)).toEqual(['test-event-counts_by_type']);
      expect(counts.positions(db)).toEqual(range(1, seeded));
      db.close();
    });

    it('the connection has a large page cache during the catch-up, and its own back after it', async () => {
      const seeded = await seed(env.store, 4, 10);
      const db = openReadDb(env.readDb);
      const own = db.pragma('cache_size', { simple: true });
      const counts = new EventCountsProjection({ queryIndex: true });
      counts.failWhen = (e) => e.position === 15;
      projector = new Projector({
        store: env.store,
        db,
        projections: [counts],
        batchSize: 7,
        retry: { initialMs: 5, maxMs: 20 },
      });
      await projector.start();
      await eventually(() => projector!.position === 14);
      expect(db.pragma('cache_size', { simple: true })).toBe(-256 * 1024);
      counts.failWhen = undefined;
      await projector.waitFor(seeded, 10_000);
      expect(db.pragma('cache_size', { simple: true })).toBe(own);
      expect(counts.indexes(db)).toEqual(['test-event-counts_by_type']);
      await projector.stop();
      db.close();
    });

    it('are deferred only for the read models starting from zero', async () => {
      const seeded = await seed(env.store, 2, 10);
      projector = new Projector({
        store: env.store,
        db: env.readDb,
        projections: [
          new EventCountsProjection({ name: 'bumped', queryIndex: true }),
          new EventCountsProjection({ name: 'steady', queryIndex: true }),
        ],
      });
      await projector.start();
      await projector.waitFor(seeded, 10_000);
      await projector.stop();
      await seed(env.store, 2, 10);

      const bumped = new EventCountsProjection({ name: 'bumped', version: 2, queryIndex: true });
      const steady = new EventCountsProjection({ name: 'steady', queryIndex: true });
      await heldCatchUp([bumped, steady], bumped);
      const db = openReadDb(env.readDb);
      expect(bumped.indexes(db)).toEqual([]);
      expect(steady.indexes(db)).toEqual(['steady_by_type']);
      bumped.failWhen = undefined;
      const head = await env.store.headPosition();
      await projector!.waitFor(head, 10_000);
      expect(bumped.indexes(db)).toEqual(['bumped_by_type']);
      expect(bumped.positions(db)).toEqual(range(1, head));
      db.close();
    });
  });
});
