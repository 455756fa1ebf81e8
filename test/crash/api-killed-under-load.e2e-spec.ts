import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@accord/event-store';
import { productReadModels } from '@accord/platform';
import { rebuildReadModels } from '@accord/projections';
import { startApi } from '../api/support/api-harness';
import { freePort } from '../api/support/built-apps';
import { inspectStores, startBuiltApi } from '../api/support/built-process';
import { ApiClient, World } from '../authz/world';
import { openContent, share } from '../documents/support/documents-partnership';
import { buildPair, pairMetadata } from '../documents/support/documents-pair';
import { dumpReadDb } from './read-db-dump';

type Kind = 'share' | 'refused-share' | 'open';
interface Sent {
  kind: Kind;
  correlationId: string;
  status?: number;
  documentId?: string;
}

/**
 * The README's promises at the api itself, not an adapter: the built api is killed with SIGKILL while
 * shares, refused shares and opens of one document are in flight, many at once. Every request it answered
 * must be in the log as answered (a 201 share with its DocumentShared and its object, a 200 open with its
 * DocumentAccessed, a refusal with its AccessDenied), each once; restarted, the record verifies, every
 * acknowledged share opens, and the read models it catches up to are what an offline rebuild of the log
 * builds, row for row.
 */
describe('the api killed with SIGKILL under concurrent shares and opens', () => {
  let dataDir: string;
  const children: ChildProcessWithoutNullStreams[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged write, records every answered refusal once, and rebuilds to the live read models', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-api-kill-'));
    const seeded = await World.build(await startApi({ env: { DATA_DIR: dataDir } }));
    const pair = await buildPair(seeded, seeded.orgs.own, seeded.orgs.other);
    const first = await share(
      seeded.client(pair.sender.users.practitioner.token),
      pairMetadata(pair),
      'first',
    );
    expect(first.status).toBe(201);
    const documentId = first.body.documentId as string;
    await seeded.close();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const doomed = startBuiltApi(dataDir, port);
    children.push(doomed.child);
    await doomed.listening;
    const sender = new ApiClient(url, pair.sender.users.practitioner.token);
    const recipient = new ApiClient(url, pair.recipient.users.practitioner.token);

    const sent: Sent[] = [];
    let answered = 0;
    let killed = false;
    const one = async (kind: Kind): Promise<void> => {
      const request: Sent = { kind, correlationId: crypto.randomUUID() };
      sent.push(request);
      const headers = { 'x-correlation-id': request.correlationId };
      try {
        if (kind === 'open') {
          request.status = (await openContent(recipient, documentId, headers)).status;
        } else {
          const metadata = pairMetadata(pair, kind === 'share' ? {} : { purpose: 'marketing' });
          const reply = await share(sender, metadata, `notes ${request.correlationId}`, { headers });
          request.status = reply.status;
          request.documentId = reply.body?.documentId;
        }
        answered++;
      } catch {
        // Cut off by the kill: no answer, so no promise either way.
      }
    };
    // Twenty-four requests in flight at all times until the process is killed: eight uploads (the most one
    // organisation may stream at once; a ninth is 429, an abuse limit), sixteen opens.
    const kinds: Kind[] = [
      ...Array<Kind>(4).fill('share'),
      ...Array<Kind>(4).fill('refused-share'),
      ...Array<Kind>(16).fill('open'),
    ];
    const lanes = kinds.map(async (kind) => {
      while (!killed) await one(kind);
    });
    while (answered < 120) await new Promise((resolve) => setTimeout(resolve, 5));
    doomed.child.kill('SIGKILL');
    killed = true;
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await Promise.all(lanes);

    const after = await inspectStores(dataDir);
    const byCorrelation = new Map<string, string[]>();
    // The decisions on documents (a burst of opens also raises a SecurityIncidentDetected, on its own stream).
    for (const e of after.events.filter((x) => x.streamId.startsWith('document-'))) {
      const id = e.meta.correlationId;
      if (typeof id === 'string') byCorrelation.set(id, [...(byCorrelation.get(id) ?? []), e.type]);
    }
    const expected: Record<Kind, [number, string]> = {
      share: [201, 'DocumentShared'],
      open: [200, 'DocumentAccessed'],
      'refused-share': [422, 'AccessDenied'],
    };
    const acknowledged = sent.filter((s) => s.status !== undefined);
    expect(acknowledged.length).toBeGreaterThanOrEqual(120);
    expect(acknowledged.filter((s) => s.status !== expected[s.kind][0])).toEqual([]);
    // Every answered request is in the log, once, as it was answered.
    expect(
      acknowledged
        .map((s) => ({ ...s, recorded: byCorrelation.get(s.correlationId) ?? [] }))
        .filter((s) => s.recorded.length !== 1 || s.recorded[0] !== expected[s.kind][1]),
    ).toEqual([]);
    // A request cut off is in the log at most once (it may have been recorded before the kill).
    for (const s of sent) expect((byCorrelation.get(s.correlationId) ?? []).length).toBeLessThanOrEqual(1);
    // Every DocumentShared names an object that exists.
    const named = after.events
      .filter((e) => e.type === 'DocumentShared')
      .map((e) => String(e.data['objectKey']));
    expect(named.filter((k) => !after.objects.includes(k))).toEqual([]);

    // Restarted on the same data: the record verifies, and every acknowledged share opens.
    const restarted = startBuiltApi(dataDir, port);
    children.push(restarted.child);
    await restarted.listening;
    const auditor = new ApiClient(url, pair.sender.users.auditor.token);
    const verify = await auditor.get('/audit/verify');
    expect([verify.status, verify.body.ok]).toEqual([200, true]);
    for (const s of acknowledged.filter((a) => a.kind === 'share')) {
      expect((await openContent(recipient, s.documentId!)).status).toBe(200);
    }
    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);

    // The read models the restarted api caught up to are what the log rebuilds to.
    const store = new SqliteEventStore({ file: join(dataDir, 'events.db') });
    const rebuilt = join(dataDir, 'rebuilt.db');
    try {
      await rebuildReadModels({ store, db: rebuilt, projections: productReadModels() });
    } finally {
      await store.close();
    }
    // The incident detector's own state (detector_*, incident_outbox) is not a read model: it is not rebuilt.
    const again = dumpReadDb(rebuilt).rows;
    const live = dumpReadDb(join(dataDir, 'read.db')).rows;
    const rebuiltNames = new Set(again['projection_checkpoints']!.map((c) => (c as { name: string }).name));
    live['projection_checkpoints'] = live['projection_checkpoints']!.filter((c) =>
      rebuiltNames.has((c as { name: string }).name),
    );
    expect(Object.fromEntries(Object.keys(again).map((t) => [t, live[t]]))).toEqual(again);
    expect(again['audit_entries']!.length).toBeGreaterThan(acknowledged.length);
  }, 120_000);
});
