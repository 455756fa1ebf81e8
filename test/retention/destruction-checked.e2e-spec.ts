import { Readable } from 'node:stream';
import { uuidv5 } from '@accord/event-store';
import { DestructionUnconfirmedError, ObjectStore } from '@accord/object-store';
import { AppLogger, Clock, READ_DB } from '@accord/platform';
import type { ReadDb } from '@accord/projections';
import { DestroyDocumentJob } from '../../apps/api/src/retention/destroy-document.job';
import { DestructionIncidents } from '../../apps/api/src/retention/destruction-incidents';
import { RetentionWriter } from '../../apps/api/src/retention/retention-writer';
import { dueDocumentIds } from '../../apps/api/src/retention/retention.queries';
import { FaultInjector } from '../../apps/api/src/shared/fault-injector';
import { buildRetentionWorld, retentionCounts, RetentionWorld } from './support/retention-world';

const MINUTE = 60_000;

/**
 * Issue 12 §4: a payload's destruction is confirmed by the store before PayloadDestroyed is recorded, and
 * /audit/verify checks that every destroyed payload is gone. The stores are the api's real ones; the one
 * "leaky" store below is the real store whose delete does nothing, as a bucket that kept the object would.
 */
describe('retention: destruction that is checked', () => {
  let w: RetentionWorld;
  beforeAll(async () => {
    w = await buildRetentionWorld();
  });
  afterAll(() => w?.close());

  const jobWith = (objects: ObjectStore): DestroyDocumentJob =>
    new DestroyDocumentJob(
      new RetentionWriter(w.store, w.api.app.get(Clock)),
      objects,
      w.api.app.get(AppLogger),
      w.api.app.get(FaultInjector),
      w.api.app.get(DestructionIncidents),
    );

  /** The real object store, except that delete leaves the object where it is. */
  const leaky = (): ObjectStore =>
    new Proxy(w.objects, {
      get(target, prop, receiver) {
        if (prop === 'delete') return () => Promise.resolve();
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });

  const auditor = () => w.world.client(w.pair.sender.users.auditor.token);

  it('an unconfirmed destruction records no PayloadDestroyed, stays due, raises one incident, and is retried', async () => {
    const { documentId, objectKey } = await w.shareDocument(MINUTE);
    w.advance(2 * MINUTE);

    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await jobWith(leaky())
        .run(documentId)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DestructionUnconfirmedError);
      expect((error as DestructionUnconfirmedError).reason).toBe('still present after delete');
    }
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 0 });
    expect(await w.objects.head(objectKey)).not.toBeNull();

    const incident = await w.store.readStream(`incident-${uuidv5(`destruction-unconfirmed|${documentId}`)}`);
    expect(incident.map((e) => e.type)).toEqual(['SecurityIncidentDetected']);
    expect(incident[0]!.data).toMatchObject({
      kind: 'destruction-unconfirmed',
      severity: 'high',
      documentIds: [documentId],
      orgIds: expect.arrayContaining([w.pair.sender.id, w.pair.recipient.id]),
    });

    await w.settle();
    // The parties' IG leads find it with their other security incidents.
    const listed = await w.lead('sender').ok('GET', '/incidents', 200);
    expect(JSON.stringify(listed.body)).toContain('destruction-unconfirmed');
    expect(dueDocumentIds(w.api.app.get<ReadDb>(READ_DB), w.now().toISOString())).toContain(documentId);
    // The next sweep, on the real store, finishes it.
    await w.sweepAndSettle();
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
    expect(await w.objects.isAbsent(objectKey)).toBe(true);
  });

  it('/audit/verify checks that every destroyed payload is absent', async () => {
    const { documentId, objectKey } = await w.shareDocument(MINUTE);
    w.advance(2 * MINUTE);
    await w.sweepAndSettle();
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
    const clean = await auditor().ok('GET', '/audit/verify', 200);
    expect(clean.body).toMatchObject({ ok: true, badObjects: [] });
    expect(clean.body.destroyedChecked).toBeGreaterThanOrEqual(2);

    // The ciphertext back under its key after PayloadDestroyed (a restored backup, a replica that lagged).
    await w.objects.put(objectKey, Readable.from([Buffer.from('ciphertext that should be gone')]));
    const report = await auditor().ok('GET', '/audit/verify', 200);
    expect(report.body).toMatchObject({
      ok: false,
      badObjects: [{ documentId, objectKey, reason: 'destroyed-but-present' }],
    });
    await w.objects.delete(objectKey);
    expect((await auditor().ok('GET', '/audit/verify', 200)).body).toMatchObject({ ok: true });
  });
});
