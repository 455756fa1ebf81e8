import { breachStreamId, userStreamId } from '@accord/domain';
import { ReadYourWrites } from '@accord/platform';
import { ApiClient } from '../authz/world';
import {
  buildDocumentsPartnership,
  codeOf,
  DocumentsPartnership,
  HOSPITAL,
  lastEvent,
  openContent,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from '../documents/support/documents-partnership';

/**
 * Issue 7, containment: an IG lead of an organisation involved in a breach suspends one of its own users or
 * revokes one of its own keys from the breach page; the suspended user's opens are refused and recorded.
 */
describe('breach containment from the breach page', () => {
  let p: DocumentsPartnership;
  let breachId: string;
  let documentId: string;
  const containment = (id: string) => `/breaches/${id}/containment`;
  const settle = () => p.world.api.app.get(ReadYourWrites).catchUp();
  const streamTypes = async (stream: string) => (await p.store.readStream(stream)).map((e) => e.type);
  const refusal = async (client: ApiClient, id: string, body: unknown) => {
    const reply = await client.post(containment(id), body);
    return [reply.status, codeOf(reply)];
  };

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    const shared = await share(p.practitioner, shareMetadata(p, { recipients: [POLICE] }), 'body');
    if (shared.status !== 201) throw new Error(`share failed: ${JSON.stringify(shared.body)}`);
    documentId = shared.body.documentId;
    const reported = await p.lead[SENDER]!.ok('POST', '/breaches', 201, {
      body: {
        discoveredAt: '2025-03-03T08:00:00.000Z',
        description: 'Minutes forwarded outside the partnership',
        nearMiss: false,
        severity: 'high',
        agreementId: p.agreementId,
        documentIds: [documentId],
      },
    });
    breachId = reported.body.id;
    expect(reported.body.notifiedOrgs).toEqual(expect.arrayContaining([POLICE, HOSPITAL]));
  });
  afterAll(() => p?.close());

  it("a recipient's IG lead suspends its own officer: the officer's open is refused 403 and recorded", async () => {
    const officer = await p.world.enrol(POLICE, 'practitioner');
    const client = p.world.client(officer.token);
    expect((await openContent(client, documentId)).status).toBe(200);

    const reply = await p.lead[POLICE]!.ok('POST', containment(breachId), 201, {
      body: { action: 'suspend-user', userId: officer.userId, reason: 'forwarded the minutes' },
      headers: { 'idempotency-key': 'contain-officer-1' },
    });
    expect(reply.body.containment).toEqual([
      {
        action: 'user-suspended',
        orgId: POLICE,
        target: officer.userId,
        reason: 'forwarded the minutes',
        at: expect.any(String),
      },
    ]);
    expect(await streamTypes(userStreamId(officer.userId))).toContain('UserSuspended');

    const opened = await openContent(client, documentId);
    expect({ status: opened.status, code: opened.problem?.type.split('/').pop() }).toEqual({
      status: 403,
      code: 'open.user-suspended',
    });
    expect(await lastEvent(p, documentId)).toMatchObject({
      type: 'AccessDenied',
      data: { reason: 'open.user-suspended', orgId: POLICE },
      meta: { actor: { userId: officer.userId, orgId: POLICE } },
    });

    // The reporter's IG lead reads the containment on the breach page too.
    const seen = await p.lead[SENDER]!.ok('GET', `/breaches/${breachId}`, 200);
    expect(seen.body.containment).toEqual(reply.body.containment);

    // A retry with the same key suspends nothing twice and records nothing twice.
    const retried = await p.lead[POLICE]!.ok('POST', containment(breachId), 201, {
      body: { action: 'suspend-user', userId: officer.userId, reason: 'forwarded the minutes' },
      headers: { 'idempotency-key': 'contain-officer-1' },
    });
    expect(retried.body.containment).toEqual(reply.body.containment);
    expect(
      (await streamTypes(breachStreamId(breachId))).filter((t) => t === 'ContainmentActionRecorded'),
    ).toEqual(['ContainmentActionRecorded']);
    expect(
      (await streamTypes(userStreamId(officer.userId))).filter((t) => t === 'UserSuspended'),
    ).toHaveLength(1);
  });

  it('a user suspended earlier is still recorded on the breach, once', async () => {
    const officer = await p.world.enrol(POLICE, 'practitioner');
    await p.lead[POLICE]!.ok('POST', `/users/${officer.userId}/suspension`, 200, {
      body: { reason: 'left the team' },
    });
    const body = { action: 'suspend-user', userId: officer.userId, reason: 'part of the breach' };
    const first = await p.lead[POLICE]!.ok('POST', containment(breachId), 201, { body });
    const again = await p.lead[POLICE]!.ok('POST', containment(breachId), 201, { body });
    const mine = (r: typeof first) =>
      (r.body.containment as { target: string }[]).filter((c) => c.target === officer.userId);
    expect(mine(first)).toHaveLength(1);
    expect(mine(again)).toHaveLength(1);
    expect(
      (await streamTypes(userStreamId(officer.userId))).filter((t) => t === 'UserSuspended'),
    ).toHaveLength(1);
  });

  it('revoking a key from the breach: the key shows revoked and a new share to that organisation fails', async () => {
    const fingerprint = p.keys[HOSPITAL]!.fingerprint;
    const reply = await p.lead[HOSPITAL]!.ok('POST', containment(breachId), 201, {
      body: {
        action: 'revoke-key',
        fingerprint: fingerprint.toUpperCase(),
        reason: 'key on the lost laptop',
      },
    });
    expect(reply.body.containment).toContainEqual({
      action: 'key-revoked',
      orgId: HOSPITAL,
      target: fingerprint.toLowerCase(),
      reason: 'key on the lost laptop',
      at: expect.any(String),
    });
    const keys = await p.lead[HOSPITAL]!.ok('GET', `/organisations/${HOSPITAL}/keys`, 200);
    expect(keys.body.items).toContainEqual(
      expect.objectContaining({ fingerprint: fingerprint.toLowerCase(), status: 'revoked' }),
    );
    await settle();
    const refused = await share(p.practitioner, shareMetadata(p, { recipients: [HOSPITAL] }), 'body');
    expect({ status: refused.status, code: codeOf(refused) }).toEqual({
      status: 422,
      code: 'share.recipient-has-no-key',
    });
  });

  it('an IG lead contains only their own organisation: 403 for a user of another, 404 for a key of another', async () => {
    const senderOfficer = await p.world.enrol(SENDER, 'practitioner');
    expect(
      await refusal(p.lead[POLICE]!, breachId, {
        action: 'suspend-user',
        userId: senderOfficer.userId,
        reason: 'x',
      }),
    ).toEqual([403, 'auth.other-organisation']);
    expect(
      await refusal(p.lead[POLICE]!, breachId, {
        action: 'revoke-key',
        fingerprint: p.keys[SENDER]!.fingerprint,
        reason: 'x',
      }),
    ).toEqual([404, 'organisation.key-not-found']);
    expect(await streamTypes(userStreamId(senderOfficer.userId))).not.toContain('UserSuspended');
    const senderKeys = await p.lead[SENDER]!.ok('GET', `/organisations/${SENDER}/keys`, 200);
    expect(senderKeys.body.items).toContainEqual(expect.objectContaining({ status: 'active' }));
  });

  it('an organisation not involved reads the breach as not found, and nothing is suspended', async () => {
    const outsiderOrg = p.world.orgs.own;
    const outsider = p.world.client(outsiderOrg.users['ig-lead'].token);
    const target = outsiderOrg.users['practitioner'];
    expect(
      await refusal(outsider, breachId, { action: 'suspend-user', userId: target.userId, reason: 'x' }),
    ).toEqual([404, 'breach.not-found']);
    expect(await streamTypes(userStreamId(target.userId))).not.toContain('UserSuspended');
    expect(
      await refusal(p.lead[POLICE]!, '00000000-0000-7000-8000-000000000000', {
        action: 'suspend-user',
        userId: target.userId,
        reason: 'x',
      }),
    ).toEqual([404, 'breach.not-found']);
  });

  it('a closed breach takes no containment (409) and suspends no one', async () => {
    const lead = p.lead[SENDER]!;
    const { body } = await lead.ok('POST', '/breaches', 201, {
      body: {
        discoveredAt: '2025-03-03T08:00:00.000Z',
        description: 'near miss',
        nearMiss: true,
        severity: 'low',
      },
    });
    await lead.ok('POST', `/breaches/${body.id}/assessment`, 201, {
      body: { icoReportable: false, rationale: 'near miss' },
    });
    await lead.ok('POST', `/breaches/${body.id}/closure`, 201, { body: { outcome: 'a', lessons: 'b' } });
    const officer = await p.world.enrol(SENDER, 'practitioner');
    expect(
      await refusal(lead, body.id, { action: 'suspend-user', userId: officer.userId, reason: 'x' }),
    ).toEqual([409, 'breach.closed']);
    expect(await streamTypes(userStreamId(officer.userId))).not.toContain('UserSuspended');
  });

  it('refuses a body of the wrong shape (400) and a blank reason (422); practitioners may not contain', async () => {
    const lead = p.lead[POLICE]!;
    const officer = await p.world.enrol(POLICE, 'practitioner');
    const cases: [unknown, number, string][] = [
      [{ action: 'suspend-user', reason: 'x' }, 400, 'validation-failed'],
      [{ action: 'revoke-key', userId: officer.userId, reason: 'x' }, 400, 'validation-failed'],
      [
        { action: 'suspend-user', userId: officer.userId, fingerprint: 'ab', reason: 'x' },
        400,
        'validation-failed',
      ],
      [{ action: 'delete-user', userId: officer.userId, reason: 'x' }, 400, 'validation-failed'],
      [{ action: 'suspend-user', userId: officer.userId }, 400, 'validation-failed'],
      [
        { action: 'suspend-user', userId: officer.userId, reason: '   ' },
        422,
        'breach.containment-reason-required',
      ],
      [
        { action: 'revoke-key', fingerprint: 'not-a-fingerprint', reason: 'x' },
        422,
        'breach.containment-target-invalid',
      ],
      [{ action: 'suspend-user', userId: 'no-such-user', reason: 'x' }, 404, 'user.not-found'],
    ];
    for (const [body, status, code] of cases)
      expect([body, ...(await refusal(lead, breachId, body))]).toEqual([body, status, code]);
    const practitioner = await p.practitionerOf(POLICE);
    expect(
      await refusal(practitioner, breachId, { action: 'suspend-user', userId: officer.userId, reason: 'x' }),
    ).toEqual([403, 'auth.forbidden-role']);
    expect(await streamTypes(userStreamId(officer.userId))).not.toContain('UserSuspended');
  });

  it("a breach names only documents its reporter sent or received: another organisation's, or none, is 422 alike", async () => {
    const report = (documentIds: string[]) => ({
      discoveredAt: '2025-03-03T08:00:00.000Z',
      description: 'Printout found in a meeting room',
      nearMiss: false,
      severity: 'medium',
      agreementId: p.agreementId,
      documentIds,
    });
    // HOSPITAL is a party of the agreement but neither sent nor received this document.
    const hospital = p.lead[HOSPITAL]!;
    const before = (await hospital.ok('GET', '/breaches', 200)).body.items.length as number;
    const problem = async (documentIds: string[]) => {
      const reply = await hospital.post('/breaches', report(documentIds));
      const { instance: _i, correlationId: _c, ...rest } = reply.body as Record<string, unknown>;
      return [reply.status, reply.headers.get('content-type')?.split(';')[0], rest];
    };
    const otherOrgs = await problem([documentId]);
    expect(otherOrgs).toEqual([
      422,
      'application/problem+json',
      expect.objectContaining({ type: 'https://accord.example/problems/breach.document-unknown' }),
    ]);
    // Not found answers word for word the same: the refusal does not confirm another organisation's document.
    expect(await problem(['00000000-0000-7000-8000-000000000000'])).toEqual(otherOrgs);
    expect((await hospital.ok('GET', '/breaches', 200)).body.items).toHaveLength(before);
    // The recipient and the sender name it.
    const named = await p.lead[POLICE]!.ok('POST', '/breaches', 201, { body: report([documentId]) });
    expect(named.body.documentIds).toEqual([documentId]);
  });
});
