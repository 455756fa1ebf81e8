import { GENESIS_HASH, NewEvent, SqliteEventStore } from '@accord/event-store';
import { join } from 'node:path';
// The adapter's own sealing, which its index does not export: timed alone to show what it costs.
import { sealRows } from '../libs/event-store/src/adapters/sqlite/sqlite.seal';
import { makeEvents, streamName } from './fixtures';
import {
  Phase,
  PhaseContext,
  Workload,
  collectGarbage,
  compare,
  figure,
  interleaved,
  now,
  scaled,
  secondsSince,
} from './harness';
import { RawStreamWriter, eventsTableDdl, openRawDb } from './raw-sqlite';

/**
 * (a) Appends of ~300-byte events through SqliteEventStore, one event per awaited append and 100 per append,
 * against raw better-sqlite3 inserts of the same rows into the same table with the same pragmas (one
 * transaction per row; 100 rows per transaction). Both sides are given pre-built input, so the adapter's
 * extra work (hash chain, canonical JSON, revision checks, idempotency) is exactly what the ratio shows.
 */

const SINGLE_STREAMS = 500;
const EVENTS_PER_BATCHED_STREAM = 1_000;
const WARM_UP = 200;
/** Input is built in chunks outside the timing, so memory holds one chunk and peak RSS is the store's own. */
const CHUNK_EVENTS = 20_000;

type Append = { stream: string; events: NewEvent[] };

/** The appends of a run, chunk by chunk; append n goes to stream n mod streams. */
function* plan(events: number, perAppend: number, prefix: string): Generator<Append[]> {
  const streams =
    perAppend === 1 ? SINGLE_STREAMS : Math.max(1, Math.ceil(events / EVENTS_PER_BATCHED_STREAM));
  for (let from = 0; from < events; from += CHUNK_EVENTS) {
    const chunk: Append[] = [];
    for (let i = from; i < Math.min(events, from + CHUNK_EVENTS); i += perAppend) {
      const n = i / perAppend;
      chunk.push({
        stream: streamName(prefix, n % streams),
        events: makeEvents(i, Math.min(perAppend, events - i)),
      });
    }
    yield chunk;
  }
}

async function rawPhase(ctx: PhaseContext): ReturnType<Phase> {
  const { file, events, perAppend, chainTimed } = ctx.args as {
    file: string;
    events: number;
    perAppend: number;
    chainTimed?: boolean;
  };
  const db = openRawDb(file);
  const writer = new RawStreamWriter(db);
  for (const chunk of plan(WARM_UP * perAppend, perAppend, 'warm-')) {
    for (const a of chunk) writer.insertInOneTransaction(writer.prepare(a.stream, a.events));
  }
  let seconds = 0;
  for (const chunk of plan(events, perAppend, 'b-')) {
    collectGarbage();
    if (chainTimed) {
      // The floor for any adapter that must seal the chain: hashing and serialising are timed too.
      const start = now();
      for (const a of chunk) writer.insertInOneTransaction(writer.prepare(a.stream, a.events));
      seconds += secondsSince(start);
      continue;
    }
    const rows = chunk.map((a) => writer.prepare(a.stream, a.events));
    const start = now();
    for (const r of rows) writer.insertInOneTransaction(r);
    seconds += secondsSince(start);
  }
  db.close();
  return { ops: events, seconds, info: { ddl: eventsTableDdl(file) } };
}

async function adapterPhase(ctx: PhaseContext): ReturnType<Phase> {
  const { file, events, perAppend, merkle } = ctx.args as {
    file: string;
    events: number;
    perAppend: number;
    merkle?: boolean;
  };
  // merkle false: the baseline without the log's Merkle tree, to show what keeping it costs (issue 12).
  const store = new SqliteEventStore({ file, merkle: merkle !== false });
  const revisions = new Map<string, number>();
  const run = async (appends: Append[]) => {
    for (const a of appends) {
      const r = await store.append(a.stream, a.events, revisions.get(a.stream) ?? 'no-stream');
      revisions.set(a.stream, r.nextExpectedRevision);
    }
  };
  for (const chunk of plan(WARM_UP * perAppend, perAppend, 'warm-')) await run(chunk);
  let seconds = 0;
  for (const chunk of plan(events, perAppend, 'b-')) {
    collectGarbage();
    const start = now();
    await run(chunk);
    seconds += secondsSince(start);
  }
  const head = await store.headPosition();
  await store.close();
  if (head !== events + WARM_UP * perAppend)
    throw new Error(`expected head ${events + WARM_UP * perAppend}, got ${head}`);
  return { ops: events, seconds, info: { ddl: eventsTableDdl(file) } };
}

/** The adapter's sealing alone (canonical JSON, sha256, the stored meta) over the same appends: no database. */
async function sealPhase(ctx: PhaseContext): ReturnType<Phase> {
  const { events, perAppend } = ctx.args as { events: number; perAppend: number };
  const heads = new Map<string, { revision: number; hash: string }>();
  let sealed = 0;
  const seal = (appends: Append[]) => {
    for (const a of appends) {
      const head = heads.get(a.stream);
      const { rows, lastHash } = sealRows(
        a.stream,
        head ? head.revision + 1 : 0,
        head ? head.hash : GENESIS_HASH,
        a.events,
      );
      sealed += rows.length;
      heads.set(a.stream, { revision: rows[rows.length - 1]![1], hash: lastHash });
    }
  };
  for (const chunk of plan(WARM_UP * perAppend, perAppend, 'warm-')) seal(chunk);
  sealed = 0;
  let seconds = 0;
  for (const chunk of plan(events, perAppend, 'b-')) {
    collectGarbage();
    const start = now();
    seal(chunk);
    seconds += secondsSince(start);
  }
  if (sealed !== events) throw new Error(`sealed ${sealed} events, expected ${events}`);
  return { ops: events, seconds };
}

export const eventStoreAppend: Workload = {
  name: 'append',
  title: '(a) Appends of ~300-byte events: SqliteEventStore vs raw better-sqlite3',
  goal: 'batched appends (100 events per append) within 1.5x of raw inserts (100 rows per transaction)',
  phases: { raw: rawPhase, adapter: adapterPhase, seal: sealPhase },
  async run(ctx) {
    const repeats = ctx.scale >= 1 ? 3 : 1;
    const single = scaled(5_000, ctx.scale, 200);
    const batched = scaled(200_000, ctx.scale, 2_000);
    const file = (side: string, kind: string, run: number) =>
      join(ctx.dir, `append-${side}-${kind}-${run}.db`);
    const [rawSingle, adapterSingle] = await interleaved(ctx, 'append', repeats, [
      { phase: 'raw', args: (r) => ({ file: file('raw', 'single', r), events: single, perAppend: 1 }) },
      {
        phase: 'adapter',
        args: (r) => ({ file: file('adapter', 'single', r), events: single, perAppend: 1 }),
      },
    ]);
    const [rawBatched, adapterBatched, chainedBatched, sealOnly, noTreeBatched] = await interleaved(
      ctx,
      'append',
      repeats,
      [
        { phase: 'raw', args: (r) => ({ file: file('raw', 'batched', r), events: batched, perAppend: 100 }) },
        {
          phase: 'adapter',
          args: (r) => ({ file: file('adapter', 'batched', r), events: batched, perAppend: 100 }),
        },
        {
          phase: 'raw',
          label: 'raw + sealing',
          args: (r) => ({
            file: file('chained', 'batched', r),
            events: batched,
            perAppend: 100,
            chainTimed: true,
          }),
        },
        { phase: 'seal', label: 'sealing alone', args: () => ({ events: batched, perAppend: 100 }) },
        {
          phase: 'adapter',
          label: 'adapter without the Merkle tree',
          args: (r) => ({
            file: file('notree', 'batched', r),
            events: batched,
            perAppend: 100,
            merkle: false,
          }),
        },
      ],
    );
    const f = {
      rawSingle: figure('raw: one row per transaction', rawSingle!),
      adapterSingle: figure('adapter: one event per append (awaited in turn)', adapterSingle!),
      rawBatched: figure('raw: 100 rows per transaction', rawBatched!),
      adapterBatched: figure('adapter: 100 events per append', adapterBatched!),
      chainedBatched: figure(
        'raw + sealing timed (chainEvents, JSON.stringify), 100 rows per transaction',
        chainedBatched!,
      ),
      sealOnly: figure("sealing alone: the adapter's sealRows over the same appends, no database", sealOnly!),
      noTreeBatched: figure(
        'adapter without the Merkle tree (baseline), 100 events per append',
        noTreeBatched!,
      ),
    };
    const ddl = new Set([...rawSingle!, ...adapterSingle!].map((r) => String(r.info?.ddl)));
    const notes =
      ddl.size === 1
        ? []
        : ["WARNING: the raw `events` table differs from the adapter's; update bench/raw-sqlite.ts."];
    return {
      name: this.name,
      title: this.title,
      goal: this.goal,
      figures: [
        f.adapterSingle,
        f.rawSingle,
        f.adapterBatched,
        f.noTreeBatched,
        f.rawBatched,
        f.chainedBatched,
        f.sealOnly,
      ],
      comparisons: [
        compare('one event per append', f.adapterSingle, f.rawSingle, 'slowdown'),
        compare('100 events per append', f.adapterBatched, f.rawBatched, 'slowdown', {
          text: '≤ 1.5x',
          met: (ratio) => ratio <= 1.5,
        }),
        compare(
          '100 events per append: with the Merkle tree vs without',
          f.adapterBatched,
          f.noTreeBatched,
          'slowdown',
          {
            text: '≤ 1.1x',
            met: (ratio) => ratio <= 1.1,
          },
        ),
        compare(
          '100 events per append, against the sealing floor',
          f.adapterBatched,
          f.chainedBatched,
          'slowdown',
        ),
      ],
      notes: [
        ...notes,
        `Single appends go round-robin over ${SINGLE_STREAMS} streams, batches to streams of 1,000 events; each side first ` +
          `does ${WARM_UP} untimed appends. WAL, synchronous=FULL on both sides: single appends are bound by one fsync each.`,
        sealingNote(f.adapterBatched.rate, f.rawBatched.rate, f.sealOnly.rate),
        "The Merkle tree's cost per event (counted with valgrind callgrind, 2026-12-06: 59,600 instructions, 52% of " +
          "them SHA-256, about 2% SQLite's work on the row) is mostly a second SHA-256 over the event's whole text: the " +
          'leaf is `{"event": body, "hash", "position"}` and the chain hashes `prevHash ‖ body`, so no hashing can be ' +
          'shared. Neither lever of docs/architecture.md §6.7 is done: hashing once needs a new leaf format (every ' +
          'stored tree and held checkpoint with it); tiles would save at most the rows (§37.3). ' +
          "Callgrind's 52% overstates the hash: valgrind runs SHA-256 without SHA-NI. Natively much of the tree's " +
          "cost was the leaf text, its garbage and crypto.hash's Buffer output; docs/architecture.md §37.9 " +
          "(2026-12-07) cut the tree's hashing and buffers from 5.0 to 3.3 µs an event with the leaf bytes " +
          'unchanged. Runs of this workload at scale 0.25 alternated before and after at load average 5-7 ' +
          '(08:03-08:06, one run each) gave the tree ratio 0.85 and 1.36x before, 1.31 and 1.11x after: moved by ' +
          'the load more than by the change, so the ratio wants the quiet re-run.',
        "This stop's before and after, quiet (2026-12-07 08:13-08:28 UTC, load average under 2.1), the last stop's build (074eb69, run with this bench code) then this one back to back: 100 events per append 45,703 -> 50,405 events/s (raw 88,518 and 100,375: 1.94x -> 1.99x of raw, whose own figure moved more); the Merkle tree 1.35x -> 1.21x of the adapter without it (docs/architecture.md §37.9); one event per append 2,374 -> 3,089 events/s (raw 4,663 and 4,746). Not met: 1.5x of raw; the tree's 1.1x.",
        "The tree's fifth step (docs/architecture.md §37.14, 2026-12-07 09:20-10:13, load average 1.2-4.1): hashes as " +
          "latin1 strings through the compact range (no Buffer per hash), the leaf's closing text written byte by byte, " +
          "the file's sizes read only when another connection committed, and a batch's leaves written 32 to a row of " +
          'merkle_tree (older files, a row per leaf, read as they are). The tree alone with SQLite, 100-event batches ' +
          'on a tmpfs file, builds alternated, 9 runs: 4.74 -> 3.83 µs of CPU an event (minima 4.31 -> 3.58), of ' +
          'which the rows 4.33 -> 3.92. This workload, base and this build alternated: at scale 0.5 the tree ratio ' +
          '1.26x and 1.32x -> 1.18x and 1.26x (09:58-10:05), at scale 1 1.24x -> 1.20x (51,152 -> 52,320 events/s ' +
          "with the tree, 10:09-10:13). (a)'s 1.1x is not met: the leaf's SHA-256 over ~930 bytes is most of what is " +
          'left, which only a new leaf format removes (§37.3).',
        "This stop's before and after, quiet (2026-12-07 10:17-10:32 UTC, load average under 2.3), the last stop's build (f2be744, run with this bench code) then this one back to back: 100 events per append 49,498 -> 56,361 events/s (raw 103,285 and 105,367: 2.09x -> 1.87x of raw); against the sealing floor (raw rows with chainEvents and JSON.stringify timed) 1.05x -> 0.99x; sealing alone (sealRows, no database) 186,827 -> 238,002 events/s (5.4 -> 4.2 µs an event: docs/architecture.md §37.13's canonical JSON); the Merkle tree 1.26x -> 1.25x of the adapter without it (§37.14 cut the tree's own CPU by about a fifth, but sealing got cheaper in both builds' denominators alike); one event per append 3,320 -> 3,362 events/s (raw 5,476 and 5,245). One run of each build. Not met: 1.5x of raw with 100 events per append, the tree's 1.1x (what is left of it is the leaf's SHA-256 over the whole sealed body, which only §37.3's new leaf format removes).",
      ],
    };
  },
};

/** Why the batched ratio sits where it does: every event must be sealed, which the raw side never does. */
function sealingNote(adapterRate: number, rawRate: number, sealRate: number): string {
  const us = (x: number) => `${x.toFixed(1)} µs`;
  const sealUs = 1e6 / sealRate;
  const budget = 0.5 * (1e6 / rawRate);
  return (
    `Per event: raw insert ${us(1e6 / rawRate)}, adapter ${us(1e6 / adapterRate)}, sealing alone ${us(sealUs)} ` +
    '(canonical JSON of data and meta, sha256, the stored meta text). Within 1.5x the adapter may spend ' +
    `${us(budget)} per event beyond a raw insert, ` +
    (sealUs > budget
      ? 'less than sealing alone costs here (the raw side inserts rows serialised and hashed before its ' +
        'timing starts): out of reach for an adapter that seals each event as it appends it, unless its ' +
        'inserts were far cheaper than raw ones.'
      : `of which sealing takes ${Math.round((100 * sealUs) / budget)}%.`)
  );
}
