import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Checkpoint, openCheckpoint, parseVerifierKey } from '@accord/event-store';
import { AppLogger, Clock, loadConfig } from '@accord/platform';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { verifyExportFile } from '../../apps/cli/src/commands/audit-file-verifier';
import { ApiClient } from '../authz/world';
import {
  HOSPITAL,
  openContent,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from '../documents/support/documents-partnership';
import { buildAuditScenario } from '../audit/support/audit-scenario';
import {
  deleteEvents,
  deleteObject,
  flipObjectByte,
  openDb,
  rebuildTree,
  resignCheckpoints,
  rewriteStream,
  Row,
  rows,
  swapObjects,
  swapPositions,
} from './support/tamper-store';

/**
 * Issue 12: each way of tampering with a real store, on its own copy of one store built through the api,
 * must be caught by POST /audit/verify with a checkpoint taken before it, by the offline check of an export
 * against that checkpoint, and (all but a rewrite by someone who also holds the signing key, and a tail cut
 * from the tree and the checkpoints as well) by GET /audit/verify with no checkpoint at all.
 */

const ORIGIN = 'accord.local/log';
const AFTER_SCENARIO = '2025-03-03T12:00:00.000Z';

interface Base {
  dir: string;
  /** The platform auditor's token (kept in the copied read models). */
  token: string;
  held: string;
  heldCheckpoint: Checkpoint;
  rows: Row[];
  objectKeys: string[];
  breachStream: string;
  /** A document stream with at least three events. */
  longStream: string;
}

let base: Base;
let work: string;

type Tamper = (dataDir: string) => void | Promise<void>;

interface Verdicts {
  post: { ok: boolean; reason?: string; log: { problems: { reason: string }[] } };
  get: { ok: boolean; log: { problems: { reason: string }[] } };
  offline: { ok: boolean; checkpoint?: { ok: boolean; reason?: string } };
}

/** Copies the base store, tampers with the copy, starts the api on it, and asks all three verdicts. */
async function tamperAndVerify(name: string, tamper: Tamper): Promise<Verdicts> {
  const dataDir = join(work, name);
  cpSync(base.dir, dataDir, { recursive: true });
  await tamper(dataDir);
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ACCORD_CHECKPOINT_INTERVAL_MS: '0' });
  // The scenario's own time, from the first moment the api runs: at today's date the retention sweep would
  // destroy the 2025 documents as it starts, appending events and deleting objects under the test's feet.
  const clock = jest.spyOn(Clock.prototype, 'now').mockImplementation(() => new Date(AFTER_SCENARIO));
  const app: NestExpressApplication = await createApiApp(config, AppLogger.create('silent'));
  try {
    await app.listen(0, '127.0.0.1');
    const client = new ApiClient((await app.getUrl()).replace('[::1]', '127.0.0.1'), base.token);
    const post = (await client.ok('POST', '/audit/verify', 200, { body: { checkpoint: base.held } })).body;
    const get = (await client.ok('GET', '/audit/verify', 200)).body;
    const exported = await fetch(`${client.url}/audit/events`, {
      headers: { authorization: `Bearer ${base.token}` },
    });
    expect(exported.status).toBe(200);
    const file = join(work, `${name}.ndjson`);
    writeFileSync(file, await exported.text());
    const offline = await verifyExportFile(file, { complete: true, checkpoint: base.heldCheckpoint });
    return { post, get, offline };
  } finally {
    await app.close();
    clock.mockRestore();
  }
}

const reasons = (v: { log: { problems: { reason: string }[] } }): string[] =>
  v.log.problems.map((p) => p.reason);

beforeAll(async () => {
  const s = await buildAuditScenario();
  // Activity after the platform auditor's enrolment, so the log's tail is documents and a breach.
  const police = s.police;
  s.clock.set('2025-03-03T11:00:00.000Z');
  const third = await share(s.practitioner, shareMetadata(s, { recipients: [POLICE, HOSPITAL] }), 'third');
  expect(third.status).toBe(201);
  expect((await openContent(police, third.body.documentId)).status).toBe(200);
  const breach = await s.lead[SENDER]!.ok('POST', '/breaches', 201, {
    body: {
      discoveredAt: '2025-03-03T10:30:00.000Z',
      description: 'A printout left on a train',
      nearMiss: false,
      severity: 'high',
      agreementId: s.agreementId,
      documentIds: [third.body.documentId],
    },
  });
  const fourth = await share(s.practitioner, shareMetadata(s, { recipients: [POLICE] }), 'fourth');
  expect((await openContent(police, fourth.body.documentId)).status).toBe(200);
  expect((await openContent(s.hospital, fourth.body.documentId)).status).toBe(404);
  await s.settle();

  const auditor = s.platformAuditor;
  // The witness's checkpoint, taken before any tampering.
  const held = (await auditor.ok('GET', '/audit/checkpoint', 200)).body as string;
  const vkey = (await auditor.ok('GET', '/audit/checkpoint/key', 200)).body as string;
  const opened = openCheckpoint(held, parseVerifierKey(vkey));
  if (!opened.ok) throw new Error(`checkpoint does not verify: ${opened.reason}`);
  expect(opened.checkpoint.size).toBe(await s.store.headPosition());
  expect((await auditor.ok('GET', '/audit/verify', 200)).body).toMatchObject({ ok: true });

  const dataDir = s.world.api.config.dataDir;
  await s.world.api.app.close();
  const dir = mkdtempSync(join(tmpdir(), 'accord-tamper-base-'));
  cpSync(dataDir, dir, { recursive: true });
  rmSync(dataDir, { recursive: true, force: true });
  work = mkdtempSync(join(tmpdir(), 'accord-tamper-'));

  const db = new Database(join(dir, 'events.db'), { readonly: true });
  const all = rows(db);
  db.close();
  const counts = new Map<string, number>();
  for (const r of all) counts.set(r.stream_id, (counts.get(r.stream_id) ?? 0) + 1);
  base = {
    dir,
    token: auditor.token!,
    held,
    heldCheckpoint: opened.checkpoint,
    rows: all,
    objectKeys: all
      .filter((r) => r.type === 'DocumentShared')
      .map((r) => JSON.parse(r.data).objectKey as string),
    breachStream: `breach-${breach.body.id}`,
    longStream: [...counts].find(([id, n]) => id.startsWith('document-') && n >= 3)![0],
  };
  expect(base.rows.some((r) => r.stream_id === base.breachStream)).toBe(true);
}, 180_000);

afterAll(() => {
  if (base) rmSync(base.dir, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('tampering with a copy of a real store is caught', () => {
  it('an untouched copy verifies every way (the control)', async () => {
    const v = await tamperAndVerify('control', () => undefined);
    expect(v.post).toMatchObject({ ok: true });
    expect(v.get).toMatchObject({ ok: true });
    expect(v.offline).toMatchObject({ ok: true, checkpoint: { ok: true } });
  });

  /** Each case, how it is done, and what GET /audit/verify must name among its log problems (chains aside). */
  const eventCases: [string, Tamper, string[]][] = [
    [
      'one byte changed in data',
      (d) => {
        const db = openDb(d);
        const r = base.rows.find((x) => x.type === 'DocumentShared')!;
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
          r.data.replace('"purpose":"', '"purpose":"X'),
          r.position,
        );
        db.close();
      },
      ['leaf-mismatch'],
    ],
    [
      'one byte changed in meta',
      (d) => {
        const db = openDb(d);
        const r = base.rows.find((x) => x.type === 'DocumentAccessed')!;
        db.prepare('UPDATE events SET meta = ? WHERE position = ?').run(
          r.meta.replace('"occurredAt":"2', '"occurredAt":"1'),
          r.position,
        );
        db.close();
      },
      ['leaf-mismatch'],
    ],
    [
      'an event deleted in the middle of a stream',
      (d) => {
        const db = openDb(d);
        deleteEvents(db, [
          base.rows.find((r) => r.stream_id === base.longStream && r.revision === 1)!.position,
        ]);
        db.close();
      },
      ['position-gap', 'tree-size-mismatch', 'checkpoint-beyond-log'],
    ],
    [
      'the last event of a stream deleted (its stream head moved back to match)',
      (d) => {
        const db = openDb(d);
        const ofStream = base.rows.filter((r) => r.stream_id === base.longStream);
        deleteEvents(db, [ofStream[ofStream.length - 1]!.position]);
        db.close();
      },
      ['position-gap', 'tree-size-mismatch', 'checkpoint-beyond-log'],
    ],
    [
      'a whole stream deleted (the breach)',
      (d) => {
        const db = openDb(d);
        deleteEvents(
          db,
          base.rows.filter((r) => r.stream_id === base.breachStream).map((r) => r.position),
        );
        db.close();
      },
      ['position-gap', 'tree-size-mismatch', 'checkpoint-beyond-log'],
    ],
    [
      "the log's last 5 events deleted (stream heads moved back to match)",
      (d) => {
        const db = openDb(d);
        deleteEvents(
          db,
          base.rows.slice(-5).map((r) => r.position),
        );
        db.close();
      },
      ['tree-size-mismatch', 'checkpoint-beyond-log'],
    ],
    [
      'two events of one stream swapped',
      (d) => {
        const db = openDb(d);
        const ofStream = base.rows.filter((r) => r.stream_id === base.longStream);
        swapPositions(db, ofStream[1]!.position, ofStream[2]!.position);
        db.close();
      },
      ['leaf-mismatch'],
    ],
    [
      'two neighbouring events of different streams swapped (every chain still verifies)',
      (d) => {
        const db = openDb(d);
        const i = base.rows.findIndex(
          (r, k) => k > 10 && base.rows[k + 1] && base.rows[k + 1]!.stream_id !== r.stream_id,
        );
        swapPositions(db, base.rows[i]!.position, base.rows[i + 1]!.position);
        db.close();
      },
      ['leaf-mismatch'],
    ],
    [
      "a DocumentShared's purpose rewritten, every chain hash and the Merkle tree recomputed with the product's code",
      async (d) => {
        const db = openDb(d);
        const shared = base.rows.find((r) => r.type === 'DocumentShared')!;
        rewriteStream(db, shared.stream_id, (events) => {
          events[shared.revision]!.data.purpose = 'a purpose nobody agreed to';
        });
        db.close();
        await rebuildTree(d);
      },
      ['checkpoint-root-mismatch'],
    ],
  ];

  it.each(eventCases)('%s', async (name, tamper, named) => {
    const v = await tamperAndVerify(name.replace(/\W+/g, '-'), tamper);
    expect(v.post.ok).toBe(false);
    expect(v.post.reason).toEqual(expect.any(String));
    expect(v.get.ok).toBe(false);
    expect(reasons(v.get)).toEqual(expect.arrayContaining(named));
    expect(v.offline.ok).toBe(false);
  });

  it('the rewrite with the checkpoints re-signed by the stolen key passes GET /audit/verify, but not a held checkpoint', async () => {
    const v = await tamperAndVerify('full-rewrite-with-key', async (d) => {
      const db = openDb(d);
      const shared = base.rows.find((r) => r.type === 'DocumentShared')!;
      rewriteStream(db, shared.stream_id, (events) => {
        events[shared.revision]!.data.purpose = 'a purpose nobody agreed to';
      });
      db.close();
      await rebuildTree(d);
      await resignCheckpoints(d, ORIGIN);
    });
    // Nothing left inside the platform disagrees: that is what witnesses are for.
    expect(v.get.ok).toBe(true);
    expect(v.post).toMatchObject({ ok: false, reason: 'held-checkpoint-root-mismatch' });
    expect(v.offline).toMatchObject({ ok: false, checkpoint: { ok: false, reason: 'root-mismatch' } });
  });

  it("the log's tail cut from the events, the tree and the kept checkpoints alike: only a held checkpoint sees it", async () => {
    const v = await tamperAndVerify('tail-cut-everywhere', (d) => {
      const db = openDb(d);
      const keep = base.rows.length - 5;
      deleteEvents(
        db,
        base.rows.slice(-5).map((r) => r.position),
      );
      db.prepare('DELETE FROM merkle_tree WHERE leaf_index >= ?').run(keep);
      db.prepare('DELETE FROM checkpoints WHERE tree_size > ?').run(keep);
      db.close();
    });
    expect(v.post).toMatchObject({ ok: false, reason: 'held-checkpoint-larger-than-log' });
    expect(v.offline).toMatchObject({
      ok: false,
      checkpoint: { ok: false, reason: 'export-shorter-than-checkpoint' },
    });
    // Documented limit: with no checkpoint held outside, a consistent shorter log is all there is to see.
    expect(v.get.ok).toBe(true);
  });

  const objectCases: [string, Tamper][] = [
    ['an object changed by one byte', (d) => flipObjectByte(d, base.objectKeys[0]!)],
    ['an object deleted', (d) => deleteObject(d, base.objectKeys[1]!)],
    ['two objects swapped', (d) => swapObjects(d, base.objectKeys[0]!, base.objectKeys[2]!)],
  ];

  it.each(objectCases)('%s', async (name, tamper) => {
    const v = await tamperAndVerify(name.replace(/\W+/g, '-'), tamper);
    expect(v.post).toMatchObject({ ok: false, reason: 'bad-object' });
    expect(v.get.ok).toBe(false);
    expect((v.get as unknown as { badObjects: unknown[] }).badObjects.length).toBeGreaterThan(0);
    // The export carries each object's SHA-256, not the object: offline, the log itself is intact.
    expect(v.offline).toMatchObject({ ok: true, checkpoint: { ok: true } });
  });

  it('names what each check found (a sample of the reasons)', async () => {
    const v = await tamperAndVerify('reasons', (d) => {
      const db = openDb(d);
      deleteEvents(db, [base.rows[base.rows.length - 1]!.position]);
      db.close();
    });
    expect(reasons(v.get)).toEqual(expect.arrayContaining(['tree-size-mismatch', 'checkpoint-beyond-log']));
    expect(reasons(v.post)).toEqual(expect.arrayContaining(['held-checkpoint-larger-than-log']));
  });
});
