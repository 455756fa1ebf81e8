import { SqliteEventStore } from '@accord/event-store';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { makeEvents, streamName } from './fixtures';
import {
  Phase,
  Workload,
  collectGarbage,
  compare,
  figure,
  interleaved,
  now,
  scaled,
  secondsSince,
} from './harness';
import { RawRow, RawStreamWriter, openRawDb } from './raw-sqlite';

/**
 * (d) 16 writers, each appending one event at a time to its own stream and waiting until it is durable before
 * the next. The adapter may gather the appends that wait together into one transaction (group commit); the
 * naive baseline commits each append on its own, as a plain better-sqlite3 loop would, with synchronous=FULL.
 */

const WRITERS = 16;
const WARM_UP_PER_WRITER = 20;

/** Each writer's appends, chained and serialised ahead of time: rows[writer][append]. */
function prebuiltRows(writer: RawStreamWriter, perWriter: number): RawRow[][][] {
  const rows: RawRow[][][] = [];
  for (let w = 0; w < WRITERS; w++) {
    const events = makeEvents(w * (perWriter + WARM_UP_PER_WRITER), perWriter + WARM_UP_PER_WRITER);
    rows.push(events.map((e) => writer.prepare(streamName('writer-', w), [e])));
  }
  return rows;
}

const naive: Phase = async (ctx) => {
  const { file, perWriter } = ctx.args as { file: string; perWriter: number };
  const db = openRawDb(file);
  const writer = new RawStreamWriter(db);
  const rows = prebuiltRows(writer, perWriter);
  const runWriter = async (w: number, from: number, to: number) => {
    for (let i = from; i < to; i++) {
      // One transaction per append, committed (and fsynced) before the writer goes on.
      writer.insertInOneTransaction(rows[w]![i]!);
      await yieldToLoop();
    }
  };
  await Promise.all(rows.map((_, w) => runWriter(w, 0, WARM_UP_PER_WRITER)));
  collectGarbage();
  const start = now();
  await Promise.all(rows.map((_, w) => runWriter(w, WARM_UP_PER_WRITER, WARM_UP_PER_WRITER + perWriter)));
  const seconds = secondsSince(start);
  db.close();
  return { ops: WRITERS * perWriter, seconds };
};

/**
 * The ceiling for group commit on this disk: one pre-built row of each writer per transaction, so each
 * commit carries the 16 appends that can be waiting at once, with no sealing, checks or event loop.
 */
const grouped: Phase = async (ctx) => {
  const { file, perWriter } = ctx.args as { file: string; perWriter: number };
  const db = openRawDb(file);
  const writer = new RawStreamWriter(db);
  const rows = prebuiltRows(writer, perWriter);
  const round = (i: number) => rows.map((r) => r[i]![0]!);
  for (let i = 0; i < WARM_UP_PER_WRITER; i++) writer.insertInOneTransaction(round(i));
  const rounds = Array.from({ length: perWriter }, (_, k) => round(WARM_UP_PER_WRITER + k));
  collectGarbage();
  const start = now();
  for (const r of rounds) writer.insertInOneTransaction(r);
  const seconds = secondsSince(start);
  db.close();
  return { ops: WRITERS * perWriter, seconds };
};

const adapter: Phase = async (ctx) => {
  const { file, perWriter } = ctx.args as { file: string; perWriter: number };
  const store = new SqliteEventStore({ file });
  const events = Array.from({ length: WRITERS }, (_, w) =>
    makeEvents(w * (perWriter + WARM_UP_PER_WRITER), perWriter + WARM_UP_PER_WRITER),
  );
  const runWriter = async (w: number, from: number, to: number) => {
    const stream = streamName('writer-', w);
    for (let i = from; i < to; i++) {
      // The promise settles only once the append is durable: that is the adapter's contract under test.
      await store.append(stream, [events[w]![i]!], i === 0 ? 'no-stream' : i - 1);
    }
  };
  await Promise.all(events.map((_, w) => runWriter(w, 0, WARM_UP_PER_WRITER)));
  collectGarbage();
  const start = now();
  await Promise.all(events.map((_, w) => runWriter(w, WARM_UP_PER_WRITER, WARM_UP_PER_WRITER + perWriter)));
  const seconds = secondsSince(start);
  const head = await store.headPosition();
  await store.close();
  if (head !== WRITERS * (perWriter + WARM_UP_PER_WRITER)) throw new Error(`unexpected head ${head}`);
  return { ops: WRITERS * perWriter, seconds };
};

export const concurrentWriters: Workload = {
  name: 'concurrent',
  title: `(d) ${WRITERS} concurrent writers, one durable event per append: group commit vs one transaction per append`,
  goal: '30,000 events/s or more with the adapter (about 5,200/s measured naive before)',
  phases: { naive, grouped, adapter },
  async run(ctx) {
    const repeats = ctx.scale >= 1 ? 3 : 1;
    const perWriter = scaled(2_000, ctx.scale, 100);
    const file = (side: string, run: number) => join(ctx.dir, `concurrent-${side}-${run}.db`);
    const [n, g, a] = await interleaved(ctx, 'concurrent', repeats, [
      { phase: 'naive', args: (r) => ({ file: file('naive', r), perWriter }) },
      { phase: 'grouped', args: (r) => ({ file: file('grouped', r), perWriter }) },
      { phase: 'adapter', args: (r) => ({ file: file('adapter', r), perWriter }) },
    ]);
    const f = {
      naive: figure('naive: raw better-sqlite3, one transaction per append', n!),
      adapter: figure('adapter: SqliteEventStore (group commit)', a!),
      grouped: figure(`raw ceiling: ${WRITERS} pre-built rows per transaction, no event loop`, g!),
    };
    return {
      name: this.name,
      title: this.title,
      goal: this.goal,
      figures: [f.adapter, f.naive, f.grouped],
      comparisons: [
        compare('group commit vs one transaction per append', f.adapter, f.naive, 'speedup', {
          text: '≥ 30,000 events/s',
          met: (_ratio, subject) => subject.rate >= 30_000,
        }),
        compare(
          `group commit vs the raw ceiling of ${WRITERS} rows per commit`,
          f.adapter,
          f.grouped,
          'slowdown',
        ),
      ],
      notes: [
        `${WRITERS} writers in one process, ${perWriter.toLocaleString('en-GB')} timed appends each after ` +
          `${WARM_UP_PER_WRITER} untimed; every append states its expected revision.`,
      ],
    };
  },
};
