import 'reflect-metadata';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NoteSigner, parseVerifierKey, SqliteEventStore } from '@accord/event-store';
import { FilesystemObjectStore } from '@accord/object-store';
import type { ReadDb } from '@accord/projections';
import { AuditIntegrity } from '../apps/api/src/audit/audit-integrity.service';
import type { Checkpoints } from '../apps/api/src/audit/log/checkpoints.service';
import { envelopeLine } from '../apps/api/src/audit/audit-log.exporter';
import { verifyExportFile } from '../apps/cli/src/commands/audit-file-verifier';
import { auditLog } from './audit-log.bench';
import { chainVerify } from './chain-verify.bench';
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

/**
 * (g) Verification of the audit log: GET /audit/verify's work (every chain, then every live object against
 * the SHA-256 its DocumentShared recorded) and `accord audit verify --file` over an NDJSON export, each
 * against raw sha256 over the same hashed bytes (prevHash + canonical JSON per event, the verify workload's
 * own baseline phases).
 */

const serverVerify: Phase = async (ctx) => {
  const { file, objectsDir, liveObjects } = ctx.args as {
    file: string;
    objectsDir: string;
    liveObjects: number;
  };
  const store = new SqliteEventStore({ file });
  const objects = new FilesystemObjectStore({ dir: objectsDir, region: 'uk' });
  const readDb = new Database(':memory:') as ReadDb;
  const head = await store.headPosition();
  collectGarbage();
  const start = now();
  // The tree with no checkpoint yet: verification still rebuilds and compares it whole.
  const key = parseVerifierKey(new NoteSigner('bench/log', Buffer.alloc(32, 1)).verifierKey);
  const checkpoints = { verifierKey: key } as Checkpoints;
  const report = await new AuditIntegrity(store, objects, readDb, store, checkpoints).verify(null);
  const seconds = secondsSince(start);
  await store.close();
  await objects.close();
  readDb.close();
  if (!report.ok || report.eventsChecked !== head || report.objectsChecked !== liveObjects) {
    throw new Error(`verification failed or incomplete: ${JSON.stringify(report)}`);
  }
  return { ops: report.eventsChecked, seconds, info: { objects: report.objectsChecked } };
};

const writeExport: Phase = async (ctx) => {
  const { file, out } = ctx.args as { file: string; out: string };
  const store = new SqliteEventStore({ file });
  const fd = openSync(out, 'w');
  const start = now();
  let events = 0;
  for await (const page of store.readAll()) {
    writeSync(fd, page.map(envelopeLine).join(''));
    events += page.length;
  }
  closeSync(fd);
  await store.close();
  return { ops: events, seconds: secondsSince(start) };
};

const offlineVerify: Phase = async (ctx) => {
  const { export: file, events } = ctx.args as { export: string; events: number };
  collectGarbage();
  const start = now();
  const result = await verifyExportFile(file, { complete: true });
  const seconds = secondsSince(start);
  if (!result.ok || result.eventsChecked !== events) {
    throw new Error(`offline verification failed or incomplete: ${JSON.stringify(result)}`);
  }
  return { ops: result.eventsChecked, seconds };
};

export const auditVerify: Workload = {
  name: 'audit-verify',
  title: '(g) Audit verification: GET /audit/verify and the offline check of an export vs raw sha256',
  goal: 'none set in issue 5; the ratio shows what reading, decoding and canonical JSON add to the hashing',
  phases: {
    'prepare-bytes': chainVerify.phases['prepare-bytes']!,
    'raw-sha256': chainVerify.phases['raw-sha256']!,
    'server-verify': serverVerify,
    'write-export': writeExport,
    'offline-verify': offlineVerify,
  },
  async run(ctx) {
    const log = await auditLog(ctx, scaled(1_000_000, ctx.scale, 10_000));
    const bytesFile = join(ctx.dir, `audit-verify-bytes-${log.events}.bin`);
    const exportFile = join(ctx.dir, `audit-export-${log.events}.ndjson`);
    ctx.progress('audit-verify: writing the hashed bytes (checked against the stored hashes) and an export');
    const prepared = await ctx.phase('audit-verify', 'prepare-bytes', { file: log.file, out: bytesFile });
    await ctx.phase('audit-verify', 'write-export', { file: log.file, out: exportFile });
    const [raw, server, offline] = await interleaved(ctx, 'audit-verify', 1, [
      { phase: 'raw-sha256', args: () => ({ bytesFile }) },
      {
        phase: 'server-verify',
        args: () => ({ file: log.file, objectsDir: log.objectsDir, liveObjects: log.liveObjects }),
      },
      { phase: 'offline-verify', args: () => ({ export: exportFile, events: log.events }) },
    ]);
    const f = {
      raw: figure('raw: sha256 of prevHash + canonical bytes, one digest per event', raw!),
      server: figure(
        `GET /audit/verify's work: chains + ${log.liveObjects.toLocaleString('en-GB')} live objects`,
        server!,
      ),
      offline: figure('accord audit verify --file: NDJSON export, offline', offline!),
    };
    const mb = Math.round(Number(prepared.info?.['bytes'] ?? 0) / 2 ** 20);
    return {
      name: this.name,
      title: this.title,
      goal: this.goal,
      figures: [f.server, f.offline, f.raw],
      comparisons: [
        compare('server-side verification', f.server, f.raw, 'slowdown'),
        compare('offline verification of an export', f.offline, f.raw, 'slowdown'),
      ],
      notes: [
        `${log.events.toLocaleString('en-GB')} events (${mb} MiB of hashed bytes); ${log.liveObjects.toLocaleString('en-GB')} ` +
          'live objects of 256 bytes read back and hashed (destroyed payloads are skipped). The offline check parses each ' +
          'NDJSON line, canonicalises and hashes it: it holds the file, not the stored text.',
      ],
    };
  },
};
