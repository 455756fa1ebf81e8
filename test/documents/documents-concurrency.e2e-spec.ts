import { agreementStreamId, organisationStreamId, userStreamId } from '@accord/domain';
import { ReadYourWrites } from '@accord/platform';
import { ApiClient } from '../authz/world';
import {
  buildDocumentsPartnership,
  documentEvents,
  DocumentsPartnership,
  HOSPITAL,
  openContent,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from './support/documents-partnership';

/**
 * A record with no holes (issue 12 §2): any number of concurrent opens of one document each get a real
 * answer and are each recorded exactly once; a lost optimistic-concurrency race is never the client's 409.
 */
describe('documents: concurrent opens', () => {
  let p: DocumentsPartnership;
  let documentId: string;
  let recipient: ApiClient;
  let outsider: ApiClient;

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    const reply = await share(p.practitioner, shareMetadata(p, { recipients: [POLICE, HOSPITAL] }), 'body');
    if (reply.status !== 201) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
    documentId = reply.body.documentId;
    recipient = await p.practitionerOf(POLICE);
    outsider = await p.practitionerOf('probation');
  }, 60_000);
  afterAll(() => p?.close());

  it('100 parallel opens by recipients and 100 by a non-party: 200s and 404s, 100 DocumentAccessed and 100 AccessDenied', async () => {
    const hospital = await p.practitionerOf(HOSPITAL);
    const before = await documentEvents(p, documentId);
    const attempts = [
      ...Array.from({ length: 100 }, (_, i) => openContent(i % 2 ? recipient : hospital, documentId)),
      ...Array.from({ length: 100 }, () => openContent(outsider, documentId)),
    ];
    const replies = await Promise.all(attempts);
    const statuses = replies.map((r) => r.status);
    expect(statuses.slice(0, 100)).toEqual(Array(100).fill(200));
    expect(statuses.slice(100)).toEqual(Array(100).fill(404));
    for (const r of replies.slice(0, 100)) expect(r.bytes.length).toBeGreaterThan(0);

    const added = (await documentEvents(p, documentId)).slice(before.length);
    const count = (type: string) => added.filter((e) => e.type === type).length;
    expect({ accessed: count('DocumentAccessed'), denied: count('AccessDenied'), all: added.length }).toEqual(
      {
        accessed: 100,
        denied: 100,
        all: 200,
      },
    );
    // Each request recorded once: one event per request id.
    expect(new Set(added.map((e) => e.meta.correlationId)).size).toBe(200);
    expect(
      added.filter((e) => e.type === 'AccessDenied').every((e) => e.data.reason === 'open.not-a-recipient'),
    ).toBe(true);
    await p.world.api.app.get(ReadYourWrites).catchUp();
  }, 120_000);

  it('a restriction that lands among concurrent opens wins: every open recorded after it is refused', async () => {
    const before = (await documentEvents(p, documentId)).length;
    const opens = Array.from({ length: 40 }, () => openContent(recipient, documentId));
    await p.store.append(
      `document-${documentId}`,
      [
        {
          eventId: crypto.randomUUID(),
          type: 'ProcessingRestricted',
          data: { orgId: POLICE, requestId: 'test', reason: 'concurrency test' },
          meta: {
            actor: { userId: 'test', orgId: POLICE, role: 'ig-lead' },
            occurredAt: new Date().toISOString(),
            correlationId: crypto.randomUUID(),
          },
        },
      ],
      'any',
    );
    const replies = await Promise.all(opens);
    expect(replies.every((r) => r.status === 200 || r.status === 403)).toBe(true);
    const added = (await documentEvents(p, documentId)).slice(before);
    const at = added.findIndex((e) => e.type === 'ProcessingRestricted');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(added.slice(at + 1).every((e) => e.type === 'AccessDenied')).toBe(true);
    expect(added.slice(0, at).every((e) => e.type === 'DocumentAccessed')).toBe(true);
    expect(added.filter((e) => e.type !== 'ProcessingRestricted')).toHaveLength(40);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(at);
  }, 120_000);

  /**
   * The agreement and the user live on other streams than the document's: an open was decided on them as its
   * handler read them, and recorded when its round came, after every open queued before it. A suspension
   * acknowledged meanwhile did not stop it: 149 of 150 opens were recorded after the AgreementSuspended.
   * Each round now reads them again after reading the document (docs/architecture.md §30.1).
   */
  it.each([
    ['the agreement', 'open.agreement-suspended'],
    ['the user', 'open.user-suspended'],
  ])(
    '%s suspended among 150 concurrent opens: no access is recorded after the suspension, every open is recorded once',
    async (what, reason) => {
      // A document of its own: the restriction above is never lifted.
      const shared = await share(p.practitioner, shareMetadata(p, { recipients: [POLICE] }), 'body');
      const id = shared.body.documentId as string;
      for (let race = 0; race < 4; race++) {
        // A user of its own each time: a suspension also ends the user's tokens.
        const police = await p.world.enrol(POLICE, 'practitioner');
        const opener = p.world.client(police.token);
        const [path, streamId, lead] =
          what === 'the agreement'
            ? [`/agreements/${p.agreementId}/suspension`, agreementStreamId(p.agreementId), p.lead[SENDER]!]
            : [`/users/${police.userId}/suspension`, userStreamId(police.userId), p.lead[POLICE]!];
        const before = (await documentEvents(p, id)).length;
        const opens = Array.from({ length: 150 }, () => openContent(opener, id));
        // Let the first rounds run before the suspension, to a different point of the race each time.
        for (let i = 0; i <= race * 3; i++) await new Promise((resolve) => setTimeout(resolve, 1));
        await lead.ok('POST', path, what === 'the agreement' ? 201 : 200, { body: { reason: 'race' } });
        const replies = await Promise.all(opens);
        const suspended = (await p.store.readStream(streamId))
          .filter((e) => /Suspended$/.test(e.type))
          .pop()!;
        const added = (await documentEvents(p, id)).slice(before);
        expect(added).toHaveLength(150);
        expect(new Set(added.map((e) => e.meta.correlationId)).size).toBe(150);
        const late = added.filter((e) => e.position > suspended.position);
        expect(late.map((e) => [e.type, e.data['reason']])).toEqual(late.map(() => ['AccessDenied', reason]));
        expect(replies.filter((r) => r.status === 200)).toHaveLength(
          added.filter((e) => e.type === 'DocumentAccessed').length,
        );
        if (what === 'the agreement') await lead.ok('DELETE', path, 200, { body: { reason: 'resolved' } });
      }
    },
    120_000,
  );

  it('a member removed from the addressed team among 150 concurrent opens: no access is recorded after the removal', async () => {
    const lead = p.lead[POLICE]!;
    const team = (
      await lead.ok('POST', `/organisations/${POLICE}/teams`, 201, { body: { name: 'Race unit' } })
    ).body.id as string;
    const shared = await share(
      p.practitioner,
      shareMetadata(p, { recipients: [POLICE], recipientTeams: { [POLICE]: [team] } }),
      'body',
    );
    const id = shared.body.documentId as string;
    for (let race = 0; race < 4; race++) {
      const member = await p.world.enrol(POLICE, 'practitioner');
      const membership = `/organisations/${POLICE}/teams/${team}/members/${member.userId}`;
      await lead.ok('PUT', membership, 200);
      const before = (await documentEvents(p, id)).length;
      const opens = Array.from({ length: 150 }, () => openContent(p.world.client(member.token), id));
      for (let i = 0; i <= race * 3; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      await lead.ok('DELETE', membership, 200);
      const replies = await Promise.all(opens);
      const removed = (await p.store.readStream(organisationStreamId(POLICE)))
        .filter((e) => e.type === 'TeamMemberRemoved' && e.data['userId'] === member.userId)
        .pop()!;
      const added = (await documentEvents(p, id)).slice(before);
      expect(added).toHaveLength(150);
      const late = added.filter((e) => e.position > removed.position);
      expect(late.map((e) => [e.type, e.data['reason']])).toEqual(
        late.map(() => ['AccessDenied', 'open.not-addressed']),
      );
      expect(replies.filter((r) => r.status === 200)).toHaveLength(
        added.filter((e) => e.type === 'DocumentAccessed').length,
      );
    }
  }, 120_000);

  it('the token revoked among 150 concurrent opens made with it: no access is recorded after the revocation', async () => {
    const shared = await share(p.practitioner, shareMetadata(p, { recipients: [POLICE] }), 'body');
    const id = shared.body.documentId as string;
    for (let race = 0; race < 4; race++) {
      const holder = await p.world.enrol(POLICE, 'practitioner');
      const before = (await documentEvents(p, id)).length;
      const opens = Array.from({ length: 150 }, () => openContent(p.world.client(holder.token), id));
      for (let i = 0; i <= race * 3; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      await p.lead[POLICE]!.ok('DELETE', `/users/${holder.userId}/tokens/${holder.tokenId}`, 200, {
        body: { reason: 'lost laptop' },
      });
      const replies = await Promise.all(opens);
      const revoked = (await p.store.readStream(userStreamId(holder.userId)))
        .filter((e) => e.type === 'ApiTokenRevoked')
        .pop()!;
      const added = (await documentEvents(p, id)).slice(before);
      // Those that reach the guard after the revocation are 401 (429 once the failures are throttled) and about
      // no document; the rest are recorded, once each.
      expect(added).toHaveLength(replies.filter((r) => r.status !== 401 && r.status !== 429).length);
      const late = added.filter((e) => e.position > revoked.position);
      expect(late.map((e) => [e.type, e.data['reason']])).toEqual(
        late.map(() => ['AccessDenied', 'open.token-revoked']),
      );
      expect(replies.filter((r) => r.status === 200)).toHaveLength(
        added.filter((e) => e.type === 'DocumentAccessed').length,
      );
    }
  }, 120_000);
});
