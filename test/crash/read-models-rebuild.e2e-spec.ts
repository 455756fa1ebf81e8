import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@accord/event-store';
import { productReadModels } from '@accord/platform';
import { openReadDb, Projector, rebuildReadModels } from '@accord/projections';
import { auditLogPhases } from '../../bench/audit-log.bench';
import { dumpReadDb } from './read-db-dump';

/**
 * `accord admin rebuild` builds a fresh file without journal or fsync and renames it over read.db
 * (docs/architecture.md §37.2). Two things must hold: what it builds is what live projection builds from the
 * same log, table by table and row by row, whatever the batch boundaries; and a rebuild killed before its
 * swap leaves the old read models as they were and usable. The log is the benchmarks' partnership (every
 * read model's events, written through the adapter).
 */

const ROOT = resolve(__dirname, '../..');
const CHILD = join(__dirname, 'rebuild-until-killed.child.js');
const EVENTS = 2_500;

describe('offline rebuild of every read model', () => {
  let dir: string;
  let eventsFile: string;
  let head: number;
  let live: Record<string, unknown[]>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-rebuild-'));
    eventsFile = join(dir, 'events.db');
    const filled = await auditLogPhases.fill!({
      args: { file: eventsFile, objectsDir: join(dir, 'objects'), events: EVENTS },
      progress: () => undefined,
    });
    head = filled.ops;
    // Live projection in small batches, so batch boundaries fall everywhere the rebuild's do not.
    const store = new SqliteEventStore({ file: eventsFile });
    const projector = new Projector({
      store,
      db: join(dir, 'read.db'),
      projections: productReadModels(),
      batchSize: 7,
      watchdog: false,
    });
    await projector.start();
    await projector.waitFor(head, 60_000);
    await projector.stop();
    await store.close();
    live = dumpReadDb(join(dir, 'read.db')).rows;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('equals live projection of the same log, row for row, in a fresh file and in place', async () => {
    expect(live['audit_entries']!.length).toBeGreaterThan(EVENTS / 2);
    expect(live['audit_org_words']!.length).toBeGreaterThan(0);
    // Shares, refusals and destructions; an access's movement is derived from its audit entry (§37.2.2).
    expect(live['transfers']!.length).toBeGreaterThan(EVENTS / 50);
    const store = new SqliteEventStore({ file: eventsFile });
    try {
      const fresh = join(dir, 'fresh.db');
      const result = await rebuildReadModels({ store, db: fresh, projections: productReadModels() });
      expect(result).toEqual({ events: head, position: head });
      expect(dumpReadDb(fresh).rows).toEqual(live);
      expect(existsSync(`${fresh}.rebuild`)).toBe(false);
      // In place, on an open connection, over read models that already hold everything.
      const inPlace = openReadDb(fresh);
      try {
        await rebuildReadModels({ store, db: inPlace, projections: productReadModels() });
      } finally {
        inPlace.close();
      }
      expect(dumpReadDb(fresh).rows).toEqual(live);
    } finally {
      await store.close();
    }
  });

  it('killed before its swap, leaves the old read models whole; the next rebuild discards its leftover', async () => {
    const readDb = join(dir, 'read.db');
    const child = spawn(process.execPath, [CHILD, join(ROOT, 'dist'), eventsFile, readDb], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.on('exit', (_code, signal) => done(signal)),
    );
    await new Promise<void>((midway, failed) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('mid-rebuild')) midway();
      });
      child.on('exit', (code) => failed(new Error(`the rebuild exited (${code}) before it was killed`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(`${readDb}.rebuild`)).toBe(true);
    expect(dumpReadDb(readDb).rows).toEqual(live);

    const store = new SqliteEventStore({ file: eventsFile });
    try {
      await rebuildReadModels({ store, db: readDb, projections: productReadModels() });
    } finally {
      await store.close();
    }
    expect(existsSync(`${readDb}.rebuild`)).toBe(false);
    expect(dumpReadDb(readDb).rows).toEqual(live);
  });
});
