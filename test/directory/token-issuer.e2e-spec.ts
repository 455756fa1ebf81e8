import { EVENT_STORE, EventStore } from '@accord/event-store';
import { ReadYourWrites } from '@accord/platform';
import { orgBody, uniqueId, World } from '../authz/world';

const problem = (code: string) => `https://accord.example/problems/${code}`;

/**
 * Attribution (issue 12 §2): the platform admin cannot obtain a token that reads a partner's documents, and
 * an action taken with a token someone else issued names that issuer in its event and in the audit views.
 */
describe('who issues tokens, and the issuer on the record', () => {
  let world: World;
  let store: EventStore;
  beforeAll(async () => {
    world = await World.build();
    store = world.api.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(() => world?.close());

  const settle = () => world.api.app.get(ReadYourWrites).catchUp();
  const own = () => world.orgs.own;
  const lead = () => world.client(own().users['ig-lead'].token);

  it("the admin's token for a practitioner is refused: 403 problem+json and a TokenIssueRefused its IG lead sees", async () => {
    const practitioner = own().users.practitioner;
    const reply = await world.asAdmin.post(`/users/${practitioner.userId}/tokens`);
    expect(reply.status).toBe(403);
    expect(reply.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(reply.body.type).toBe(problem('user.token-issuer-not-permitted'));
    expect(reply.body).not.toHaveProperty('token');
    const events = await store.readStream(`organisation-${own().id}`);
    expect(events[events.length - 1]).toMatchObject({
      type: 'TokenIssueRefused',
      data: { reason: 'admin-issues-partner-token', userId: practitioner.userId },
      meta: { actor: { userId: world.admin.userId, role: 'admin' } },
    });
    const enrol = await world.asAdmin.post(`/organisations/${own().id}/users`, {
      name: 'Sneaky',
      email: `${uniqueId('sneaky')}@own.test.example`,
      role: 'practitioner',
    });
    expect({ status: enrol.status, type: enrol.body.type }).toEqual({
      status: 403,
      type: problem('user.token-issuer-not-permitted'),
    });
    const secondLead = await world.asAdmin.post(`/organisations/${own().id}/users`, {
      name: 'Second lead',
      email: `${uniqueId('lead')}@own.test.example`,
      role: 'ig-lead',
    });
    expect(secondLead.status).toBe(403);
    await settle();
    const history = await lead().ok('GET', `/audit/organisations/${own().id}/history?limit=1000`, 200);
    const refused = history.body.items.filter((e: { type: string }) => e.type === 'TokenIssueRefused');
    expect(refused.map((e: { details: { reason: string } }) => e.details.reason)).toEqual([
      'admin-issues-partner-token',
      'admin-enrols-first-ig-lead-only',
      'organisation-has-an-ig-lead',
    ]);
  });

  it('first IG leads enrolled by the admin at once: one is enrolled, every other is refused and recorded', async () => {
    // The rule is checked on the read model; raced, every request used to find no IG lead and each was
    // enrolled: the admin kept a spare enrolment token, exchanged it, and held an IG lead's own token.
    const orgId = uniqueId('raced');
    await world.asAdmin.ok('POST', '/organisations', 201, { body: orgBody(orgId) });
    const emails = [...Array(8).keys()].map(() => `${uniqueId('lead')}@${orgId}.test.example`);
    const replies = await Promise.all(
      emails.map((email, i) =>
        world.asAdmin.post(`/organisations/${orgId}/users`, { name: `Lead ${i}`, email, role: 'ig-lead' }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 403, 403, 403, 403, 403, 403, 403]);
    for (const r of replies.filter((r) => r.status === 403))
      expect(r.body.type).toBe(problem('user.token-issuer-not-permitted'));
    await settle();
    const users = await world.asAdmin.ok('GET', `/organisations/${orgId}/users`, 200);
    expect((users.body.items ?? users.body).length).toBe(1);
    const refusals = (await store.readStream(`organisation-${orgId}`)).filter(
      (e) => e.type === 'TokenIssueRefused',
    );
    expect(refusals.map((e) => e.data['reason'])).toEqual(Array(7).fill('organisation-has-an-ig-lead'));
    // A refused enrolment's email claim holds nothing: the address is free for its next enrolment.
    const loser = emails[replies.findIndex((r) => r.status === 403)]!;
    const own = world.orgs.own;
    await world.client(own.users['ig-lead'].token).ok('POST', `/organisations/${own.id}/users`, 201, {
      body: { name: 'Not the lead', email: loser, role: 'practitioner' },
    });
  });

  it("a new organisation's first IG lead: the admin's enrolment token only exchanges itself, then is dead", async () => {
    const id = uniqueId('neworg');
    await world.asAdmin.ok('POST', '/organisations', 201, { body: orgBody(id) });
    const enrolled = await world.asAdmin.ok('POST', `/organisations/${id}/users`, 201, {
      body: { name: 'First lead', email: `${uniqueId('first')}@${id}.test.example`, role: 'ig-lead' },
    });
    const enrolment = world.client(enrolled.body.token);
    const blocked = await enrolment.post('/me/access-agreement', { version: 1 });
    expect({ status: blocked.status, type: blocked.body.type }).toEqual({
      status: 403,
      type: problem('auth.enrolment-token'),
    });
    expect((await enrolment.get('/documents')).status).toBe(403);
    expect((await enrolment.get('/me')).status).toBe(200);
    const own = await enrolment.ok('POST', `/users/${enrolled.body.userId}/tokens`, 201);
    expect((await enrolment.get('/me')).status).toBe(401);
    const mine = world.client(own.body.token);
    await mine.ok('POST', '/me/access-agreement', 200, { body: { version: 1 } });
    await mine.ok('GET', '/documents', 200);
    // The new IG lead enrols their practitioner; the admin cannot.
    await mine.ok('POST', `/organisations/${id}/users`, 201, {
      body: { name: 'P', email: `${uniqueId('p')}@${id}.test.example`, role: 'practitioner' },
    });
  });

  it('an action with a token its IG lead issued carries tokenIssuer in its meta, the audit JSON and CSV', async () => {
    const practitioner = await world.enrol(own().id, 'practitioner');
    const events = await store.readStream(`user-${practitioner.userId}`);
    const accepted = events.find((e) => e.type === 'AccessAgreementAccepted')!;
    const leadId = own().users['ig-lead'].userId;
    expect(accepted.meta).toMatchObject({ actor: { userId: practitioner.userId }, tokenIssuer: leadId });
    await settle();
    const history = await lead().ok('GET', `/audit/users/${practitioner.userId}/history`, 200);
    const entry = history.body.items.find((e: { type: string }) => e.type === 'AccessAgreementAccepted');
    expect(entry.actor).toMatchObject({ userId: practitioner.userId, tokenIssuer: leadId });
    const csv = await lead().ok('GET', `/audit/users/${practitioner.userId}/history`, 200, {
      headers: { accept: 'text/csv' },
    });
    const [header, ...rows] = String(csv.body).trim().split('\r\n');
    const column = header!.split(',').indexOf('actorTokenIssuer');
    expect(column).toBeGreaterThan(0);
    expect(rows.some((r) => r.includes('AccessAgreementAccepted') && r.split(',')[column] === leadId)).toBe(
      true,
    );
    // A token the user issued themself names no one else.
    const self = await world
      .client(practitioner.token)
      .ok('POST', `/users/${practitioner.userId}/tokens`, 201);
    await world
      .client(self.body.token)
      .ok('DELETE', `/users/${practitioner.userId}/tokens/${practitioner.tokenId}`, 200);
    const last = (await store.readStream(`user-${practitioner.userId}`)).pop()!;
    expect(last.type).toBe('ApiTokenRevoked');
    expect(last.meta).not.toHaveProperty('tokenIssuer');
  });
});
