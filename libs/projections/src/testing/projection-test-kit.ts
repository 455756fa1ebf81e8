import { EventStore, NewEvent, SqliteEventStore, uuidv7 } from '@accord/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadDb } from '../projection';

/** A temp directory with a real SQLite event store and a read.db path; `cleanup()` removes both. */
export function tempStore(pollIntervalMs = 10): {
  dir: string;
  store: SqliteEventStore;
  readDb: string;
  cleanup: () => Promise<void>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'accord-projections-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.db'), pollIntervalMs });
  return {
    dir,
    store,
    readDb: join(dir, 'read.db'),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function newEvent(type: string, data: NewEvent['data'] = {}): NewEvent {
  return {
    eventId: uuidv7(),
    type,
    data,
    meta: { occurredAt: new Date().toISOString(), actor: { system: 'test' }, correlationId: uuidv7() },
  };
}

let tick = 0;

/**
 * An event by `actor` (a practitioner; none: the system) from a client in `country`. Ids and times follow the
 * order of creation, not the clock, so a fixture written from a log of these answers the same on every run.
 */
export function actorEvent(
  type: string,
  data: NewEvent['data'],
  actor?: { userId: string; orgId?: string },
  country?: string,
): NewEvent {
  tick++;
  return {
    eventId: `00000000-0000-7000-8000-${String(tick).padStart(12, '0')}`,
    type,
    data,
    meta: {
      occurredAt: new Date(Date.UTC(2025, 0, 1) + tick * 1000).toISOString(),
      // An actor without an organisation is malformed, but the read models must still judge it as before.
      actor: (actor ? { ...actor, role: 'practitioner' } : { system: 'test' }) as NewEvent['meta']['actor'],
      correlationId: `00000000-0000-7000-9000-${String(tick).padStart(12, '0')}`,
      ...(country ? { client: { ip: '10.0.0.1', country } } : {}),
    },
  };
}

/** `sender` shares a document with `recipients`, its payload stored in `storageRegion`, from the UK. */
export const sharedEvent = (sender: string, recipients: string[], storageRegion = 'uk'): NewEvent =>
  actorEvent(
    'DocumentShared',
    { agreementId: 'ag', senderOrg: sender, recipients, storageRegion, title: 't' },
    { userId: `${sender}-user`, orgId: sender },
    'GB',
  );

/** Appends `count` events to each of `streams` streams, types taking turns; returns the last position. */
export async function seed(
  store: EventStore,
  streams: number,
  count: number,
  types = ['A', 'B', 'C'],
): Promise<number> {
  let position = 0;
  for (let s = 0; s < streams; s++) {
    const events = Array.from({ length: count }, (_, i) => newEvent(types[(s + i) % types.length]!, { i }));
    ({ position } = await store.append(`test-${s}-${uuidv7()}`, events, 'no-stream'));
  }
  return position;
}

/** Polls until `condition` holds; fails the test after `timeoutMs` (a bound against hangs, not a timing claim). */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every row of the given tables, for comparing two builds of the same read models. */
export function dumpTables(db: ReadDb, tables: readonly string[]): Record<string, unknown[]> {
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all()]));
}
