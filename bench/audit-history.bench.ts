import { join } from 'node:path';
import { documentStreamId } from '@accord/domain';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@accord/event-store';
import { productReadModels } from '@accord/platform';
import { auditCheckpoint, auditHistory, ReadDb, rebuildReadModels } from '@accord/projections';
import { auditLog, AuditLog, documentIdOf, documentParties } from './audit-log.bench';
import {
  Figure,
  Phase,
  PhaseResult,
  RunContext,
  Workload,
  compare,
  figure,
  now,
  scaled,
  secondsSince,
} from './harness';

/**
 * (f) One document's history among the whole audit log: the query behind GET /audit/documents/:id/history
 * (one page of up to 100 rows, decoded), timed one by one for p50/p99, as a platform auditor, as the
 * sender's auditor (every row checked against the organisation's scope) and as of the middle of the log.
 * Baseline: reading the same document's stream straight from events.db by its (stream_id, revision) index.
 */

const QUERIES = 2000;
const PAGE = 100;

/** Deterministic picks spread over every document. */
function picks(documents: number, count: number): number[] {
  let seed = 424242;
  return Array.from({ length: count }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % documents;
  });
}

function timed(count: number, run: (i: number) => number): Omit<PhaseResult, 'peakRssMb'> {
  const latencies = new Float64Array(count);
  let rows = 0;
  const start = now();
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    rows += run(i);
    latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
  }
  const seconds = secondsSince(start);
  latencies.sort();
  const at = (q: number) => latencies[Math.min(count - 1, Math.floor(q * count))]!;
  return { ops: count, seconds, info: { p50Ms: at(0.5), p99Ms: at(0.99), rowsPerQuery: rows / count } };
}

const build: Phase = async (ctx) => {
  const { file, readDb } = ctx.args as { file: string; readDb: string };
  const store = new SqliteEventStore({ file });
  const start = now();
  const r = await rebuildReadModels({ store, db: readDb, projections: productReadModels() });
  const seconds = secondsSince(start);
  await store.close();
  return { ops: r.events, seconds };
};

const history: Phase = async (ctx) => {
  const { readDb, documents, variant } = ctx.args as { readDb: string; documents: number; variant: string };
  const db = new Database(readDb, { readonly: true }) as ReadDb;
  const head = auditCheckpoint(db);
  const chosen = picks(documents, QUERIES);
  const result = timed(QUERIES, (i) => {
    const n = chosen[i]!;
    const scope = variant === 'scoped' ? `org-${documentParties(n).sender}` : null;
    const upTo = variant === 'as-of' ? Math.floor(head / 2) : head;
    return auditHistory(
      db,
      { kind: 'document', id: documentIdOf(n) },
      { after: 0, upTo, limit: PAGE, scopeOrgId: scope },
    ).items.length;
  });
  db.close();
  return result;
};

const rawStream: Phase = async (ctx) => {
  const { file, documents } = ctx.args as { file: string; documents: number };
  const db = new Database(file, { readonly: true });
  const stmt = db
    .prepare(
      'SELECT position, event_id, stream_id, revision, type, data, meta FROM events WHERE stream_id = ? ORDER BY revision LIMIT ?',
    )
    .raw();
  const chosen = picks(documents, QUERIES);
  const result = timed(QUERIES, (i) => {
    const rows = stmt.all(documentStreamId(documentIdOf(chosen[i]!)), PAGE) as unknown[][];
    for (const r of rows)
      if (JSON.parse(r[5] as string) === null || JSON.parse(r[6] as string) === null) return 0;
    return rows.length;
  });
  db.close();
  return result;
};

const readModels = new Map<string, Promise<string>>();

/** The read models of `log`, built once per run (by rebuild, untimed here: workload (e) times it). */
function builtReadModels(ctx: RunContext, log: AuditLog): Promise<string> {
  let built = readModels.get(log.file);
  if (!built) {
    built = (async () => {
      const readDb = join(ctx.dir, 'audit-history-read.db');
      ctx.progress('audit-history: building every read model from the audit log');
      await ctx.phase('audit-history', 'build', { file: log.file, readDb });
      return readDb;
    })();
    readModels.set(log.file, built);
  }
  return built;
}

const latency = (label: string, r: PhaseResult): Figure => {
  const p50 = Number(r.info?.['p50Ms']);
  const p99 = Number(r.info?.['p99Ms']);
  return figure(`${label} (p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms)`, [r], 'queries/s');
};

export const auditHistoryQuery: Workload = {
  name: 'audit-history',
  title: "(f) One document's audit history among the whole log: p50/p99 latency",
  goal: 'none set in issue 5; latency per query, and the ratio to reading the stream itself',
  phases: { build, history, 'raw-stream': rawStream },
  async run(ctx) {
    const log = await auditLog(ctx, scaled(1_000_000, ctx.scale, 10_000));
    const readDb = await builtReadModels(ctx, log);
    const args = { readDb, file: log.file, documents: log.documents };
    ctx.progress('audit-history: queries');
    const platform = await ctx.phase('audit-history', 'history', { ...args, variant: 'platform' });
    const scoped = await ctx.phase('audit-history', 'history', { ...args, variant: 'scoped' });
    const asOf = await ctx.phase('audit-history', 'history', { ...args, variant: 'as-of' });
    const raw = await ctx.phase('audit-history', 'raw-stream', args);
    const f = {
      platform: latency('document history, platform auditor', platform),
      scoped: latency("document history, the sender's auditor (scoped)", scoped),
      asOf: latency('document history as of the middle of the log', asOf),
      raw: latency("raw: the document's stream from events.db, decoded", raw),
    };
    return {
      name: this.name,
      title: this.title,
      goal: this.goal,
      figures: [f.platform, f.scoped, f.asOf, f.raw],
      comparisons: [
        compare('document history vs reading its stream', f.platform, f.raw, 'slowdown'),
        compare('scoped document history vs reading its stream', f.scoped, f.raw, 'slowdown'),
      ],
      notes: [
        `${QUERIES} queries over ${log.documents.toLocaleString('en-GB')} documents in a log of ` +
          `${log.events.toLocaleString('en-GB')} events; each answers one page (up to ${PAGE} rows, ` +
          `${Number(platform.info?.['rowsPerQuery']).toFixed(1)} on average), timed one by one in-process ` +
          '(the HTTP layer is not included).',
      ],
    };
  },
};
