import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvents, streamId } from '../../event-store.contract';
import { EventStore } from '../../event-store.port';
import { verifyEventStore } from '../../verify';
import { SqliteEventStore } from './sqlite.event-store';

/**
 * verifyEventStore takes a fast path on SQLite (hashing the stored canonical text, ChainCheckedLog). These
 * tests hold it to the generic path's verdict: the same store seen only through the EventStore port.
 */

type Column = 'event_id' | 'stream_id' | 'revision' | 'type' | 'data' | 'meta';

/** The same store with only the port's methods: verifyEventStore then decodes and re-hashes every event. */
function portOnly(store: EventStore): EventStore {
  return {
    adapter: store.adapter,
    append: (...a) => store.append(...a),
    readStream: (...a) => store.readStream(...a),
    readAll: (...a) => store.readAll(...a),
    subscribeToAll: (...a) => store.subscribeToAll(...a),
    headPosition: () => store.headPosition(),
    health: () => store.health(),
    close: () => store.close(),
  };
}

/** Rewrites one column of a stored event, bypassing the store. */
function rewrite(file: string, position: number, column: Column, change: (text: string) => string): void {
  const db = new Database(file);
  try {
    const value = db.prepare(`SELECT ${column} FROM events WHERE position = ?`).pluck().get(position);
    const changed = change(String(value));
    db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(
      column === 'revision' ? Number(changed) : changed,
      position,
    );
  } finally {
    db.close();
  }
}

/** `text` with the character at `index` (negative: from the end) replaced. */
function replaceAt(text: string, index: number, by: (c: string) => string): string {
  const i = index < 0 ? text.length + index : index;
  return text.slice(0, i) + by(text[i]!) + text.slice(i + 1);
}

const otherHex = (c: string) => (c === 'a' ? 'b' : 'a');
const flipCase = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());

describe('verifyEventStore on SQLite (stored-text fast path)', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let streams: string[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-sqlite-verify-'));
    file = join(dir, 'events.db');
    store = new SqliteEventStore({ file });
    streams = [streamId(), streamId()];
    // Interleaved, so a stream's events are not neighbours in the log.
    for (let round = 0; round < 3; round++) {
      for (const s of streams)
        await store.append(s, makeEvents(2), round === 0 ? 'no-stream' : round * 2 - 1);
    }
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('checks an intact log from the stored text, decoding no event', async () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const report = await verifyEventStore(store);
      expect(report).toEqual({ ok: true, eventsChecked: 12, streams: 2 });
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  const cases: [string, Column, (text: string) => string, string][] = [
    ['a character of the event id', 'event_id', (t) => replaceAt(t, -1, otherHex), 'hash-mismatch'],
    ['a character of the stream id', 'stream_id', (t) => replaceAt(t, -1, otherHex), 'revision-gap'],
    // 3 becomes 9: a revision the stream does not have, so the UNIQUE index lets it in.
    ['a digit of the revision', 'revision', (t) => String(Number(t) + 6), 'revision-gap'],
    ['a letter of the type', 'type', (t) => replaceAt(t, 0, flipCase), 'hash-mismatch'],
    ['a letter of the data', 'data', (t) => replaceAt(t, t.indexOf('event'), flipCase), 'hash-mismatch'],
    ['a digit of the occurrence time', 'meta', (t) => t.replace('03:04', '03:05'), 'hash-mismatch'],
    [
      'a character of prevHash',
      'meta',
      (t) => replaceAt(t, t.indexOf('"prevHash":"') + 12, otherHex),
      'prev-hash-mismatch',
    ],
    ['a character of the stored hash', 'meta', (t) => replaceAt(t, -3, otherHex), 'hash-mismatch'],
    ['a letter of the hash key', 'meta', (t) => t.replace('"hash":', '"hasH":'), 'hash-mismatch'],
    // Neither column parses any more: the event is named, not the verification aborted.
    ['the first quote of the data', 'data', (t) => t.replace('"', "'"), 'hash-mismatch'],
    ['the first quote of the meta', 'meta', (t) => t.replace('"', "'"), 'hash-mismatch'],
  ];

  it.each(cases)(
    'names the event when %s changes, as the generic check does',
    async (_what, column, change, reason) => {
      const victim = (await store.readStream(streams[0]!))[3]!;
      rewrite(file, victim.position, column, change);
      const fast = await verifyEventStore(store);
      expect(fast).toEqual(await verifyEventStore(portOnly(store)));
      expect(fast).toMatchObject({ ok: false, eventsChecked: 12 });
      expect(fast.firstBadEvent).toMatchObject({ position: victim.position, reason });
    },
  );

  it('accepts stored text that is not byte for byte canonical but holds the same event, as the generic check does', async () => {
    const victim = (await store.readStream(streams[1]!))[2]!;
    rewrite(file, victim.position, 'data', (t) => t.replace('{', '{ '));
    const fast = await verifyEventStore(store);
    expect(fast).toEqual({ ok: true, eventsChecked: 12, streams: 2 });
    expect(fast).toEqual(await verifyEventStore(portOnly(store)));
  });

  it('verifies only the accepted streams and reports progress per page', async () => {
    const progress: number[] = [];
    const report = await verifyEventStore(store, {
      streamFilter: (s) => s === streams[1],
      onProgress: (p) => progress.push(p.position),
    });
    expect(report).toEqual({ ok: true, eventsChecked: 6, streams: 1 });
    expect(progress).toEqual([12]);
  });
});
