import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@accord/event-store';
import { AppLogger } from '@accord/platform';
import { openReadDb } from '@accord/projections';
import { IncidentRaiser } from './incident-raiser';

/*
 * The raiser is kicked by a timer, the detector's callback and start-up, none of which can wait for it. A
 * pass that fails outside a single raise used to be dropped with `void`, so its rejection went unhandled,
 * which ends a Node process: a moment's failure to read the outbox would have taken the api down.
 */

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'accord-incident-raiser-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('logs a background pass that cannot read the outbox instead of leaving its rejection unhandled', async () => {
  const store = new SqliteEventStore({ file: join(dir, 'events.db') });
  // An outbox that cannot be read (here its table is missing) fails the pass outside any single raise.
  const db = openReadDb(join(dir, 'read.db'));
  const raw: string[] = [];
  const raiser = new IncidentRaiser(
    store,
    db,
    AppLogger.create('debug', { write: (l: string) => void raw.push(l) }),
  );
  try {
    raiser.drainInBackground();
    await raiser.whenIdle();
    // The handler that logs runs after the pass settles: give it that turn. (Jest keeps unhandled rejections
    // to itself, so the log line, which only a handler writes, is what shows the failure was handled.)
    await new Promise((resolve) => setImmediate(resolve));
    const errors = raw
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        msg: 'security incidents not raised: pass failed',
        context: 'IncidentRaiser',
      }),
    ]);
  } finally {
    db.close();
    await store.close();
  }
});
