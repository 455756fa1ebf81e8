import { createHash } from 'node:crypto';
import { documentStreamId } from '@accord/domain';
import { openContent } from '../documents/support/documents-partnership';
import { buildSubjectWorld, codeOf, nhs, SubjectWorld } from './support/subject-world';

const MINUTE = 60_000;
const sorted = (ids: string[]) => [...ids].sort();

/** Issue 6: data-subject rights through the API, on a real api over a temp data directory. */
describe('data-subject requests', () => {
  let w: SubjectWorld;
  let sentPublicTask: string; // own -> other under public task: erasure is overridden (Art 17(3)(b))
  let sentConsent: string; // own -> other under consent: erasable
  let received: string; // other -> own: own holds it as a recipient
  let unrelated: string; // another subject

  beforeAll(async () => {
    w = await buildSubjectWorld();
    sentPublicTask = await w.shareAbout(nhs(), { title: 'Strategy <minutes>' });
    sentConsent = await w.shareAbout(nhs(), { agreementId: w.consent });
    received = await w.shareAbout(nhs('9434765919'), { from: 'recipient' });
    unrelated = await w.shareAbout({ scheme: 'local-ref', value: 'case-9' });
    const opened = await openContent(w.practitioner('recipient'), sentPublicTask);
    expect(opened.status).toBe(200);
    w.advance(MINUTE);
  }, 60_000);
  afterAll(() => w?.close());

  describe('access (UK GDPR Art 15)', () => {
    let requestId: string;

    it('lists every document the organisation holds or shared about the subject, and records it', async () => {
      const reply = await w.request('sender', { kind: 'access', subject: nhs(), reason: 'letter of 3 May' });
      expect(reply.status).toBe(201);
      requestId = reply.body.id;
      expect(reply.body).toMatchObject({ kind: 'access', status: 'completed', outcome: 'provided' });
      expect(sorted(reply.body.documentIds)).toEqual(sorted([sentPublicTask, sentConsent, received]));
      expect(reply.body.documentIds).not.toContain(unrelated);
      const events = await w.streamOf(requestId);
      expect(events.map((e) => e.type)).toEqual(['SubjectRequestReceived', 'SubjectAccessProvided']);
      // The stream holds the HMAC only, never the identifier.
      expect(JSON.stringify(events)).not.toMatch(/9434765919|943 476 5919/);
    });

    it('the report says how each was obtained, why, with whom it was shared, and who opened it when', async () => {
      w.advance(MINUTE);
      await openContent(w.practitioner('recipient'), sentPublicTask); // after the report's instant
      const report = (await w.lead('sender').ok('GET', `/subject-requests/${requestId}/report`, 200)).body;
      const byId = Object.fromEntries(report.documents.map((d: { documentId: string }) => [d.documentId, d]));
      expect(byId[sentPublicTask]).toMatchObject({
        held: 'sent',
        obtainedFrom: w.pair.sender.id,
        purpose: expect.any(String),
        sharedWith: [w.pair.recipient.id],
        sharedBy: w.pair.sender.users.practitioner.userId,
        agreement: {
          id: w.publicTask,
          lawfulBases: [{ code: 'uk-gdpr-art6-1-e', label: 'Public task' }],
        },
      });
      expect(byId[sentPublicTask].openings).toEqual([
        {
          at: expect.any(String),
          orgId: w.pair.recipient.id,
          userId: w.pair.recipient.users.practitioner.userId,
          role: 'practitioner',
        },
      ]);
      expect(byId[received]).toMatchObject({ held: 'received', obtainedFrom: w.pair.recipient.id });
      expect(byId[sentConsent].agreement.lawfulBases).toEqual([
        { code: 'uk-gdpr-art6-1-a', label: 'Consent' },
      ]);
    });

    it('prints as an HTML page with every value escaped', async () => {
      const reply = await w.lead('sender').request('GET', `/subject-requests/${requestId}/report`, {
        headers: { accept: 'text/html' },
      });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
      expect(reply.body).toContain('Subject access report');
      expect(reply.body).toContain(sentPublicTask);
      expect(reply.body).toContain('Strategy &lt;minutes&gt;');
      expect(reply.body).not.toContain('<minutes>');
      // Security headers (helmet) as on every response, and a CSP admitting the page's one stylesheet by hash.
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('x-frame-options')).toBe('DENY');
      expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
      const css = /<style>([\s\S]*?)<\/style>/.exec(String(reply.body))![1]!;
      expect(reply.headers.get('content-security-policy')).toBe(
        `default-src 'none'; style-src 'sha256-${createHash('sha256').update(css).digest('base64')}'; ` +
          "form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
      );
    });

    it("another organisation's IG lead reads it as not found; a practitioner may not ask", async () => {
      expect(codeOf(await w.lead('recipient').get(`/subject-requests/${requestId}`))).toBe(
        'subject-request.not-found',
      );
      const reply = await w.practitioner('sender').post('/subject-requests', {
        kind: 'access',
        subject: nhs(),
        reason: 'x',
      });
      expect([reply.status, codeOf(reply)]).toEqual([403, 'auth.forbidden-role']);
    });
  });

  describe('restriction (UK GDPR Art 18)', () => {
    it("blocks every open of the subject's documents, recording each denial, until lifted", async () => {
      const reply = await w.request('sender', {
        kind: 'restriction',
        subject: nhs(),
        reason: 'accuracy disputed',
      });
      expect(reply.body).toMatchObject({ outcome: 'restricted' });
      expect(sorted(reply.body.documentIds)).toEqual(sorted([sentPublicTask, sentConsent, received]));
      for (const [side, id] of [
        ['recipient', sentPublicTask],
        ['sender', received],
      ] as const) {
        const opened = await openContent(w.practitioner(side), id);
        expect([opened.status, opened.problem?.type.split('/').pop()]).toEqual([
          403,
          'open.processing-restricted',
        ]);
        const last = (await w.events(id)).at(-1)!;
        expect([last.type, last.data['reason']]).toEqual(['AccessDenied', 'open.processing-restricted']);
      }
      expect((await openContent(w.practitioner('sender'), unrelated)).status).toBe(200);
    });

    it('only the organisation that restricted lifts it; then opening works again', async () => {
      const byOther = await w.request('recipient', {
        kind: 'lift-restriction',
        subject: nhs(),
        reason: 'resolved',
      });
      expect(byOther.body).toMatchObject({ outcome: 'lifted', documentIds: [] });
      expect((await openContent(w.practitioner('recipient'), sentPublicTask)).status).toBe(403);
      const lifted = await w.request('sender', {
        kind: 'lift-restriction',
        subject: nhs(),
        reason: 'resolved',
      });
      expect(sorted(lifted.body.documentIds)).toEqual(sorted([sentPublicTask, sentConsent, received]));
      expect((await openContent(w.practitioner('recipient'), sentPublicTask)).status).toBe(200);
      expect((await w.events(sentPublicTask)).map((e) => e.type)).toContain('RestrictionLifted');
    });

    it("two organisations' restrictions of one document: one's lift leaves the other's in force until it lifts its own", async () => {
      const restrict = (side: 'sender' | 'recipient', kind: 'restriction' | 'lift-restriction') =>
        w.request(side, { kind, subject: nhs(), reason: 'accuracy disputed' });
      await restrict('sender', 'restriction');
      // The person disputes the record with the recipient too: its restriction is its own.
      expect((await restrict('recipient', 'restriction')).body.documentIds).toContain(sentPublicTask);
      await restrict('sender', 'lift-restriction');
      for (const [side, id] of [
        ['recipient', sentPublicTask],
        ['sender', received],
      ] as const)
        expect((await openContent(w.practitioner(side), id)).status).toBe(403);
      expect((await restrict('recipient', 'lift-restriction')).body.documentIds).toContain(sentPublicTask);
      expect((await openContent(w.practitioner('recipient'), sentPublicTask)).status).toBe(200);
    });
  });

  describe('rectification (UK GDPR Arts 16 and 19)', () => {
    it('a corrected document supersedes the old one and its recipients are told in their inbox', async () => {
      const corrected = await w.shareAbout(nhs(), { title: 'Strategy minutes (corrected)' });
      const reply = await w.request('sender', {
        kind: 'rectification',
        subject: nhs(),
        reason: 'date of birth was wrong',
        documentId: sentPublicTask,
        correctedDocumentId: corrected,
      });
      expect(reply.body).toMatchObject({
        outcome: 'rectified',
        rectification: { supersededId: sentPublicTask, correctedId: corrected },
      });
      const superseded = (await w.events(sentPublicTask)).find((e) => e.type === 'DocumentSuperseded')!;
      expect(superseded.data).toMatchObject({ supersededBy: corrected, requestId: reply.body.id });
      // Both documents say so, to the sender and to the recipient alike.
      await w.settle();
      for (const side of ['sender', 'recipient'] as const) {
        const old = (await w.practitioner(side).ok('GET', `/documents/${sentPublicTask}`, 200)).body;
        expect([old.supersededBy, old.supersedes]).toEqual([corrected, null]);
        const fix = (await w.practitioner(side).ok('GET', `/documents/${corrected}`, 200)).body;
        expect([fix.supersededBy, fix.supersedes]).toEqual([null, sentPublicTask]);
      }
      const listed = (await w.practitioner('recipient').ok('GET', '/documents', 200)).body.items as {
        id: string;
        supersededBy: string | null;
      }[];
      expect(listed.find((d) => d.id === sentPublicTask)?.supersededBy).toBe(corrected);
      expect(listed.find((d) => d.id === unrelated)?.supersededBy).toBeNull();
      const inbox = (await w.practitioner('recipient').ok('GET', '/notifications', 200)).body.items as {
        kind: string;
        message: string;
      }[];
      const notice = inbox.find((i) => i.kind === 'document-superseded');
      expect(notice?.message).toContain(sentPublicTask);
      expect(notice?.message).toContain(corrected);
      // The audit trail of the old document shows the rectification, for the recipient's IG lead too.
      const history = await w.lead('recipient').ok('GET', `/audit/documents/${sentPublicTask}/history`, 200);
      const rows = history.body.items as { type: string; details: Record<string, unknown> }[];
      expect(rows.find((r) => r.type === 'DocumentSuperseded')?.details).toMatchObject({
        supersededBy: corrected,
      });
      const again = await w.request('sender', {
        kind: 'rectification',
        subject: nhs(),
        reason: 'again',
        documentId: sentPublicTask,
        correctedDocumentId: corrected,
      });
      expect([again.status, codeOf(again)]).toEqual([409, 'subject-request.already-superseded']);
    });

    it('only the sender rectifies, and names both documents', async () => {
      const notSender = await w.request('sender', {
        kind: 'rectification',
        subject: nhs(),
        reason: 'x',
        documentId: received,
        correctedDocumentId: sentConsent,
      });
      expect([notSender.status, codeOf(notSender)]).toEqual([403, 'subject-request.not-sender']);
      // Recorded, as every refusal of who may act is: its own organisation's audit trail shows it.
      const sender = w.pair.sender.id;
      const rows = (
        await w.lead('sender').ok('GET', `/audit/organisations/${sender}/history?limit=1000`, 200)
      ).body.items as { type: string; details: Record<string, unknown> }[];
      expect(rows.filter((r) => r.type === 'ActionRefused').map((r) => r.details)).toContainEqual({
        route: 'POST /subject-requests',
        reason: 'subject-request.not-sender',
      });
      const missing = await w.request('sender', { kind: 'rectification', subject: nhs(), reason: 'x' });
      expect([missing.status, codeOf(missing)]).toEqual([422, 'subject-request.documents-required']);
    });
  });

  describe('erasure (UK GDPR Art 17)', () => {
    it('erases what the organisation shared where lawful, and keeps with the reason what an exemption covers', async () => {
      const { objectKey } = (await w.events(sentConsent))[0]!.data as { objectKey: string };
      const reply = await w.request('sender', {
        kind: 'erasure',
        subject: nhs(),
        reason: 'consent withdrawn',
      });
      expect(reply.body).toMatchObject({
        outcome: 'partially-erased',
        erasure: {
          erased: [sentConsent],
          kept: expect.arrayContaining([
            {
              documentId: sentPublicTask,
              agreementId: w.publicTask,
              exemption: 'art17-3-b',
              lawfulBasis: 'uk-gdpr-art6-1-e',
            },
          ]),
          refusal: expect.stringContaining('UK GDPR Art 17(3)(b)'),
        },
      });
      // The received document is the sender's to erase; the corrected one rests on public task too.
      expect(reply.body.erasure.erased).not.toContain(received);
      expect(reply.body.erasure.kept.map((k: { documentId: string }) => k.documentId)).not.toContain(
        received,
      );
      // ... and the answer names that controller, to redirect the person to (docs/architecture.md §28.4).
      expect(reply.body.redirectTo).toEqual([w.pair.recipient.id]);
      const types = (await w.events(sentConsent)).map((e) => e.type);
      expect(types.slice(-2)).toEqual(['DocumentErased', 'PayloadDestroyed']);
      expect(await w.objects.head(objectKey)).toBeNull();
      const opened = await openContent(w.practitioner('recipient'), sentConsent);
      expect([opened.status, opened.problem?.type.split('/').pop()]).toEqual([410, 'open.document-erased']);
      expect((await openContent(w.practitioner('recipient'), sentPublicTask)).status).toBe(200);
      // The erased document's title (it may name the person) goes from the recipient's lists, inbox included,
      // and the recipient is told once: erased, with no second notice when the payload is then destroyed.
      const shown = await w.practitioner('recipient').ok('GET', `/documents/${sentConsent}`, 200);
      expect(shown.body.title).toBe('');
      const inbox = await w.practitioner('recipient').ok('GET', '/inbox?limit=100', 200);
      const entries = inbox.body.items.filter((i: { documentId: string }) => i.documentId === sentConsent);
      expect(entries.map((i: { kind: string }) => i.kind).sort()).toEqual([
        'document-erased',
        'document-shared',
      ]);
      expect(entries.map((i: { title: string }) => i.title)).toEqual(['', '']);
      const events = (await w.streamOf(reply.body.id)).map((e) => e.type);
      expect(events).toEqual([
        'SubjectRequestReceived',
        'ErasureApproved',
        'ErasureRefused',
        'ErasureCompleted',
      ]);
    });

    it('refuses outright, with the reason, where every document is covered by an exemption', async () => {
      const reply = await w.request('sender', {
        kind: 'erasure',
        subject: { scheme: 'local-ref', value: 'CASE-9' },
        reason: 'asked by phone',
      });
      expect(reply.body).toMatchObject({
        outcome: 'refused',
        erasure: { erased: [], kept: [{ documentId: unrelated, exemption: 'art17-3-b' }] },
      });
      expect((await openContent(w.practitioner('sender'), unrelated)).status).toBe(200);
    });

    it('an erasure interrupted after DocumentErased is finished by the retention sweep', async () => {
      const documentId = await w.shareAbout(nhs('401 023 2137'), { agreementId: w.consent });
      const { objectKey } = (await w.events(documentId))[0]!.data as { objectKey: string };
      const head = (await w.events(documentId)).at(-1)!;
      // What a crash between the erasure's first event and the object's deletion leaves behind.
      await w.store.append(
        documentStreamId(documentId),
        [
          {
            eventId: '0190a1b2-0000-7000-8000-00000000e1a5',
            type: 'DocumentErased',
            data: { requestId: 'interrupted' },
            meta: { occurredAt: w.now().toISOString(), actor: { system: 'test' }, correlationId: 'crash' },
          },
        ],
        head.revision,
      );
      expect(await w.objects.head(objectKey)).not.toBeNull();
      expect(await w.sweepAndSettle()).toContain(documentId);
      expect(await w.objects.head(objectKey)).toBeNull();
      expect((await w.events(documentId)).map((e) => e.type).slice(-2)).toEqual([
        'DocumentErased',
        'PayloadDestroyed',
      ]);
    });
  });

  describe('retries and malformed requests', () => {
    it('a retry with the same Idempotency-Key answers the same request and records nothing twice', async () => {
      const body = { kind: 'restriction', subject: nhs(), reason: 'disputed again' };
      const first = await w.request('sender', body, 'restrict-1');
      const before = (await w.events(sentPublicTask)).length;
      const again = await w.request('sender', body, 'restrict-1');
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect((await w.streamOf(first.body.id)).length).toBe(2);
      expect((await w.events(sentPublicTask)).length).toBe(before);
      await w.request('sender', { kind: 'lift-restriction', subject: nhs(), reason: 'done' });
    });

    it.each([
      ['a kind is required', { subject: nhs(), reason: 'x' }, 400, 'validation-failed'],
      [
        'the kind comes from the list',
        { kind: 'forget', subject: nhs(), reason: 'x' },
        400,
        'validation-failed',
      ],
      [
        'the scheme is nhs-number or local-ref',
        { kind: 'access', subject: { scheme: 'email', value: 'a' }, reason: 'x' },
        400,
        'validation-failed',
      ],
      [
        'no unknown field',
        { kind: 'access', subject: nhs(), reason: 'x', extra: 1 },
        400,
        'validation-failed',
      ],
      [
        'the NHS number passes its check digit',
        { kind: 'access', subject: nhs('943 476 5918'), reason: 'x' },
        422,
        'subject.nhs-number-invalid',
      ],
      [
        // Pasted with a zero-width space or a bidi mark, "CASE-9" would be another subject: an access request
        // that silently finds none of the person's documents.
        'a local reference holds no invisible characters',
        { kind: 'access', subject: { scheme: 'local-ref', value: 'CASE-9\u200b' }, reason: 'x' },
        422,
        'subject.value-invalid',
      ],
      [
        'a reason is required',
        { kind: 'access', subject: nhs(), reason: '  ' },
        422,
        'subject-request.reason-required',
      ],
    ])('validation: %s', async (_what, body, status, code) => {
      const reply = await w.request('sender', body);
      expect([reply.status, codeOf(reply)]).toEqual([status, code]);
      expect(JSON.stringify(reply.body)).not.toContain('9434765918');
    });
  });
});
