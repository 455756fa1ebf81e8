import { NewEvent, PostgresEventStore } from '@accord/event-store';
import { join } from 'node:path';
import {
  postgresUnavailable,
  startPostgresTestServer,
} from '../libs/event-store/src/adapters/postgres/postgres.test-server';
import { makeEvents, streamName } from './fixtures';
import {
  Figure,
  Phase,
  PhaseResult,
  Workload,
  collectGarbage,
  compare,
  figure,
  interleaved,
  notRun,
  now,
  scaled,
  secondsSince,
} from './harness';

/**
 * (p) The PostgreSQL event store on a real server this run starts (PostgreSQL from the machine's packages,
 * fsync and synchronous_commit on, on the same disk as the SQLite files): 16 writers appending one durable
 * event at a time, from one node and from four nodes (four connection pools in one process, each with its own
 * group commit), beside SQLite's adapter in the same run; the same four nodes with the unsafe sequence
 * positions, to show what the log-head lock costs; and 100 events per append. One node's two workloads run
 * with and without the Merkle tree the adapter keeps in its append transaction, to show what the tree costs. Skipped, with the reason in the
 * report, where no PostgreSQL server binary is installed.
 */

const WRITERS = 16;
const WARM_UP_PER_WRITER = 10;

const concurrent: Phase = async (ctx) => {
  const { url, perWriter, nodes, naive, merkle } = ctx.args as {
    url: string;
    perWriter: number;
    nodes: number;
    naive?: boolean;
    merkle?: boolean;
  };
  const stores = Array.from(
    { length: nodes },
    () =>
      new PostgresEventStore({
        connectionString: url,
        unsafeSequencePositions: naive === true,
        merkle: merkle !== false,
      }),
  );
  await Promise.all(stores.map((s) => s.headPosition()));
  const events = Array.from({ length: WRITERS }, (_, w) =>
    makeEvents(w * (perWriter + WARM_UP_PER_WRITER), perWriter + WARM_UP_PER_WRITER),
  );
  const runWriter = async (w: number, from: number, to: number) => {
    const store = stores[w % nodes]!;
    const stream = streamName('writer-', w);
    for (let i = from; i < to; i++) {
      await store.append(stream, [events[w]![i]!], i === 0 ? 'no-stream' : i - 1);
    }
  };
  await Promise.all(events.map((_, w) => runWriter(w, 0, WARM_UP_PER_WRITER)));
  collectGarbage();
  const batches = stores.reduce((n, s) => n + s.stats.batches, 0);
  const start = now();
  await Promise.all(events.map((_, w) => runWriter(w, WARM_UP_PER_WRITER, WARM_UP_PER_WRITER + perWriter)));
  const seconds = secondsSince(start);
  const commits = stores.reduce((n, s) => n + s.stats.batches, 0) - batches;
  await Promise.all(stores.map((s) => s.close()));
  return { ops: WRITERS * perWriter, seconds, info: { commits } };
};

const batched: Phase = async (ctx) => {
  const { url, events, merkle } = ctx.args as { url: string; events: number; merkle?: boolean };
  const store = new PostgresEventStore({ connectionString: url, merkle: merkle !== false });
  const appends: { stream: string; events: NewEvent[] }[] = [];
  for (let i = 0; i < events; i += 100) {
    appends.push({ stream: streamName('b-', Math.floor(i / 1000)), events: makeEvents(i, 100) });
  }
  const revisions = new Map<string, number>();
  collectGarbage();
  const start = now();
  for (const a of appends) {
    const r = await store.append(a.stream, a.events, revisions.get(a.stream) ?? 'no-stream');
    revisions.set(a.stream, r.nextExpectedRevision);
  }
  const seconds = secondsSince(start);
  await store.close();
  return { ops: events, seconds };
};

/** µs per event with, minus without (a figure's rate is events/s). */
const microsMore = (subject: Figure, baseline: Figure): string =>
  (1e6 / subject.rate - 1e6 / baseline.rate).toFixed(1);

/** ms per commit with, minus without, over all runs of each side. */
function millisPerCommitMore(subject: PhaseResult[], baseline: PhaseResult[]): string {
  const perCommit = (rs: PhaseResult[]) =>
    (rs.reduce((t, r) => t + r.seconds, 0) * 1000) / rs.reduce((n, r) => n + Number(r.info?.commits ?? 1), 0);
  return (perCommit(subject) - perCommit(baseline)).toFixed(2);
}

export const postgresEventStore: Workload = {
  name: 'postgres',
  title: '(p) PostgreSQL event store: 16 concurrent writers and 100-event appends, beside SQLite',
  goal:
    'measure (no goal set yet): what the log-head lock costs against sequence positions, what the Merkle ' +
    'tree in the append transaction costs, and PostgreSQL against SQLite',
  phases: { concurrent, batched },
  async run(ctx) {
    const unavailable = postgresUnavailable();
    if (unavailable) return notRun(this, unavailable);
    const server = await startPostgresTestServer();
    try {
      const repeats = ctx.scale >= 1 ? 3 : 1;
      const perWriter = scaled(500, ctx.scale, 30);
      const events = scaled(50_000, ctx.scale, 2_000);
      const db = () => server.createDatabase();
      const urls: Record<string, string[]> = {};
      for (const side of ['one', 'four', 'naive', 'batched', 'oneNoTree', 'batchedNoTree']) {
        urls[side] = [];
        for (let r = 0; r < repeats; r++) urls[side].push(await db());
      }
      const [one, oneNoTree, four, naive, sqlite] = await interleaved(ctx, 'postgres', repeats, [
        { phase: 'concurrent', label: '1 node', args: (r) => ({ url: urls.one![r]!, perWriter, nodes: 1 }) },
        {
          phase: 'concurrent',
          label: '1 node, no Merkle tree',
          args: (r) => ({ url: urls.oneNoTree![r]!, perWriter, nodes: 1, merkle: false }),
        },
        {
          phase: 'concurrent',
          label: '4 nodes',
          args: (r) => ({ url: urls.four![r]!, perWriter, nodes: 4 }),
        },
        {
          phase: 'concurrent',
          label: '4 nodes, sequence positions (unsafe)',
          args: (r) => ({ url: urls.naive![r]!, perWriter, nodes: 4, naive: true }),
        },
      ]).then(async (pg) => [
        ...pg,
        // SQLite's adapter under the same 16 writers, through the (d) workload's own phase.
        ...(await interleaved(ctx, 'concurrent', repeats, [
          { phase: 'adapter', args: (r) => ({ file: join(ctx.dir, `pg-beside-sqlite-${r}.db`), perWriter }) },
        ])),
      ]);
      const [big, bigNoTree] = await interleaved(ctx, 'postgres', repeats, [
        { phase: 'batched', args: (r) => ({ url: urls.batched![r]!, events }) },
        {
          phase: 'batched',
          label: 'no Merkle tree',
          args: (r) => ({ url: urls.batchedNoTree![r]!, events, merkle: false }),
        },
      ]);
      const f = {
        one: figure('postgres, 1 node: 16 writers, one durable event per append (group commit)', one!),
        four: figure('postgres, 4 nodes (4 pools, 4 writers each), log-head lock', four!),
        naive: figure('postgres, 4 nodes, sequence positions: UNSAFE, subscribers skip events', naive!),
        sqlite: figure('sqlite adapter, same 16 writers, same disk', sqlite!),
        batched: figure('postgres, 1 node: 100 events per append, awaited in turn', big!),
        oneNoTree: figure('postgres, 1 node, 16 writers, without the Merkle tree (baseline)', oneNoTree!),
        batchedNoTree: figure(
          'postgres, 1 node, 100 events per append, without the Merkle tree (baseline)',
          bigNoTree!,
        ),
      };
      const perCommit = (rs: typeof one) =>
        (
          rs!.reduce((n, r) => n + r.ops, 0) / rs!.reduce((n, r) => n + Number(r.info?.commits ?? 1), 0)
        ).toFixed(1);
      return {
        name: this.name,
        title: this.title,
        goal: this.goal,
        figures: [f.one, f.oneNoTree, f.four, f.naive, f.sqlite, f.batched, f.batchedNoTree],
        comparisons: [
          compare(
            'Merkle tree in the append transaction vs none, 16 writers',
            f.one,
            f.oneNoTree,
            'slowdown',
          ),
          compare(
            'Merkle tree in the append transaction vs none, 100-event appends',
            f.batched,
            f.batchedNoTree,
            'slowdown',
          ),
          compare('log-head lock vs sequence positions, 4 nodes', f.four, f.naive, 'slowdown'),
          compare('postgres (1 node) vs sqlite, 16 writers', f.one, f.sqlite, 'slowdown'),
        ],
        notes: [
          `${WRITERS} writers, ${perWriter.toLocaleString('en-GB')} timed appends each after ${WARM_UP_PER_WRITER} ` +
            'untimed, every append stating its expected revision; a fresh database per run on one local ' +
            'PostgreSQL server (fsync on, synchronous_commit on) over TCP on 127.0.0.1.',
          `Appends per commit: 1 node ${perCommit(one)}, 4 nodes ${perCommit(four)}, 4 nodes unsafe ${perCommit(naive)}.`,
          // Per event and per commit, since the tree's work is done while the log-head lock is held: on several
          // nodes what it adds to a commit lengthens every node's turn.
          `The Merkle tree in the append transaction (each event's leaf hashed, the subtrees it completes, one ` +
            `row per event in the batch's write statement): ${microsMore(f.batched, f.batchedNoTree)} µs more ` +
            `per event in 100-event appends; with 16 writers on one node, ${millisPerCommitMore(one!, oneNoTree!)} ` +
            'ms more per commit.',
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
