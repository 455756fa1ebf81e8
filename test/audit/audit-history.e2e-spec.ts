import { createHmac } from 'node:crypto';
import { documentStreamId } from '@accord/domain';
import { ApiClient } from '../authz/world';
import { HOSPITAL, POLICE, SENDER } from '../documents/support/documents-partnership';
import { AT, AuditScenario, buildAuditScenario, LOCAL_REF, NHS_NUMBER } from './support/audit-scenario';
import { positionAt, straightFold, Target } from './support/straight-fold';

const types = (reply: { body: { items: { type: string }[] } }) => reply.body.items.map((e) => e.type);
const DOC_TYPES = ['DocumentShared', 'DocumentAccessed', 'AccessDenied', 'TransferBlocked'];

/** Histories per document, user, organisation, agreement and subject, as JSON and CSV, as of any moment. */
describe('audit: who shared what with whom, who opened it, who was refused, and when', () => {
  let s: AuditScenario;
  let auditor: ApiClient;
  const docHistory = (id: string, query = '') => `/audit/documents/${id}/history${query}`;

  beforeAll(async () => {
    s = await buildAuditScenario();
    auditor = s.platformAuditor;
  });
  afterAll(() => s?.close());

  it("a document's history: the share, the open, the refusal and the transfer block, in order, without its title", async () => {
    const reply = await auditor.ok('GET', docHistory(s.toPolice), 200);
    expect(types(reply)).toEqual(DOC_TYPES);
    const [shared, opened, denied, blocked] = reply.body.items;
    expect(shared).toMatchObject({
      documentId: s.toPolice,
      agreementId: s.agreementId,
      occurredAt: AT.shareToPolice,
      actor: { orgId: SENDER, role: 'practitioner' },
      details: { senderOrg: SENDER, recipients: [POLICE], subjectCount: 1, storageRegion: 'uk' },
    });
    expect(opened).toMatchObject({
      orgId: POLICE,
      occurredAt: AT.policeOpens,
      details: { client: { country: 'GB' } },
    });
    expect(denied).toMatchObject({ orgId: HOSPITAL, details: { reason: 'open.not-a-recipient' } });
    expect(blocked).toMatchObject({
      orgId: POLICE,
      details: { reason: 'transfer.client-outside-uk', destination: 'FR' },
    });
    expect(JSON.stringify(reply.body)).not.toContain('Strategy meeting minutes');
    expect(reply.body).toMatchObject({ scope: 'platform', nextAfter: null });
  });

  it('the same history as CSV with Accept: text/csv, one row per entry under a header', async () => {
    const res = await fetch(`${s.world.url}${docHistory(s.toPolice)}`, {
      headers: { authorization: `Bearer ${auditor.token}`, accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (await res.text()).trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^position,occurredAt,type,documentId,/);
    expect(rows.slice(1).map((r) => r.split(',')[2])).toEqual(DOC_TYPES);
    expect(rows[4]).toContain('transfer.client-outside-uk,FR');
    expect(Number(res.headers.get('x-as-of-position'))).toBeGreaterThan(0);
  });

  it("a user's history: what they did", async () => {
    const id = await s.userIdOf(s.police);
    const reply = await auditor.ok('GET', `/audit/users/${id}/history`, 200);
    expect(types(reply)).toEqual([
      'UserEnrolled',
      'AccessAgreementAccepted',
      'DocumentAccessed',
      'TransferBlocked',
    ]);
  });

  it("an organisation's history: its documents' events, and its users refused at others' documents", async () => {
    const reply = await auditor.ok('GET', `/audit/organisations/${HOSPITAL}/history?limit=1000`, 200);
    const documentRows = reply.body.items.filter((e: { documentId: string | null }) => e.documentId);
    expect(documentRows.map((e: { documentId: string; type: string }) => [e.documentId, e.type])).toEqual([
      [s.toPolice, 'AccessDenied'],
      [s.toHospital, 'DocumentShared'],
      [s.toHospital, 'DocumentAccessed'],
    ]);
  });

  it("an agreement's history: its lifecycle, then every document shared, opened or refused under it", async () => {
    const reply = await auditor.ok('GET', `/audit/agreements/${s.agreementId}/history?limit=1000`, 200);
    const all = types(reply);
    expect(all[0]).toBe('AgreementDrafted');
    expect(all).toContain('AgreementActivated');
    expect(
      all.filter((t) => t.startsWith('Document') || t === 'AccessDenied' || t === 'TransferBlocked'),
    ).toEqual([...DOC_TYPES, 'DocumentShared', 'DocumentAccessed']);
  });

  it("a data subject's history, by scheme and value: only the documents about them", async () => {
    const nhs = await auditor.ok(
      'GET',
      `/audit/subjects/history?scheme=nhs-number&value=${encodeURIComponent(NHS_NUMBER)}`,
      200,
    );
    expect(new Set(nhs.body.items.map((e: { documentId: string }) => e.documentId))).toEqual(
      new Set([s.toPolice]),
    );
    const local = await auditor.ok(
      'GET',
      `/audit/subjects/history?scheme=local-ref&value=${encodeURIComponent(LOCAL_REF.toLowerCase())}`,
      200,
    );
    expect(types(local)).toEqual(['DocumentShared', 'DocumentAccessed']);
    const invalid = await auditor.get('/audit/subjects/history?scheme=nhs-number&value=1234567890');
    expect(invalid.status).toBe(422);
    expect(JSON.stringify(invalid.body)).not.toContain('1234567890');
  });

  it('asOf before the first access shows the share and nothing else; a position works the same way', async () => {
    const before = await auditor.ok(
      'GET',
      docHistory(s.toPolice, `?asOf=${encodeURIComponent('2025-03-03T10:00:30Z')}`),
      200,
    );
    expect(types(before)).toEqual(['DocumentShared']);
    const sharedAt = before.body.items[0].position;
    expect(before.body.asOf).toEqual({ position: sharedAt, at: '2025-03-03T10:00:30.000Z' });
    expect(types(await auditor.ok('GET', docHistory(s.toPolice, `?asOf=${sharedAt - 1}`), 200))).toEqual([]);
    expect(types(await auditor.ok('GET', docHistory(s.toPolice, `?asOf=${sharedAt}`), 200))).toEqual([
      'DocumentShared',
    ]);
    const bad = await auditor.get(docHistory(s.toPolice, '?asOf=yesterday'));
    expect(bad.status).toBe(400);
    // A day that is not on the calendar is refused, not rolled over to 2 or 3 March as Date would.
    for (const asOf of ['2025-02-30', '2025-02-29T10:00:00Z', '2025-03-03T24:00:00Z']) {
      const impossible = await auditor.get(docHistory(s.toPolice, `?asOf=${encodeURIComponent(asOf)}`));
      expect([asOf, impossible.status, impossible.body.type]).toEqual([
        asOf,
        400,
        'https://accord.example/problems/validation-failed',
      ]);
    }
  });

  it('for 20 random moments, every history equals a straight fold of the raw events up to then', async () => {
    const events = await s.rawEvents();
    const head = events[events.length - 1]!.position;
    const ref = createHmac('sha256', s.world.api.config.platformSecret)
      .update(`nhs-number:${NHS_NUMBER.replace(/\s/g, '')}`)
      .digest('hex');
    const targets: [string, Target][] = [
      [docHistory(s.toPolice), { kind: 'document', id: s.toPolice }],
      [docHistory(s.toHospital), { kind: 'document', id: s.toHospital }],
      [`/audit/organisations/${HOSPITAL}/history`, { kind: 'organisation', id: HOSPITAL }],
      [`/audit/organisations/${POLICE}/history`, { kind: 'organisation', id: POLICE }],
      [`/audit/agreements/${s.agreementId}/history`, { kind: 'agreement', id: s.agreementId }],
      [
        `/audit/users/${await s.userIdOf(s.police)}/history`,
        { kind: 'user', id: await s.userIdOf(s.police) },
      ],
      [
        `/audit/subjects/history?scheme=nhs-number&value=${NHS_NUMBER.replace(/\s/g, '')}`,
        { kind: 'subject', ref },
      ],
    ];
    let seed = 20250303;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const start = Date.parse('2025-03-03T08:59:00Z');
    const end = Date.parse(AT.hospitalOpens) + 60_000;
    for (let i = 0; i < 20; i++) {
      const byTime = i % 2 === 0;
      const asOf = byTime
        ? new Date(start + Math.floor(rnd() * (end - start))).toISOString()
        : String(Math.floor(rnd() * (head + 1)));
      const upTo = byTime ? positionAt(events, asOf) : Number(asOf);
      for (const [path, target] of targets) {
        const sep = path.includes('?') ? '&' : '?';
        const reply = await auditor.ok(
          'GET',
          `${path}${sep}limit=1000&asOf=${encodeURIComponent(asOf)}`,
          200,
        );
        const got = reply.body.items.map((e: { position: number }) => e.position);
        expect({ asOf, path, got }).toEqual({ asOf, path, got: straightFold(events, target, upTo, null) });
      }
    }
  });

  describe('scope', () => {
    it("an organisation's auditor sees only events involving their organisation", async () => {
      const hospitalAuditor = await s.auditorOf(HOSPITAL);
      expect(types(await hospitalAuditor.ok('GET', docHistory(s.toPolice), 200))).toEqual(['AccessDenied']);
      const policeAuditor = await s.auditorOf(POLICE);
      const reply = await policeAuditor.ok('GET', docHistory(s.toHospital), 200);
      expect(reply.body).toMatchObject({ scope: 'organisation', items: [] });
      const events = await s.rawEvents();
      const head = events[events.length - 1]!.position;
      for (const [target, path] of [
        [{ kind: 'organisation', id: HOSPITAL }, `/audit/organisations/${HOSPITAL}/history`],
        [{ kind: 'agreement', id: s.agreementId }, `/audit/agreements/${s.agreementId}/history`],
      ] as [Target, string][]) {
        const got = (await policeAuditor.ok('GET', `${path}?limit=1000`, 200)).body.items.map(
          (e: { position: number }) => e.position,
        );
        expect(got).toEqual(straightFold(events, target, head, POLICE));
      }
    });

    it("an organisation's auditor exports only their organisation's events; an IG lead reads histories but not the log", async () => {
      const hospitalAuditor = await s.auditorOf(HOSPITAL);
      const res = await fetch(`${s.world.url}/audit/events`, {
        headers: { authorization: `Bearer ${hospitalAuditor.token}` },
      });
      expect(res.headers.get('x-accord-export-scope')).toBe('organisation');
      const lines = (await res.text())
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      const events = await s.rawEvents();
      const expected = straightFold(events, { kind: 'organisation', id: HOSPITAL }, Infinity, null);
      for (const p of expected) expect(lines.map((l) => l.position)).toContain(p);
      expect(
        lines.some((l) => l.streamId === documentStreamId(s.toPolice) && l.type === 'DocumentShared'),
      ).toBe(false);
      const lead = s.lead[SENDER]!;
      expect((await lead.get(docHistory(s.toPolice))).status).toBe(200);
      expect((await lead.get('/audit/events')).status).toBe(403);
      expect((await s.police.get(docHistory(s.toPolice))).status).toBe(403);
      expect((await s.world.asAdmin.get(docHistory(s.toPolice))).status).toBe(403);
    });
  });

  describe('who could open a document at a moment', () => {
    const access = (asOf?: string) =>
      auditor.ok(
        'GET',
        `/audit/documents/${s.toPolice}/access${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`,
        200,
      );

    it('before the share: not shared; after it: the sender and the police, with the keys in force then', async () => {
      expect((await access('2025-03-03T09:59:00Z')).body).toMatchObject({ shared: false, organisations: [] });
      const now = (await access()).body;
      expect(now).toMatchObject({
        shared: true,
        state: 'active',
        agreement: { id: s.agreementId, status: 'active', versionInForce: 1, sharedUnderVersion: 1 },
      });
      expect(now.organisations.map((o: { orgId: string; canOpen: boolean }) => [o.orgId, o.canOpen])).toEqual(
        [
          [SENDER, true],
          [POLICE, true],
        ],
      );
      const police = now.organisations[1];
      expect(police.keysInForce.map((k: { fingerprint: string }) => k.fingerprint)).toEqual([
        s.keys[POLICE]!.fingerprint,
      ]);
      expect(police.messageEncryptedTo).toEqual([s.keys[POLICE]!.fingerprint]);
    });

    it('a key revoked and the agreement suspended later: the past answer stands, the present one changes', async () => {
      const before = new Date(Date.parse(AT.hospitalOpens) + 30_000).toISOString();
      s.clock.set(new Date(Date.parse(AT.hospitalOpens) + 60_000).toISOString());
      await s.lead[POLICE]!.ok(
        'DELETE',
        `/organisations/${POLICE}/keys/${s.keys[POLICE]!.fingerprint}`,
        200,
        { body: { reason: 'rotation' } },
      );
      await s.lead[SENDER]!.ok('POST', `/agreements/${s.agreementId}/suspension`, 201, {
        body: { reason: 'breach' },
      });
      const now = (await access()).body;
      expect(now.agreement.status).toBe('suspended');
      expect(now.organisations[1]).toMatchObject({
        keysInForce: [],
        canOpen: false,
        refusal: 'open.agreement-suspended',
      });
      const then = (await access(before)).body;
      expect(then.agreement.status).toBe('active');
      expect(then.organisations[1]).toMatchObject({
        canOpen: true,
        keysInForce: [{ fingerprint: s.keys[POLICE]!.fingerprint }],
      });
    });

    it("an organisation's auditor asks only about documents it sent or received", async () => {
      const hospitalAuditor = await s.auditorOf(HOSPITAL);
      const reply = await hospitalAuditor.get(`/audit/documents/${s.toPolice}/access`);
      expect(reply.status).toBe(404);
    });
  });

  it('transfers: every movement with its verdict; nonUk=true lists the blocked open with its reason; none completed', async () => {
    const all = await auditor.ok('GET', '/transfers?limit=1000', 200);
    const mine = all.body.items.filter((t: { documentId: string }) =>
      [s.toPolice, s.toHospital].includes(t.documentId),
    );
    expect(mine.map((t: { kind: string; verdict: string }) => [t.kind, t.verdict])).toEqual([
      ['share', 'uk'],
      ['access', 'uk'],
      ['blocked', 'non-uk'],
      ['share', 'uk'],
      ['access', 'uk'],
    ]);
    expect(mine[0]).toMatchObject({
      from: { orgId: SENDER, jurisdiction: 'GB-ENG', storageRegion: 'uk' },
      to: { orgId: POLICE },
    });
    const nonUk = await auditor.ok('GET', '/transfers?nonUk=true', 200);
    expect(nonUk.body.items).toEqual([
      expect.objectContaining({
        kind: 'blocked',
        documentId: s.toPolice,
        reason: 'transfer.client-outside-uk',
        destination: 'FR',
        completed: false,
      }),
    ]);
    expect(nonUk.body.summary).toEqual({ checked: 5, nonUkAttempted: 1, nonUkCompleted: 0, destroyed: 0 });
    const hospitalAuditor = await s.auditorOf(HOSPITAL);
    const scoped = await hospitalAuditor.ok('GET', '/transfers', 200);
    expect(scoped.body.items.map((t: { kind: string }) => t.kind)).toEqual(['share', 'access']);
  });
});
