import { openContent } from '../documents/support/documents-partnership';
import { buildRetentionWorld, retentionCounts, RetentionWorld } from './support/retention-world';

const MINUTE = 60_000;

/** Storage limitation (UK GDPR Art 5(1)(e)) on the embedded api: the in-process scheduler runs the jobs. */
describe('retention: sweep, destruction and legal hold (in-process scheduler)', () => {
  let w: RetentionWorld;

  beforeAll(async () => {
    w = await buildRetentionWorld();
  });
  afterAll(() => w?.close());

  it('destroys a document once retainUntil has passed: object deleted, each event once, content 410, metadata and history kept', async () => {
    const { documentId, objectKey } = await w.shareDocument(MINUTE);
    expect(await w.sweepAndSettle()).not.toContain(documentId);
    expect(await w.objects.head(objectKey)).not.toBeNull();

    w.advance(2 * MINUTE);
    expect(await w.sweepAndSettle()).toContain(documentId);

    expect(await w.objects.head(objectKey)).toBeNull();
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
    const types = (await w.events(documentId)).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['RetentionExpired', 'PayloadDestroyed']);
    const destroyed = (await w.events(documentId)).find((e) => e.type === 'PayloadDestroyed')!;
    expect(destroyed.data).toEqual({ objectKey });
    expect(destroyed.meta.actor).toEqual({ system: 'retention' });

    const practitioner = w.world.client(w.pair.recipient.users.practitioner.token);
    const opened = await openContent(practitioner, documentId);
    expect({ status: opened.status, code: opened.problem?.type.split('/').pop() }).toEqual({
      status: 410,
      code: 'open.payload-destroyed',
    });
    const metadata = await practitioner.ok('GET', `/documents/${documentId}`, 200);
    expect(metadata.body).toMatchObject({ id: documentId, state: 'destroyed', payloadDestroyed: true });

    // The transfer and audit views show the destruction; it is not a movement, so the summary counts it apart.
    const lead = w.lead('recipient');
    const transfers = await lead.ok('GET', '/transfers', 200);
    const rows = (transfers.body.items as { kind: string; documentId: string }[]).filter(
      (r) => r.documentId === documentId,
    );
    expect(rows.map((r) => r.kind)).toEqual(['share', 'destroyed']);
    expect(rows[1]).toMatchObject({ reason: 'retention', completed: false, from: { storageRegion: 'uk' } });
    expect(transfers.body.summary.destroyed).toBeGreaterThanOrEqual(1);
    const before = await lead.ok('GET', `/transfers?asOf=${destroyed.position - 1}`, 200);
    expect((before.body.items as { kind: string }[]).map((r) => r.kind)).not.toContain('destroyed');
    const history = await lead.ok('GET', `/audit/documents/${documentId}/history`, 200);
    const historyTypes = (history.body.items as { type: string }[]).map((e) => e.type);
    expect(historyTypes.slice(-3)).toEqual(['RetentionExpired', 'PayloadDestroyed', 'AccessDenied']);

    // A later sweep finds nothing to do and appends nothing.
    expect(await w.sweepAndSettle()).not.toContain(documentId);
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
  });

  it("keeps a held document past retainUntil while any party holds it, and destroys it at once when the last hold is released; no organisation releases another's hold", async () => {
    const { documentId, objectKey } = await w.shareDocument(MINUTE);
    const placed = await w
      .lead('recipient')
      .ok('POST', `/documents/${documentId}/legal-hold`, 201, { body: { reason: 'civil claim' } });
    expect(placed.body).toMatchObject({ documentId, legalHold: true, due: false });
    const again = await w.lead('recipient').post(`/documents/${documentId}/legal-hold`, { reason: 'x' });
    expect({ status: again.status, type: again.body.type }).toMatchObject({ status: 409 });
    expect(again.body.type).toMatch(/retention\.hold-already-placed$/);
    // Each party holds for its own reasons: the sender's hold is its own, beside the recipient's.
    await w
      .lead('sender')
      .ok('POST', `/documents/${documentId}/legal-hold`, 201, { body: { reason: 'internal review' } });

    w.advance(2 * MINUTE);
    expect(await w.sweepAndSettle()).not.toContain(documentId);
    expect(await w.objects.head(objectKey)).not.toBeNull();
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 0, PayloadDestroyed: 0 });

    const schedule = await w.lead('sender').ok('GET', '/retention/schedule', 200);
    expect(schedule.body.items).toContainEqual(
      expect.objectContaining({ documentId, legalHold: true, payloadDestroyed: false, state: 'held' }),
    );

    // The sender's release ends its own hold only: the recipient's civil claim still keeps the document.
    const own = await w
      .lead('sender')
      .ok('DELETE', `/documents/${documentId}/legal-hold`, 200, { body: { reason: 'review done' } });
    expect(own.body).toMatchObject({ documentId, legalHold: true });
    const others = await w.lead('sender').delete(`/documents/${documentId}/legal-hold`, { reason: 'x' });
    expect([others.status, others.body.type]).toEqual([
      409,
      'https://accord.example/problems/retention.hold-not-placed',
    ]);
    await w.scheduler.idle({ timeoutMs: 20_000 });
    expect(await w.objects.head(objectKey)).not.toBeNull();

    const released = await w
      .lead('recipient')
      .ok('DELETE', `/documents/${documentId}/legal-hold`, 200, { body: { reason: 'claim settled' } });
    expect(released.body).toMatchObject({ documentId, legalHold: false, due: true });
    // Queued by the release itself, before any sweep.
    await w.scheduler.idle({ timeoutMs: 20_000 });
    await w.settle();
    expect(await w.objects.head(objectKey)).toBeNull();
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
    const holdEvents = (await w.events(documentId)).filter((e) => e.type.startsWith('LegalHold'));
    expect(holdEvents.map((e) => [e.type, e.data])).toEqual([
      ['LegalHoldPlaced', { reason: 'civil claim', orgId: w.pair.recipient.id }],
      ['LegalHoldPlaced', { reason: 'internal review', orgId: w.pair.sender.id }],
      ['LegalHoldReleased', { reason: 'review done', orgId: w.pair.sender.id }],
      ['LegalHoldReleased', { reason: 'claim settled', orgId: w.pair.recipient.id }],
    ]);

    const after = await w.lead('recipient').ok('GET', '/retention/schedule', 200);
    expect(after.body.items).toContainEqual(
      expect.objectContaining({
        documentId,
        retentionExpired: true,
        payloadDestroyed: true,
        state: 'destroyed',
      }),
    );
  });

  it('lists only what is due by dueBefore on the schedule', async () => {
    const soon = await w.shareDocument(10 * MINUTE);
    const later = await w.shareDocument(100 * MINUTE);
    await w.settle();
    const dueBefore = new Date(w.now().getTime() + 50 * MINUTE).toISOString();
    const { body } = await w.lead('sender').ok('GET', `/retention/schedule?dueBefore=${dueBefore}`, 200);
    const ids = (body.items as { documentId: string }[]).map((i) => i.documentId);
    expect(ids).toContain(soon.documentId);
    expect(ids).not.toContain(later.documentId);
    const bad = await w.lead('sender').get('/retention/schedule?dueBefore=tomorrow');
    expect(bad.status).toBe(400);
  });

  it('refuses a hold on a document the caller’s organisation is no party to, as not found', async () => {
    const { documentId } = await w.shareDocument(MINUTE);
    const outsiderOrg = await w.world.newOrganisation('outsider');
    const outsider = w.world.client(outsiderOrg.users['ig-lead'].token);
    const reply = await outsider.post(`/documents/${documentId}/legal-hold`, { reason: 'nosy' });
    expect(reply.status).toBe(404);
    expect(reply.body.type).toMatch(/\/document\.not-found$/);
    const events = await w.events(documentId);
    expect(events.some((e) => e.type === 'LegalHoldPlaced')).toBe(false);
    // The attempt is recorded for the document's parties (issue 12 §2).
    expect(events[events.length - 1]).toMatchObject({
      type: 'AccessDenied',
      data: { reason: 'hold.not-a-party', orgId: outsiderOrg.id },
    });
  });
  // Last: it ends the pair's agreement, which every other case shares under.
  it('a terminated agreement stops new shares; what was shared keeps its own retainUntil and is destroyed then', async () => {
    const { documentId, objectKey } = await w.shareDocument(10 * MINUTE);
    const before = await w.lead('sender').ok('GET', `/documents/${documentId}`, 200);
    await w.lead('sender').ok('POST', `/agreements/${w.pair.agreementId}/termination`, 201, {
      body: { effectiveAt: w.now().toISOString() },
    });
    w.advance(MINUTE);
    await w.settle();
    await expect(w.shareDocument(10 * MINUTE)).rejects.toThrow(/share.agreement-terminated/);

    // Terminated, but not yet at its retainUntil: kept, metadata unchanged.
    expect(await w.sweepAndSettle()).not.toContain(documentId);
    expect(await w.objects.head(objectKey)).not.toBeNull();
    const after = await w.lead('sender').ok('GET', `/documents/${documentId}`, 200);
    expect(after.body.retainUntil).toBe(before.body.retainUntil);

    w.advance(10 * MINUTE);
    expect(await w.sweepAndSettle()).toContain(documentId);
    expect(await w.objects.head(objectKey)).toBeNull();
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
  });
});
