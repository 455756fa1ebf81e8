import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@accord/event-store';
import { productReadModels } from '@accord/platform';
import { openReadDb, Projector, readCheckpoints, rebuildReadModels } from '@accord/projections';
import { auditLogPhases } from '../../bench/audit-log.bench';
import { dumpReadDb } from './read-db-dump';

/**
 * The Projector catching up from zero drops the read models' query-only indexes and builds them once it
 * reaches the head (docs/architecture.md §37.16). Killed with SIGKILL mid catch-up, the restarted Projector
 * resumes from the committed checkpoints, and what it ends with is what an offline rebuild of the same log
 * builds: every row, every table, every index. The log is the benchmarks' partnership.
 */

const ROOT = resolve(__dirname, '../..');
const CHILD = join(__dirname, 'catch-up-until-killed.child.js');
const EVENTS = 2_500;

describe('the Projector killed mid catch-up from zero', () => {
  let dir: string;
  let eventsFile: string;
  let head: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-catch-up-'));
    eventsFile = join(dir, 'events.db');
    const filled = await auditLogPhases.fill!({
      args: { file: eventsFile, objectsDir: join(dir, 'objects'), events: EVENTS },
      progress: () => undefined,
    });
    head = filled.ops;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes from its checkpoints and ends with the rows and indexes of an offline rebuild', async () => {
    const readDb = join(dir, 'read.db');
    const child = spawn(process.execPath, [CHILD, join(ROOT, 'dist'), eventsFile, readDb, String(head)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.on('exit', (_code, signal) => done(signal)),
    );
    await new Promise<void>((midway, failed) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('mid-catch-up')) midway();
      });
      child.on('exit', (code) => failed(new Error(`the catch-up exited (${code}) before it was killed`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const rebuilt = join(dir, 'rebuilt.db');
    const store = new SqliteEventStore({ file: eventsFile });
    try {
      const killedAt = openReadDb(readDb);
      const positions = readCheckpoints(killedAt).map((c) => c.position);
      const indexes = killedAt.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).pluck().all();
      killedAt.close();
      // Killed while the query-only indexes were deferred, waiting for the head.
      expect(indexes).not.toContain('audit_entries_by_time');
      // Killed between batches' commits: the read models are part way, never ahead of the log.
      expect(Math.min(...positions)).toBeGreaterThan(0);
      expect(Math.max(...positions)).toBeLessThan(head);

      const projector = new Projector({
        store,
        db: readDb,
        projections: productReadModels(),
        watchdog: false,
      });
      await projector.start();
      await projector.waitFor(head, 60_000);
      await projector.stop();
      await rebuildReadModels({ store, db: rebuilt, projections: productReadModels() });
    } finally {
      await store.close();
    }
    const resumed = dumpReadDb(readDb);
    const expected = dumpReadDb(rebuilt);
    expect(resumed.indexes).toEqual(expected.indexes);
    expect(resumed.indexes).toEqual(expect.arrayContaining(['audit_entries_by_time', 'inbox_items_page']));
    expect(resumed.rows).toEqual(expected.rows);
  });
});
