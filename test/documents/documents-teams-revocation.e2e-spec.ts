import { SCHEDULER, type Scheduler } from '@accord/jobs';
import { OBJECT_STORE, ObjectStore } from '@accord/object-store';
import { ReadYourWrites } from '@accord/platform';
import { RetentionSweep } from '../../apps/api/src/retention/retention-sweep.job';
import { ApiClient } from '../authz/world';
import { signAll } from '../agreements/support/partnership';
import {
  buildDocumentsPartnership,
  codeOf,
  documentEvents,
  DocumentsPartnership,
  lastEvent,
  openContent,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from './support/documents-partnership';

/**
 * Issue 13 items 1-3 through the API (docs/architecture.md §24-§26): teams and need-to-know, revocation, and
 * purpose confirmation at opening. Each refusal is checked as its answer and as the event it appended.
 */
describe('documents: teams, revocation and purpose confirmation', () => {
  let p: DocumentsPartnership;
  let ppuOfficer: { userId: string; client: ApiClient };
  let trafficOfficer: { userId: string; client: ApiClient };
  let ppu: string;
  let colleague: ApiClient;

  const settle = () => p.world.api.app.get(ReadYourWrites).catchUp();
  const police = () => p.lead[POLICE]!;
  const enrol = async (org: string) => {
    const u = await p.world.enrol(org, 'practitioner');
    return { userId: u.userId, client: p.world.client(u.token) };
  };
  async function shareAs(client: ApiClient, overrides: Record<string, unknown> = {}): Promise<string> {
    const reply = await share(client, shareMetadata(p, overrides), 'case note');
    if (reply.status !== 201) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
    return reply.body.documentId as string;
  }
  const open = async (client: ApiClient, id: string, query = '') => {
    const res = await fetch(`${client.url}/documents/${id}/content${query}`, {
      headers: { authorization: `Bearer ${client.token}` },
    });
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    return {
      status: res.status,
      code: /json/.test(res.headers.get('content-type') ?? '')
        ? JSON.parse(text).type.split('/').pop()
        : undefined,
    };
  };

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    ppuOfficer = await enrol(POLICE);
    trafficOfficer = await enrol(POLICE);
    colleague = (await enrol(SENDER)).client;
    const created = await police().ok('POST', `/organisations/${POLICE}/teams`, 201, {
      body: { name: 'Public protection unit' },
    });
    ppu = created.body.id;
    await police().ok('PUT', `/organisations/${POLICE}/teams/${ppu}/members/${ppuOfficer.userId}`, 200);
  });
  afterAll(() => p?.close());

  describe('teams and need-to-know', () => {
    let addressed: string;
    beforeAll(async () => {
      addressed = await shareAs(p.practitioner, { recipientTeams: { [POLICE]: [ppu] } });
      await settle();
    });

    it('the IG lead manages teams; others cannot, and a user of another organisation cannot join', async () => {
      const listed = await police().ok('GET', `/organisations/${POLICE}/teams`, 200);
      expect(listed.body.items).toEqual([
        { id: ppu, name: 'Public protection unit', members: [ppuOfficer.userId], default: false },
      ]);
      // A sender reads team ids and names, not members.
      const seen = await p.practitioner.ok('GET', `/organisations/${POLICE}/teams`, 200);
      expect(seen.body.items).toEqual([{ id: ppu, name: 'Public protection unit', default: false }]);
      const refused = await ppuOfficer.client.post(`/organisations/${POLICE}/teams`, { name: 'Mine' });
      expect(refused.status).toBe(403);
      const foreign = await police().request(
        'PUT',
        `/organisations/${POLICE}/teams/${ppu}/members/${(await p.world.enrol(SENDER, 'practitioner')).userId}`,
      );
      expect({ status: foreign.status, code: codeOf(foreign) }).toEqual({
        status: 422,
        code: 'team.user-not-in-organisation',
      });
      const taken = await police().post(`/organisations/${POLICE}/teams`, { name: 'public PROTECTION unit' });
      expect({ status: taken.status, code: codeOf(taken) }).toEqual({ status: 409, code: 'team.name-taken' });
    });

    it('a member of the addressed team opens it; the traffic officer is refused 403 and recorded', async () => {
      expect((await openContent(ppuOfficer.client, addressed)).status).toBe(200);
      const refused = await open(trafficOfficer.client, addressed);
      expect(refused).toEqual({ status: 403, code: 'open.not-addressed' });
      const event = await lastEvent(p, addressed);
      expect({ type: event?.type, data: event?.data }).toEqual({
        type: 'AccessDenied',
        data: { reason: 'open.not-addressed', orgId: POLICE },
      });
      // Nor does the police IG lead, who is not in the team.
      expect(await open(police(), addressed)).toEqual({ status: 403, code: 'open.not-addressed' });
    });

    it('only members see the metadata: the traffic officer neither lists it nor reads it', async () => {
      const ids = async (c: ApiClient) =>
        ((await c.ok('GET', '/documents', 200)).body.items as { id: string }[]).map((d) => d.id);
      expect(await ids(ppuOfficer.client)).toContain(addressed);
      expect(await ids(trafficOfficer.client)).not.toContain(addressed);
      const read = await trafficOfficer.client.get(`/documents/${addressed}`);
      expect({ status: read.status, code: codeOf(read) }).toEqual({
        status: 403,
        code: 'open.not-addressed',
      });
      const member = await ppuOfficer.client.ok('GET', `/documents/${addressed}`, 200);
      expect(member.body.recipientTeams).toEqual({ [POLICE]: [ppu] });
    });

    it('an unknown team, or teams of an organisation that is not a recipient, refuse the share', async () => {
      const unknown = await share(
        p.practitioner,
        shareMetadata(p, { recipientTeams: { [POLICE]: ['00000000-0000-7000-8000-000000000000'] } }),
        'x',
      );
      expect({ status: unknown.status, code: codeOf(unknown) }).toEqual({
        status: 422,
        code: 'share.team-not-found',
      });
      const stranger = await share(
        p.practitioner,
        shareMetadata(p, { recipientTeams: { uhnm: [ppu] } }),
        'x',
      );
      expect({ status: stranger.status, code: codeOf(stranger) }).toEqual({
        status: 422,
        code: 'share.team-org-not-recipient',
      });
    });

    it('without teams named, the default receiving team receives it; a removed member is refused at once; the audit shows who could open when', async () => {
      await police().ok('PUT', `/organisations/${POLICE}/default-team`, 200, { body: { teamId: ppu } });
      const id = await shareAs(p.practitioner);
      const shared = (await documentEvents(p, id)).find((e) => e.type === 'DocumentShared');
      expect(shared?.data['recipientTeams']).toEqual({ [POLICE]: [ppu] });
      expect(await open(trafficOfficer.client, id)).toEqual({ status: 403, code: 'open.not-addressed' });
      expect((await openContent(ppuOfficer.client, id)).status).toBe(200);

      const inboxIds = async () => {
        const inbox = (await ppuOfficer.client.ok('GET', '/inbox?limit=500', 200)).body;
        return {
          ids: (inbox.items as { documentId: string }[]).map((i) => i.documentId),
          unread: inbox.unread,
        };
      };
      expect((await inboxIds()).ids).toContain(id);
      const before = await p.store.headPosition();
      await police().ok('DELETE', `/organisations/${POLICE}/teams/${ppu}/members/${ppuOfficer.userId}`, 200);
      expect(await open(ppuOfficer.client, id)).toEqual({ status: 403, code: 'open.not-addressed' });
      // Nor does the inbox show a removed member the document's title, purpose and sender any more.
      const afterRemoval = await inboxIds();
      expect(afterRemoval.ids).not.toContain(id);
      expect(afterRemoval.unread).toBeLessThanOrEqual(afterRemoval.ids.length);

      const policeAt = async (asOf?: number) => {
        const q = asOf === undefined ? '' : `?asOf=${asOf}`;
        const reply = await police().ok('GET', `/audit/documents/${id}/access${q}`, 200);
        return (reply.body.organisations as { orgId: string; addressedTeams: unknown }[]).find(
          (o) => o.orgId === POLICE,
        );
      };
      expect((await policeAt(before))?.addressedTeams).toEqual([
        { teamId: ppu, name: 'Public protection unit', members: [ppuOfficer.userId] },
      ]);
      expect((await policeAt())?.addressedTeams).toEqual([
        { teamId: ppu, name: 'Public protection unit', members: [] },
      ]);

      await police().ok('PUT', `/organisations/${POLICE}/teams/${ppu}/members/${ppuOfficer.userId}`, 200);
      expect((await inboxIds()).ids).toContain(id);
      await police().ok('PUT', `/organisations/${POLICE}/default-team`, 200, { body: { teamId: null } });
      const whole = await shareAs(p.practitioner);
      expect((await openContent(trafficOfficer.client, whole)).status).toBe(200);
    });
  });

  describe('revocation', () => {
    it('the sender revokes: later opens answer 410 open.revoked and are recorded, the payload is destroyed, recipients are told, the audit keeps who opened it before', async () => {
      const id = await shareAs(p.practitioner);
      expect((await openContent(trafficOfficer.client, id)).status).toBe(200);

      const notSender = await colleague.post(`/documents/${id}/revocation`, { reason: 'not mine' });
      expect({ status: notSender.status, code: codeOf(notSender) }).toEqual({
        status: 403,
        code: 'revocation.not-permitted',
      });
      const recipient = await police().post(`/documents/${id}/revocation`, { reason: 'not ours' });
      expect({ status: recipient.status, code: codeOf(recipient) }).toEqual({
        status: 403,
        code: 'revocation.not-permitted',
      });
      expect((await lastEvent(p, id))?.data).toEqual({ reason: 'revocation.not-permitted', orgId: POLICE });

      const revoked = await p.practitioner.ok('POST', `/documents/${id}/revocation`, 201, {
        body: { reason: 'sent to the wrong force' },
      });
      expect(revoked.body).toMatchObject({ documentId: id, recipients: [POLICE] });
      const again = await p.practitioner.post(`/documents/${id}/revocation`, { reason: 'twice' });
      expect({ status: again.status, code: codeOf(again) }).toEqual({
        status: 409,
        code: 'revocation.already-revoked',
      });

      expect(await open(trafficOfficer.client, id)).toEqual({ status: 410, code: 'open.revoked' });
      // Not the last event: the revocation's destroy job may append PayloadDestroyed at any moment now.
      const refusals = (await documentEvents(p, id)).filter((e) => e.data['reason'] === 'open.revoked');
      expect(refusals.map((e) => e.data)).toEqual([{ reason: 'open.revoked', orgId: POLICE }]);

      await p.world.api.app.get<Scheduler>(SCHEDULER).idle({ timeoutMs: 20_000 });
      const events = await documentEvents(p, id);
      const types = events.map((e) => e.type);
      expect(types).toContain('PayloadDestroyed');
      expect(types).not.toContain('RetentionExpired');
      const objectKey = events.find((e) => e.type === 'DocumentShared')?.data['objectKey'] as string;
      expect(await p.world.api.app.get<ObjectStore>(OBJECT_STORE).head(objectKey)).toBeNull();
      expect(await open(trafficOfficer.client, id)).toEqual({ status: 410, code: 'open.revoked' });
      await settle();

      const inbox = await trafficOfficer.client.ok('GET', '/notifications', 200);
      expect(
        (inbox.body.items as { kind: string; message: string }[])
          .filter((n) => n.kind === 'document-revoked')
          .map((n) => n.message),
      ).toEqual([expect.stringContaining(id)]);
      // Told once: the payload's destruction that follows a revocation is no second inbox entry (or email).
      const entries = (await trafficOfficer.client.ok('GET', '/inbox?limit=500', 200)).body.items as {
        kind: string;
        documentId: string;
      }[];
      expect(entries.filter((e) => e.documentId === id).map((e) => e.kind)).toEqual([
        'document-revoked',
        'document-shared',
      ]);
      const history = await police().ok('GET', `/audit/documents/${id}/history`, 200);
      const rows = history.body.items as { type: string; orgId?: string | null }[];
      const accessedAt = rows.findIndex((r) => r.type === 'DocumentAccessed');
      const revokedAt = rows.findIndex((r) => r.type === 'DocumentRevoked');
      expect(accessedAt).toBeGreaterThanOrEqual(0);
      expect(revokedAt).toBeGreaterThan(accessedAt);
      const doc = await p.practitioner.ok('GET', `/documents/${id}`, 200);
      expect({
        state: doc.body.state,
        revoked: doc.body.revoked,
        payloadDestroyed: doc.body.payloadDestroyed,
      }).toEqual({
        state: 'revoked',
        revoked: true,
        payloadDestroyed: true,
      });
    });

    it('a legal hold keeps a revoked payload until released; the next sweep then destroys it', async () => {
      const id = await shareAs(p.practitioner);
      await p.lead[SENDER]!.ok('POST', `/documents/${id}/legal-hold`, 201, { body: { reason: 'inquiry' } });
      await p.practitioner.ok('POST', `/documents/${id}/revocation`, 201, {
        body: { reason: 'wrong force' },
      });
      const scheduler = p.world.api.app.get<Scheduler>(SCHEDULER);
      await scheduler.idle({ timeoutMs: 20_000 });
      expect((await documentEvents(p, id)).map((e) => e.type)).not.toContain('PayloadDestroyed');
      expect(await open(trafficOfficer.client, id)).toEqual({ status: 410, code: 'open.revoked' });

      await p.lead[SENDER]!.ok('DELETE', `/documents/${id}/legal-hold`, 200, { body: { reason: 'closed' } });
      await settle();
      expect(await p.world.api.app.get(RetentionSweep).sweep()).toContain(id);
      await scheduler.idle({ timeoutMs: 20_000 });
      expect((await documentEvents(p, id)).map((e) => e.type)).toContain('PayloadDestroyed');
    });

    it('the sending organisation’s IG lead may revoke what a colleague shared', async () => {
      const id = await shareAs(p.practitioner);
      await p.lead[SENDER]!.ok('POST', `/documents/${id}/revocation`, 201, {
        body: { reason: 'wrong person' },
      });
    });
  });

  describe('purpose confirmation at opening', () => {
    let agreementId: string;
    let id: string;
    beforeAll(async () => {
      const terms = {
        ...shareMetadata(p),
        ...(await p.lead[SENDER]!.ok('GET', `/agreements/${p.agreementId}`, 200)).body.terms,
      };
      const drafted = await p.lead[SENDER]!.ok('POST', '/agreements', 201, {
        body: {
          title: 'Purpose-confirmed sharing',
          purposes: terms.purposes,
          tier: 1,
          category: terms.category,
          leadOrg: SENDER,
          parties: [SENDER, POLICE],
          lawfulBases: terms.lawfulBases,
          dataCategories: terms.dataCategories,
          retentionPeriod: 'P1Y',
          requirePurposeConfirmation: true,
        },
      });
      agreementId = drafted.body.id;
      await signAll(p, agreementId, [SENDER, POLICE]);
      id = await shareAs(p.practitioner, { agreementId });
    });

    it('an open without a purpose answers 428 open.purpose-required and is recorded', async () => {
      expect(await open(trafficOfficer.client, id)).toEqual({ status: 428, code: 'open.purpose-required' });
      expect((await lastEvent(p, id))?.data).toEqual({ reason: 'open.purpose-required', orgId: POLICE });
      expect(await open(trafficOfficer.client, id, '?purpose=curiosity')).toEqual({
        status: 428,
        code: 'open.purpose-required',
      });
    });

    it("an open stating the document's purpose succeeds, and DocumentAccessed carries it", async () => {
      const purpose = shareMetadata(p).purpose as string;
      expect((await open(trafficOfficer.client, id, `?purpose=${encodeURIComponent(purpose)}`)).status).toBe(
        200,
      );
      const event = await lastEvent(p, id);
      expect({ type: event?.type, purpose: event?.data['purpose'] }).toEqual({
        type: 'DocumentAccessed',
        purpose,
      });
    });
  });

  describe('team names', () => {
    it('names that read alike, created at the same moment, make one team: the others 409 team.name-taken', async () => {
      const lead = p.lead[SENDER]!;
      const names = ['Duty desk', ' DUTY   DESK ', 'duty desk', '\uff24uty desk'];
      const replies = await Promise.all(
        names.map((name) => lead.request('POST', `/organisations/${SENDER}/teams`, { body: { name } })),
      );
      const outcomes = replies.map((r) => `${r.status} ${r.status === 201 ? '' : codeOf(r)}`.trim()).sort();
      expect(outcomes).toEqual(['201', '409 team.name-taken', '409 team.name-taken', '409 team.name-taken']);
      const invisible = await lead.request('POST', `/organisations/${SENDER}/teams`, {
        body: { name: 'Duty\u200b desk' },
      });
      expect({ status: invisible.status, code: codeOf(invisible) }).toEqual({
        status: 422,
        code: 'team.name-required',
      });
      const listed = await lead.ok('GET', `/organisations/${SENDER}/teams`, 200);
      expect(listed.body.items.filter((t: { name: string }) => /duty/i.test(t.name))).toHaveLength(1);
    });
  });
});
