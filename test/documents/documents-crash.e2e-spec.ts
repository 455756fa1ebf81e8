import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentStreamId } from '@accord/domain';
import { FilesystemObjectStore } from '@accord/object-store';
import { startApi } from '../api/support/api-harness';
import { freePort } from '../api/support/built-apps';
import { inspectStores, startBuiltApi } from '../api/support/built-process';
import { ApiClient, World } from '../authz/world';
import { eventually } from '../../libs/projections/src/testing/projection-test-kit';
import { openContent, share } from './support/documents-partnership';
import { buildPair, pairMetadata } from './support/documents-pair';

const GRACE_MS = 1500;

/**
 * docs/architecture.md §18.3 and the share's order (§9.7) (object, then event): a process killed between
 * storing a document's object and appending its DocumentShared leaves an object no event names, never an
 * event without its object; after a restart the reconciler deletes the orphan once its grace period has
 * passed, and a retry with the same Idempotency-Key shares the document as if nothing had happened.
 */
describe('documents: a crash between the object and the event', () => {
  let dataDir: string;
  const children: ChildProcessWithoutNullStreams[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves an orphan object and no event; after restart the orphan is swept and the retry shares once', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-doc-crash-'));
    const seeded = await World.build(await startApi({ env: { DATA_DIR: dataDir } }));
    const pair = await buildPair(seeded, seeded.orgs.own, seeded.orgs.other);
    const senderToken = pair.sender.users.practitioner.token;
    const recipientToken = pair.recipient.users.practitioner.token;
    await seeded.close();

    // 1. The fault point: the process dies right after the object is stored.
    const port = await freePort();
    const doomed = startBuiltApi(dataDir, port, { ACCORD_FAULT: 'after-object-put' });
    children.push(doomed.child);
    await doomed.listening;
    const url = `http://127.0.0.1:${port}`;
    const key = { 'idempotency-key': 'crash-test-share-1' };
    await share(new ApiClient(url, senderToken), pairMetadata(pair), 'crash me', { headers: key }).catch(
      () => undefined,
    );
    expect(await doomed.exited).toEqual({ code: 137, signal: null });

    const afterCrash = await inspectStores(dataDir);
    expect(afterCrash.objects).toHaveLength(1);
    expect(afterCrash.events.filter((e) => e.type === 'DocumentShared')).toEqual([]);
    const orphanKey = afterCrash.objects[0]!;

    // 2. Restart with a short grace period; the retry (same key) shares on the same document id.
    const restarted = startBuiltApi(dataDir, port, {
      ORPHAN_GRACE_MS: String(GRACE_MS),
      ORPHAN_SWEEP_INTERVAL_MS: '200',
    });
    children.push(restarted.child);
    await restarted.listening;
    const retry = await share(new ApiClient(url, senderToken), pairMetadata(pair), 'crash me', {
      headers: key,
    });
    expect(retry.status).toBe(201);
    expect(orphanKey).toContain(retry.body.documentId);

    // 3. The orphan goes once it is older than the grace period; the shared document's object stays.
    const objects = new FilesystemObjectStore({ dir: join(dataDir, 'objects') });
    await eventually(async () => (await objects.head(orphanKey)) === null, 20_000);
    const opened = await openContent(new ApiClient(url, recipientToken), retry.body.documentId);
    expect(opened.status).toBe(200);

    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);

    const final = await inspectStores(dataDir);
    const stream = final.events.filter((e) => e.streamId === documentStreamId(retry.body.documentId));
    expect(stream.map((e) => e.type)).toEqual(
      expect.arrayContaining(['DocumentShared', 'OrphanPayloadDeleted', 'DocumentAccessed']),
    );
    expect(stream.find((e) => e.type === 'OrphanPayloadDeleted')!.data).toEqual({ objectKey: orphanKey });
    expect(stream.filter((e) => e.type === 'DocumentShared')).toHaveLength(1);
    // The invariant, over the whole log: every DocumentShared names an object that exists.
    const named = final.events
      .filter((e) => e.type === 'DocumentShared')
      .map((e) => String(e.data['objectKey']));
    expect(named.filter((k) => !final.objects.includes(k))).toEqual([]);
    expect(final.objects).toEqual(named.sort());
  });
});
