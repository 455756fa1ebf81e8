import { join } from 'node:path';
import { EventCountsProjection } from './testing/event-counts.projection';
import { dumpTables, newEvent, seed, tempStore } from './testing/projection-test-kit';
import { readCheckpoints } from './checkpoint.table';
import { Projector } from './projector';
import { openReadDb } from './read-db';
import { RebuildProgress, rebuildReadModels } from './rebuild';
import type { Projection } from './projection';
import { streamHeadsProjection } from './stream-heads.projection';

const TABLES = ['stream_heads', 'test-event-counts_log'];

describe('rebuild from zero', () => {
  let env: ReturnType<typeof tempStore>;
  beforeEach(() => (env = tempStore()));
  afterEach(() => env.cleanup());

  it('yields the same read models as the live build, dropping whatever else they held', async () => {
    const projector = new Projector({
      store: env.store,
      db: env.readDb,
      projections: [streamHeadsProjection, new EventCountsProjection()],
      batchSize: 3,
    });
    await projector.start();
    await seed(env.store, 4, 30);
    const { position: head } = await env.store.append(
      'mixed',
      [newEvent('A'), newEvent('D'), newEvent('E')],
      'no-stream',
    );
    await projector.waitFor(head, 10_000);
    await projector.stop();
    let db = openReadDb(env.readDb);
    const live = dumpTables(db, TABLES);
    expect(live['stream_heads']).toHaveLength(5);
    expect(live['test-event-counts_log']).toHaveLength(head);
    db.prepare(`INSERT INTO stream_heads VALUES ('stray', 0, 0, 1, 'X')`).run();

    const progress: RebuildProgress[] = [];
    const result = await rebuildReadModels({
      store: env.store,
      db: env.readDb,
      projections: [streamHeadsProjection, new EventCountsProjection()],
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({ events: head, position: head });
    // Connections opened before the rebuild keep the file it replaced, stray row included.
    expect(dumpTables(db, ['stream_heads'])['stream_heads']).toHaveLength(6);
    db.close();
    db = openReadDb(env.readDb);
    expect(dumpTables(db, TABLES)).toEqual(live);
    expect(progress[0]).toEqual({ events: 0, position: 0, head });
    expect(progress[progress.length - 1]).toEqual({ events: head, position: head, head });
    expect(readCheckpoints(db).map((c) => c.position)).toEqual([head, head]);
    db.close();
  });

  it('on a running projector pauses it, rebuilds, and resumes live projection', async () => {
    const counts = new EventCountsProjection();
    const projector = new Projector({
      store: env.store,
      db: env.readDb,
      projections: [streamHeadsProjection, counts],
    });
    await projector.start();
    try {
      const seeded = await seed(env.store, 3, 20);
      await projector.waitFor(seeded, 10_000);
      const callsBefore = counts.calls;
      const result = await projector.rebuild();
      expect(result.events).toBe(seeded);
      expect(counts.calls - callsBefore).toBe(seeded);
      const { position } = await env.store.append('after-rebuild', [newEvent('B')], 'no-stream');
      await projector.waitFor(position, 10_000);

      const reference = join(env.dir, 'reference.db');
      await rebuildReadModels({
        store: env.store,
        db: reference,
        projections: [streamHeadsProjection, new EventCountsProjection()],
      });
      const [db, ref] = [openReadDb(env.readDb), openReadDb(reference)];
      expect(dumpTables(db, TABLES)).toEqual(dumpTables(ref, TABLES));
      expect(counts.positions(db)).toHaveLength(position);
      db.close();
      ref.close();
    } finally {
      await projector.stop();
    }
  });

  it('given a path, keeps what it does not rebuild: other projections, but not tables its projections dropped', async () => {
    // Version 2 of a projection: its reset drops its version 1 table too.
    const v2: Projection = {
      name: 'versioned',
      version: 2,
      handles: ['A'],
      migrate: (db) => db.exec('CREATE TABLE IF NOT EXISTS versioned_v2 (position INTEGER PRIMARY KEY)'),
      reset: (db) => db.exec('DROP TABLE IF EXISTS versioned_v2; DROP TABLE IF EXISTS versioned_v1'),
      apply: (event, db) => void db.prepare('INSERT INTO versioned_v2 VALUES (?)').run(event.position),
    };
    const counts = new EventCountsProjection();
    const projector = new Projector({ store: env.store, db: env.readDb, projections: [counts] });
    await projector.start();
    const head = await seed(env.store, 3, 10);
    await projector.waitFor(head, 10_000);
    await projector.stop();
    let db = openReadDb(env.readDb);
    db.exec(`CREATE TABLE versioned_v1 (x); CREATE INDEX versioned_v1_x ON versioned_v1 (x)`);
    const countsBefore = dumpTables(db, ['test-event-counts_log']);
    expect(countsBefore['test-event-counts_log']).toHaveLength(head);
    db.close();

    await rebuildReadModels({ store: env.store, db: env.readDb, projections: [v2] });
    db = openReadDb(env.readDb);
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(['projection_checkpoints', 'test-event-counts_log', 'versioned_v2']);
    expect(dumpTables(db, ['test-event-counts_log'])).toEqual(countsBefore);
    expect(readCheckpoints(db)).toEqual([
      { name: 'test-event-counts', version: 1, position: head },
      { name: 'versioned', version: 2, position: head },
    ]);
    expect(db.prepare('SELECT count(*) FROM versioned_v2').pluck().get()).toBe(head / 3);
    db.close();
  });

  it('asks the store to decode every event up front only when some projection applies every event', async () => {
    await seed(env.store, 2, 5);
    const readAll = jest.spyOn(env.store, 'readAll');
    const decodeAsked = async (projections: Projection[]) => {
      readAll.mockClear();
      await rebuildReadModels({ store: env.store, db: env.readDb, projections });
      return readAll.mock.calls.map(([options]) => options?.decode);
    };
    // A rebuild gathers many pages before it applies any, so the store's adaptive decoding cannot see
    // whether they get read (docs/architecture.md §37.2.2).
    expect(await decodeAsked([new EventCountsProjection()])).toEqual(['eager']);
    expect(await decodeAsked([new EventCountsProjection({ handles: ['A'] })])).toEqual(['adaptive']);
  });
});
