import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  fsyncSync,
  mkdirSync,
  openSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { documentStreamId } from '@accord/domain';
import { JsonObject, NewEvent, SqliteEventStore, uuidv7 } from '@accord/event-store';
import { createBullmqScheduler, InProcessScheduler, Scheduler, silentSchedulerLogger } from '@accord/jobs';
import { FilesystemObjectStore } from '@accord/object-store';
import { AppLogger, Clock, LoadedConfig } from '@accord/platform';
import { documentsProjection, openReadDb, Projector, streamHeadsProjection } from '@accord/projections';
import { objectPath } from '../libs/object-store/src/adapters/filesystem/filesystem.layout';
import { DestroyDocumentJob } from '../apps/api/src/retention/destroy-document.job';
import { DestructionIncidents } from '../apps/api/src/retention/destruction-incidents';
import { RetentionJobs } from '../apps/api/src/retention/retention-jobs';
import { RetentionSweep } from '../apps/api/src/retention/retention-sweep.job';
import { RetentionWriter } from '../apps/api/src/retention/retention-writer';
import { FaultInjector } from '../apps/api/src/shared/fault-injector';
import { benchUuid } from './audit-log.bench';
import { Phase, Workload, compare, figure, interleaved, now, scaled, secondsSince } from './harness';
import { openRawDb } from './raw-sqlite';

/**
 * (j) Issue 6: a sweep of N documents past retainUntil, destroyed through the product's own jobs
 * (RetentionSweep queueing one `retention.destroy` job per document, DestroyDocumentJob appending
 * RetentionExpired, deleting the object, appending PayloadDestroyed) on each scheduler adapter, against a
 * raw loop doing the same durable work by hand: per document, two SQLite transactions (one row each, as the job's
 * two appends) and an unlink with the directory's fsync, as the filesystem adapter deletes. Every phase starts from its own copy of the same prepared store, read model and objects.
 */

const WINDOW = 500;
const PAST = '2025-01-01T00:00:00.000Z';

function shared(n: number): NewEvent {
  const at = Date.parse('2024-01-01T00:00:00.000Z') + n;
  const id = benchUuid(`sweep document ${n}`);
  const data: JsonObject = {
    agreementId: benchUuid('sweep agreement'),
    agreementVersion: 1,
    senderOrg: 'org-a',
    recipients: ['org-b'],
    purpose: 'safeguarding',
    dataCategories: ['name'],
    subjectRefs: [],
    nature: 'fact',
    title: `Case ${n}`,
    objectKey: `documents/${id}`,
    size: 64,
    sha256: '0'.repeat(64),
    recipientFingerprints: ['f'.repeat(40)],
    storageRegion: 'uk',
    sharedAt: new Date(at).toISOString(),
    retainUntil: PAST,
    mode: 'server-encrypted',
  };
  return {
    eventId: uuidv7(at),
    type: 'DocumentShared',
    data,
    meta: {
      occurredAt: new Date(at).toISOString(),
      actor: { userId: benchUuid('sweep user'), orgId: 'org-a', role: 'practitioner' },
      correlationId: uuidv7(at),
    },
  };
}

/** N documents past retainUntil, their objects, and the documents read model the sweep reads. */
const prepare: Phase = async (ctx) => {
  const { dir, documents } = ctx.args as { dir: string; documents: number };
  mkdirSync(join(dir, 'objects', 'documents'), { recursive: true });
  const store = new SqliteEventStore({ file: join(dir, 'events.db') });
  const start = now();
  for (let i = 0; i < documents; i += WINDOW) {
    const batch = [];
    for (let n = i; n < Math.min(documents, i + WINDOW); n++) {
      const e = shared(n);
      const id = (e.data['objectKey'] as string).slice('documents/'.length);
      batch.push(store.append(documentStreamId(id), [e], 'no-stream'));
    }
    await Promise.all(batch);
    if (i % 20_000 === 0) ctx.progress(`retention-sweep: ${i} / ${documents} documents appended`);
  }
  const objects = new FilesystemObjectStore({ dir: join(dir, 'objects'), region: 'uk' });
  for (let n = 0; n < documents; n++) {
    const id = benchUuid(`sweep document ${n}`);
    await objects.put(`documents/${id}`, Readable.from([Buffer.alloc(64, n % 251)]), {
      contentType: 'application/pgp-encrypted',
    });
  }
  await objects.close();
  const projector = new Projector({
    store,
    db: join(dir, 'read.db'),
    projections: [streamHeadsProjection, documentsProjection],
    watchdog: false,
  });
  await projector.start();
  await projector.waitFor(await store.headPosition(), 3_600_000);
  await projector.stop();
  await store.close();
  return { ops: documents, seconds: secondsSince(start) };
};

function copyPrepared(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

/** A redis-server as docker-compose runs it (append-only, fsync every second), on a free port. */
async function startRedis(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
    { stdio: 'ignore' },
  );
  const { createConnection } = await import('node:net');
  for (let tries = 0; tries < 500; tries++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createConnection(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) return child;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

/** The product's retention code, composed as RetentionJobsModule composes it, on the given scheduler. */
const sweep: Phase = async (ctx) => {
  const { prepared, dir, documents, adapter, redisPort } = ctx.args as {
    prepared: string;
    dir: string;
    documents: number;
    adapter: 'in-process' | 'bullmq';
    redisPort: number;
  };
  copyPrepared(prepared, dir);
  let redis: ChildProcess | undefined;
  if (adapter === 'bullmq') {
    mkdirSync(join(dir, 'redis'), { recursive: true });
    writeFileSync(join(dir, 'redis', '.keep'), '');
    redis = await startRedis(join(dir, 'redis'), redisPort);
  }
  const store = new SqliteEventStore({ file: join(dir, 'events.db') });
  const objects = new FilesystemObjectStore({ dir: join(dir, 'objects'), region: 'uk' });
  const readDb = openReadDb(join(dir, 'read.db'));
  const projector = new Projector({
    store,
    db: readDb,
    projections: [streamHeadsProjection, documentsProjection],
    watchdog: false,
  });
  await projector.start();
  const logger = AppLogger.create('error');
  const clock = new Clock();
  const config = { retention: { sweepIntervalMs: 86_400_000 }, fault: undefined } as unknown as LoadedConfig;
  const scheduler: Scheduler =
    adapter === 'bullmq'
      ? createBullmqScheduler({ redisUrl: `redis://127.0.0.1:${redisPort}`, logger: silentSchedulerLogger })
      : new InProcessScheduler({ logger: silentSchedulerLogger });
  const writer = new RetentionWriter(store, clock);
  const destroy = new DestroyDocumentJob(
    writer,
    objects,
    logger,
    new FaultInjector(config, logger),
    new DestructionIncidents(store, logger),
  );
  const retentionSweep = new RetentionSweep(scheduler, readDb, clock, logger);
  const jobs = new RetentionJobs(scheduler, config, retentionSweep, destroy);
  await jobs.onModuleInit();
  await jobs.onApplicationBootstrap();

  const start = now();
  let queued = 0;
  // Each pass queues up to a batch; the read model (kept current by the projector, as in the api) tells the
  // next pass what is left.
  for (;;) {
    await projector.waitFor(await store.headPosition(), 600_000);
    const ids = await retentionSweep.sweep();
    if (ids.length === 0) break;
    queued += ids.length;
    await scheduler.idle({ timeoutMs: 600_000 });
    ctx.progress(`retention-sweep (${adapter}): ${queued} / ${documents} queued`);
  }
  const seconds = secondsSince(start);
  await scheduler.stop();
  await projector.stop();
  readDb.close();

  let destroyed = 0;
  for await (const page of store.readAll())
    destroyed += page.filter((e) => e.type === 'PayloadDestroyed').length;
  await store.close();
  let left = 0;
  for await (const o of objects.list('documents/')) left += o.key ? 1 : 0;
  await objects.close();
  redis?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  if (destroyed !== documents || left !== 0)
    throw new Error(`${adapter}: ${destroyed} PayloadDestroyed and ${left} objects left of ${documents}`);
  return { ops: destroyed, seconds, info: { sweeps: Math.ceil(queued / 1000) } };
};

/**
 * The same durable work with nothing of Accord, `batch` documents at a time: one transaction of their
 * RetentionExpired rows, the unlinks, one fsync per directory touched (as the filesystem adapter's delete
 * does), one transaction of their PayloadDestroyed rows; still event before effect. `batch` 1 is the raw
 * per-document loop; 1,000 (a sweep's batch) is the floor a hand-written sweep could reach.
 */
const raw: Phase = async (ctx) => {
  const { prepared, dir, documents, batch } = ctx.args as {
    prepared: string;
    dir: string;
    documents: number;
    batch: number;
  };
  copyPrepared(prepared, dir);
  const db = openRawDb(join(dir, 'raw.db'));
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream_id, revision, type, data, meta) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const meta = JSON.stringify({ actor: { system: 'retention' }, occurredAt: new Date().toISOString() });
  const appendAll = db.transaction((ids: string[], rev: number, type: string) => {
    for (const id of ids) insert.run(uuidv7(), documentStreamId(id), rev, type, '{}', meta);
  });
  const ids = Array.from({ length: documents }, (_, n) => benchUuid(`sweep document ${n}`));
  const start = now();
  for (let i = 0; i < ids.length; i += batch) {
    const some = ids.slice(i, i + batch);
    appendAll(some, 1, 'RetentionExpired');
    const dirs = new Set<string>();
    for (const id of some) {
      const file = objectPath(join(dir, 'objects'), `documents/${id}`);
      unlinkSync(file);
      dirs.add(dirname(file));
    }
    for (const d of dirs) {
      const fd = openSync(d, 'r');
      fsyncSync(fd);
      closeSync(fd);
    }
    appendAll(some, 2, 'PayloadDestroyed');
  }
  const seconds = secondsSince(start);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { ops: documents, seconds };
};

export const retentionSweep: Workload = {
  name: 'retention-sweep',
  title: '(j) Retention sweep: documents destroyed per second, per scheduler, vs a raw delete + append loop',
  goal: 'none set in issue 6; the ratio shows what the jobs, the queue and the stream checks cost',
  phases: { prepare, sweep, raw },
  async run(ctx) {
    const documents = scaled(100_000, ctx.scale, 1_000);
    const prepared = join(ctx.dir, 'sweep-prepared');
    ctx.progress(`retention-sweep: preparing ${documents.toLocaleString('en-GB')} due documents`);
    await ctx.phase('retention-sweep', 'prepare', { dir: prepared, documents });
    const { freePort } = await import('./share-api');
    const redisPort = await freePort();
    const work = (name: string) => join(ctx.dir, `sweep-${name}`);
    const [rawRuns, batchedRuns, inProcess, bullmq] = await interleaved(ctx, 'retention-sweep', 1, [
      { phase: 'raw', args: () => ({ prepared, dir: work('raw'), documents, batch: 1 }) },
      {
        phase: 'raw',
        label: 'raw, batched',
        args: () => ({ prepared, dir: work('raw-batched'), documents, batch: 1000 }),
      },
      {
        phase: 'sweep',
        label: 'sweep (in-process)',
        args: () => ({ prepared, dir: work('in-process'), documents, adapter: 'in-process', redisPort }),
      },
      {
        phase: 'sweep',
        label: 'sweep (bullmq)',
        args: () => ({ prepared, dir: work('bullmq'), documents, adapter: 'bullmq', redisPort }),
      },
    ]);
    const unit = 'documents/s';
    const f = {
      raw: figure('raw: per document, 2 one-row SQLite transactions + unlink + dir fsync', rawRuns!, unit),
      batched: figure(
        'raw floor: per 1,000 documents, 2 transactions + unlinks + dir fsyncs',
        batchedRuns!,
        unit,
      ),
      inProcess: figure('sweep + destroy jobs, in-process scheduler', inProcess!, unit),
      bullmq: figure('sweep + destroy jobs, BullMQ on a local redis-server', bullmq!, unit),
    };
    return {
      name: this.name,
      title: this.title,
      goal: this.goal,
      opsLabel: 'documents',
      figures: [f.inProcess, f.bullmq, f.raw, f.batched],
      comparisons: [
        compare('in-process scheduler vs the raw per-document loop', f.inProcess, f.raw, 'slowdown'),
        compare('BullMQ scheduler vs the raw per-document loop', f.bullmq, f.raw, 'slowdown'),
        compare('in-process scheduler vs the batched floor', f.inProcess, f.batched, 'slowdown'),
        compare('BullMQ scheduler vs the batched floor', f.bullmq, f.batched, 'slowdown'),
      ],
      notes: [
        `${documents.toLocaleString('en-GB')} documents past retainUntil, each a DocumentShared and a 64-byte object. ` +
          'The destroy job runs 16 at a time (as in the product), reads its stream before each step and ' +
          'appends through the event store (synchronous=FULL, group commit); the sweep reads the documents read ' +
          'model, kept current by a projector as in the api. Redis runs as docker-compose runs it (append-only, ' +
          'fsync every second), on the same 2 cores.',
      ],
    };
  },
};
