import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentStreamId, SUBJECT_REQUEST_STREAM_PREFIX, subjectRequestStreamId } from '@accord/domain';
import type { RecordedEvent } from '@accord/event-store';
import { freePort } from '../api/support/built-apps';
import { inspectStores, startBuiltApi } from '../api/support/built-process';
import { ApiClient } from '../authz/world';
import { eventually } from '../../libs/projections/src/testing/projection-test-kit';
import { buildSubjectWorld, nhs } from './support/subject-world';

const typesOf = (events: RecordedEvent[], streamId: string): string[] =>
  events.filter((e) => e.streamId === streamId).map((e) => e.type);
const count = (types: string[], type: string): number => types.filter((t) => t === type).length;

/**
 * UK GDPR Art 17 with the order of docs/architecture.md §20.9 (DocumentErased, then the object's deletion,
 * then PayloadDestroyed): the real api process killed right after the delete leaves the erasure recorded, the
 * object gone and no PayloadDestroyed. A restart finishes it (the retention sweep takes every erased document
 * that still counts a payload) with PayloadDestroyed once, and the client's retry with the same
 * Idempotency-Key answers the completed request without erasing anything again.
 *
 * No variant for a crash between ErasureApproved and DocumentErased: FaultPoint has no point there (the
 * only destroy-job points are after RetentionExpired, which an erasure skips, and after the delete).
 * subject-requests.e2e-spec covers the nearby state (DocumentErased appended, object still there) in process.
 */
describe('erasure: the api killed between the object delete and PayloadDestroyed', () => {
  let dataDir: string;
  const children: ChildProcessWithoutNullStreams[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('records the erasure, deletes the object, and after restart destroys once and completes the retry', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-erasure-crash-'));
    const w = await buildSubjectWorld({ DATA_DIR: dataDir });
    const erasable = await w.shareAbout(nhs(), { agreementId: w.consent }); // consent: erasable
    const kept = await w.shareAbout(nhs()); // public task: kept under Art 17(3)(b)
    const objectKeyOf = async (id: string) =>
      ((await w.events(id))[0]!.data as { objectKey: string }).objectKey;
    const erasableKey = await objectKeyOf(erasable);
    const keptKey = await objectKeyOf(kept);
    const leadToken = w.pair.sender.users['ig-lead'].token;
    await w.close();

    // 1. The fault point: the process dies right after the erased document's object is deleted.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const doomed = startBuiltApi(dataDir, port, { ACCORD_FAULT: 'destroy-after-delete' });
    children.push(doomed.child);
    await doomed.listening;
    const body = { kind: 'erasure', subject: nhs(), reason: 'consent withdrawn' };
    const key = { 'idempotency-key': 'crash-test-erasure-1' };
    await new ApiClient(url, leadToken).post('/subject-requests', body, key).catch(() => undefined);
    expect(await doomed.exited).toEqual({ code: 137, signal: null });

    const afterCrash = await inspectStores(dataDir);
    const requestStreams = [
      ...new Set(
        afterCrash.events
          .filter((e) => e.streamId.startsWith(SUBJECT_REQUEST_STREAM_PREFIX))
          .map((e) => e.streamId),
      ),
    ];
    expect(requestStreams).toHaveLength(1);
    const requestStream = requestStreams[0]!;
    expect(typesOf(afterCrash.events, requestStream)).toEqual([
      'SubjectRequestReceived',
      'ErasureApproved',
      'ErasureRefused',
    ]);
    const erasedTypes = typesOf(afterCrash.events, documentStreamId(erasable));
    expect(count(erasedTypes, 'DocumentErased')).toBe(1);
    expect(count(erasedTypes, 'PayloadDestroyed')).toBe(0);
    expect(afterCrash.objects).not.toContain(erasableKey);
    expect(afterCrash.objects).toContain(keptKey);
    expect(typesOf(afterCrash.events, documentStreamId(kept))).not.toContain('DocumentErased');

    // 2. Restart without the fault and with a quick sweep: it finishes the interrupted destruction.
    const restarted = startBuiltApi(dataDir, port, { RETENTION_SWEEP_INTERVAL_MS: '200' });
    children.push(restarted.child);
    await restarted.listening;
    const lead = new ApiClient(url, leadToken);
    await eventually(
      async () => (await lead.get(`/documents/${erasable}`)).body?.payloadDestroyed === true,
      20_000,
    );

    // 3. The client's retry with the same key: the same request, now completed, nothing erased twice.
    const retry = await lead.post('/subject-requests', body, key);
    expect(retry.status).toBe(201);
    expect(subjectRequestStreamId(retry.body.id)).toBe(requestStream);
    expect(retry.body).toMatchObject({
      kind: 'erasure',
      status: 'completed',
      outcome: 'partially-erased',
      erasure: { erased: [erasable], kept: [expect.objectContaining({ documentId: kept })] },
    });
    expect((await lead.get(`/documents/${kept}`)).body).toMatchObject({ payloadDestroyed: false });

    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);

    const final = await inspectStores(dataDir);
    const finalTypes = typesOf(final.events, documentStreamId(erasable));
    expect(count(finalTypes, 'DocumentErased')).toBe(1);
    expect(count(finalTypes, 'PayloadDestroyed')).toBe(1);
    expect(finalTypes.slice(-2)).toEqual(['DocumentErased', 'PayloadDestroyed']);
    expect(typesOf(final.events, requestStream)).toEqual([
      'SubjectRequestReceived',
      'ErasureApproved',
      'ErasureRefused',
      'ErasureCompleted',
    ]);
    expect(final.objects).not.toContain(erasableKey);
    expect(final.objects).toContain(keptKey);
  });
});
