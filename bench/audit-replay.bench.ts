import { join } from 'node:path';
import { SqliteEventStore } from '@accord/event-store';
import { productReadModels } from '@accord/platform';
import { auditProjection, Projector, rebuildReadModels, transfersProjection } from '@accord/projections';
import { auditLog } from './audit-log.bench';
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
import { projectionReplay } from './projection-replay.bench';
import { openRawDb } from './raw-sqlite';

/**
 * (e) Replay of the audit log into every read model the product serves (productReadModels(): directory,
 * agreements, notifications, documents, audit trail, transfers, stream heads), against a raw
 * `SELECT ... ORDER BY position` over the same rows (the replay workload's own baseline phase).
 */

function checkReadModels(readDb: string, documents: number): void {
  const db = openRawDb(readDb, { readonly: true });
  try {
    const count = (sql: string) => Number(db.prepare(sql).pluck().get());
    const shared = count(`SELECT count(*) FROM audit_entries WHERE type = 'DocumentShared'`);
    const docs = count('SELECT count(*) FROM documents');
    if (shared !== documents || docs !== documents) {
      throw new Error(`read models hold ${shared} shares and ${docs} documents, expected ${documents}`);
    }
  } finally {
    db.close();
  }
}

const projectorAll: Phase = async (ctx) => {
  const { file, readDb, documents } = ctx.args as { file: string; readDb: string; documents: number };
  const store = new SqliteEventStore({ file });
  const head = await store.headPosition();
  const p = new Projector({ store, db: readDb, projections: productReadModels(), watchdog: false });
  collectGarbage();
  const start = now();
  await p.start();
  const timer = setInterval(
    () => void p.status().then((s) => ctx.progress(`${s.position} / ${head}`)),
    10_000,
  );
  await p.waitFor(head, 3_600_000);
  const seconds = secondsSince(start);
  clearInterval(timer);
  await p.stop();
  await store.close();
  checkReadModels(readDb, documents);
  return { ops: head, seconds };
};

const rebuildSome: Phase = async (ctx) => {
  const { file, readDb, only } = ctx.args as { file: string; readDb: string; only: 'all' | 'audit' };
  const store = new SqliteEventStore({ file });
  const projections = only === 'all' ? productReadModels() : [auditProjection, transfersProjection];
  collectGarbage();
  const start = now();
  const r = await rebuildReadModels({ store, db: readDb, projections });
  const seconds = secondsSince(start);
  await store.close();
  return { ops: r.events, seconds };
};

export const auditReplay: Workload = {
  name: 'audit-replay',
  title: '(e) Replay of the audit log into every read model vs a raw SQLite read',
  goal: 'none set in issue 5; the ratio shows what all of the read models cost over reading the rows',
  // The raw baseline is the replay workload's own phase, so both workloads measure the floor the same way.
  phases: { 'raw-read': projectionReplay.phases['raw-read']!, projector: projectorAll, rebuild: rebuildSome },
  async run(ctx) {
    const log = await auditLog(ctx, scaled(1_000_000, ctx.scale, 10_000));
    const readDb = (run: number, kind: string) => join(ctx.dir, `audit-replay-${kind}-${run}.db`);
    const [raw, proj, reb, auditOnly] = await interleaved(ctx, 'audit-replay', 1, [
      { phase: 'raw-read', label: 'raw read', args: () => ({ file: log.file, parse: false }) },
      {
        phase: 'projector',
        args: (r) => ({ file: log.file, readDb: readDb(r, 'projector'), documents: log.documents }),
      },
      { phase: 'rebuild', args: (r) => ({ file: log.file, readDb: readDb(r, 'all'), only: 'all' }) },
      { phase: 'rebuild', args: (r) => ({ file: log.file, readDb: readDb(r, 'audit'), only: 'audit' }) },
    ]);
    const f = {
      raw: figure('raw: SELECT ... ORDER BY position, iterated', raw!),
      projector: figure('Projector from zero into every read model', proj!),
      rebuild: figure('rebuildReadModels, every read model', reb!),
      audit: figure('rebuildReadModels, audit trail + transfers only', auditOnly!),
    };
    return {
      name: this.name,
      title: this.title,
      goal: this.goal,
      figures: [f.projector, f.rebuild, f.audit, f.raw, log.fill],
      comparisons: [
        compare('replay into every read model (Projector)', f.projector, f.raw, 'slowdown'),
        compare('offline rebuild of every read model', f.rebuild, f.raw, 'slowdown'),
        compare('audit trail + transfers alone', f.audit, f.raw, 'slowdown'),
      ],
      notes: [
        `${log.events.toLocaleString('en-GB')} events: ${log.documents.toLocaleString('en-GB')} documents of ~50 events ` +
          '(share, ~44 opens, 3 refusals, a transfer block, and for 9 in 10 expiry and destruction), plus organisations, ' +
          'users and agreements. The audit trail indexes every event by the organisations it involves, which is most of its cost.',
      ],
    };
  },
};
