import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get } from '@nestjs/common';
import { ACCESS_AGREEMENT, organisationStreamId, userStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { emailClaimStreamOf, hashApiToken, ReadYourWrites } from '@accord/platform';
import { Caller, CurrentUser, RequiresAccessAgreement } from '../../apps/api/src/auth';
import { EmailClaims } from '../../apps/api/src/users/email-claims';
import { startApi } from '../api/support/api-harness';
import { orgBody, uniqueId, World } from '../authz/world';

const problem = (code: string) => `https://accord.example/problems/${code}`;

/** A document-like route: the access agreement gate guards it, as it will every document and audit route. */
@Controller('gated')
class GatedProbeController {
  @Get()
  @RequiresAccessAgreement()
  read(@CurrentUser() caller: Caller): { userId: string } {
    return { userId: caller.userId };
  }
}

describe('organisations, users and tokens over HTTP', () => {
  let world: World;
  let store: EventStore;
  beforeAll(async () => {
    world = await World.build(await startApi({ controllers: [GatedProbeController] }));
    store = world.api.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(() => world?.close());

  const own = () => world.orgs.own;
  const igLead = () => world.client(own().users['ig-lead'].token);
  const stream = (id: string) => store.readStream(id);
  /** Every byte the node keeps on disk: event store, its WAL, read models. */
  const dataDirBytes = () => {
    const dir = world.api.config.dataDir;
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(dir, e.name)).toString('latin1'))
      .join('\n');
  };

  it('an admin registers an organisation, which every authenticated user then finds in the directory', async () => {
    const id = uniqueId('reg');
    const created = await world.asAdmin.post('/organisations', orgBody(id, 'Stoke-on-Trent City Council'));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id });
    const seen = await world.client(own().users.auditor.token).get(`/organisations/${id}`);
    expect(seen.body).toEqual({
      id,
      name: 'Stoke-on-Trent City Council',
      kind: 'local-authority',
      jurisdiction: 'GB-ENG',
      icoRegistration: 'Z1234567',
      registeredAt: expect.any(String),
    });
    const list = await igLead().get('/organisations');
    expect(list.body.items.map((o: { id: string }) => o.id)).toContain(id);
  });

  it('refuses a second registration of an id, the reserved id "platform", a malformed id and a UK body without an ICO number', async () => {
    const cases: [unknown, number, string][] = [
      [orgBody(own().id), 409, 'organisation.already-registered'],
      [orgBody('platform'), 409, 'organisation.already-registered'],
      [orgBody('Not A Slug'), 400, 'validation-failed'],
      [
        { ...orgBody(uniqueId('noico')), icoRegistration: null },
        422,
        'organisation.ico-registration-invalid',
      ],
      [{ ...orgBody(uniqueId('gb')), jurisdiction: 'GB' }, 422, 'organisation.jurisdiction-invalid'],
    ];
    for (const [body, status, code] of cases) {
      const reply = await world.asAdmin.post('/organisations', body);
      expect({ status: reply.status, type: reply.body.type }).toEqual({ status, type: problem(code) });
    }
    expect((await world.asAdmin.get('/organisations/platform')).status).toBe(404);
  });

  it('a retry of POST /organisations with the same Idempotency-Key answers the same 201 and appends once', async () => {
    const id = uniqueId('idem');
    const headers = { 'idempotency-key': `register-${id}` };
    const first = await world.asAdmin.post('/organisations', orgBody(id), headers);
    const retry = await world.asAdmin.post('/organisations', orgBody(id), headers);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    expect((await stream(organisationStreamId(id))).map((e) => e.type)).toEqual(['OrganisationRegistered']);
    const withoutKey = await world.asAdmin.post('/organisations', orgBody(id));
    expect(withoutKey.status).toBe(409);
  });

  it('enrolment answers a token that works at once and is kept only as its SHA-256, nowhere in clear', async () => {
    const email = `${uniqueId('hashed')}@own.test.example`;
    const reply = await igLead().post(`/organisations/${own().id}/users`, {
      name: 'Hana Hashed',
      email,
      role: 'practitioner',
    });
    expect(reply.status).toBe(201);
    const { userId, tokenId, token } = reply.body;
    expect(token).toMatch(/^acc_[A-Za-z0-9_-]{43}$/);
    const me = await world.client(token).get('/me');
    expect(me.body.user).toMatchObject({
      id: userId,
      orgId: own().id,
      role: 'practitioner',
      status: 'active',
    });
    const events = await stream(userStreamId(userId));
    expect(events.map((e) => e.type)).toEqual(['UserEnrolled', 'ApiTokenIssued']);
    expect(events[1]!.data).toEqual({ tokenId, tokenHash: hashApiToken(token) });
    const onDisk = dataDirBytes();
    expect(onDisk).toContain(hashApiToken(token));
    expect(onDisk).not.toContain(token);
    expect(onDisk).not.toContain(token.slice(4));
    expect(JSON.stringify(world.api.logs)).not.toContain(token.slice(4));
  });

  it('a retried enrolment with the same Idempotency-Key answers the same user and token and appends once', async () => {
    const body = { name: 'Rita Retry', email: `${uniqueId('retry')}@own.test.example`, role: 'auditor' };
    const headers = { 'idempotency-key': uniqueId('enrol-key') };
    const first = await igLead().post(`/organisations/${own().id}/users`, body, headers);
    const retry = await igLead().post(`/organisations/${own().id}/users`, body, headers);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    expect((await stream(userStreamId(first.body.userId))).length).toBe(2);
    // The same key from another caller is another request: it must not hand out the first one's token.
    // (Another IG lead of the organisation: the admin may not enrol an auditor there at all, issue 12.)
    const secondLead = world.client((await world.enrol(own().id, 'ig-lead')).token);
    const other = await secondLead.post(`/organisations/${own().id}/users`, body, headers);
    expect(other.status).toBe(409);
    expect(other.body.type).toBe(problem('user.already-enrolled'));
  });

  it('an IG lead enrols only into their own organisation and never an admin; admins go to the platform', async () => {
    const body = (role: string) => ({ name: 'New User', email: `${uniqueId('n')}@t.example`, role });
    const other = await igLead().post(`/organisations/${world.orgs.other.id}/users`, body('practitioner'));
    expect(other.body.type).toBe(problem('auth.other-organisation'));
    const admin = await igLead().post(`/organisations/${own().id}/users`, body('admin'));
    expect(admin.body.type).toBe(problem('auth.forbidden-role'));
    const adminIntoOrg = await world.asAdmin.post(`/organisations/${own().id}/users`, body('admin'));
    expect(adminIntoOrg.body.type).toBe(problem('user.role-invalid'));
    const platformAdmin = await world.asAdmin.post('/organisations/platform/users', body('admin'));
    expect(platformAdmin.status).toBe(201);
    const me = await world.client(platformAdmin.body.token).get('/me');
    expect(me.body).toMatchObject({ user: { orgId: null, role: 'admin' }, organisation: null });
    const [enrolled] = await stream(userStreamId(platformAdmin.body.userId));
    expect(enrolled!.data).toMatchObject({ orgId: 'platform', role: 'admin' });
    // Platform auditors audit every organisation; no other role belongs to the platform.
    const platformAuditor = await world.asAdmin.post('/organisations/platform/users', body('auditor'));
    expect(platformAuditor.status).toBe(201);
    const auditorMe = await world.client(platformAuditor.body.token).get('/me');
    expect(auditorMe.body).toMatchObject({ user: { orgId: null, role: 'auditor' } });
    const platformPractitioner = await world.asAdmin.post(
      '/organisations/platform/users',
      body('practitioner'),
    );
    expect(platformPractitioner.body.type).toBe(problem('user.role-invalid'));
    const missing = await world.asAdmin.post('/organisations/no-such-org/users', body('practitioner'));
    expect({ status: missing.status, type: missing.body.type }).toEqual({
      status: 404,
      type: problem('organisation.not-found'),
    });
  });

  it('refuses a second enrolment of one email address, whatever its case', async () => {
    const email = `${uniqueId('twice')}@own.test.example`;
    await igLead().ok('POST', `/organisations/${own().id}/users`, 201, {
      body: { name: 'Once', email, role: 'practitioner' },
    });
    const again = await igLead().post(`/organisations/${own().id}/users`, {
      name: 'Twice',
      email: email.toUpperCase(),
      role: 'practitioner',
    });
    expect({ status: again.status, type: again.body.type }).toEqual({
      status: 409,
      type: problem('user.already-enrolled'),
    });
  });

  it('two enrolments of one email at once: one is enrolled, the other 409, and no stream is named by the address', async () => {
    const email = `${uniqueId('race')}@own.test.example`;
    const enrol = (name: string, address: string) =>
      igLead().post(`/organisations/${own().id}/users`, { name, email: address, role: 'practitioner' });
    const replies = await Promise.all([
      enrol('First', email),
      enrol('Second', email.toUpperCase()),
      enrol('Third', ` ${email}`),
    ]);
    const outcomes = replies.map((r) => (r.status === 201 ? 201 : `${r.status} ${r.body.type as string}`));
    expect(outcomes.sort()).toEqual([
      201,
      `409 ${problem('user.already-enrolled')}`,
      `409 ${problem('user.already-enrolled')}`,
    ]);
    const streams = new Set<string>();
    for await (const page of store.readAll()) for (const e of page) streams.add(e.streamId);
    expect([...streams].filter((s) => s.toLowerCase().includes(email.split('@')[0]!))).toEqual([]);
  });

  it('an email held by a user enrolled before claims existed is refused; a fresh one is not', async () => {
    const email = `${uniqueId('legacy')}@own.test.example`;
    const userId = uniqueId('legacy-user');
    await store.append(
      userStreamId(userId),
      [
        {
          eventId: crypto.randomUUID(),
          type: 'UserEnrolled',
          data: { orgId: own().id, name: 'Old Hand', email, role: 'practitioner' },
          meta: {
            occurredAt: new Date().toISOString(),
            actor: { system: 'test' },
            correlationId: crypto.randomUUID(),
          },
        },
      ],
      'no-stream',
    );
    await world.api.app.get(ReadYourWrites).catchUp();
    const held = await igLead().post(`/organisations/${own().id}/users`, {
      name: 'Newcomer',
      email,
      role: 'practitioner',
    });
    expect([held.status, held.body.type]).toEqual([409, problem('user.already-enrolled')]);
    await igLead().ok('POST', `/organisations/${own().id}/users`, 201, {
      body: { name: 'Newcomer', email: `other-${email}`, role: 'practitioner' },
    });
  });

  it('a claim whose user was never enrolled holds its address for a minute, then is taken over', async () => {
    // What a crash between the claim and the user's append leaves: a claim naming a user that does not exist.
    const abandon = async (email: string, ageMs: number) =>
      store.append(
        emailClaimStreamOf(world.api.config.platformSecret, email),
        [
          {
            eventId: crypto.randomUUID(),
            type: 'UserEmailClaimed',
            data: { userId: uniqueId('never-enrolled') },
            meta: {
              occurredAt: new Date(Date.now() - ageMs).toISOString(),
              actor: { system: 'test' },
              correlationId: crypto.randomUUID(),
            },
          },
        ],
        'no-stream',
      );
    const enrol = (email: string) =>
      igLead().post(`/organisations/${own().id}/users`, { name: 'Claimant', email, role: 'auditor' });
    const fresh = `${uniqueId('fresh-claim')}@own.test.example`;
    const stale = `${uniqueId('stale-claim')}@own.test.example`;
    await abandon(fresh, 0);
    await abandon(stale, 2 * 60_000);
    const [held, taken] = [await enrol(fresh), await enrol(stale)];
    expect([held.status, held.body.type, taken.status]).toEqual([409, problem('user.already-enrolled'), 201]);
  });

  it('the first admin (accord admin init) holds its address as any enrolment does: a racing enrolment of it is refused', async () => {
    const address = 'admin@platform.test.example';
    const claims = await stream(emailClaimStreamOf(world.api.config.platformSecret, address));
    expect(claims.map((e) => [e.type, e.data['userId']])).toEqual([['UserEmailClaimed', world.admin.userId]]);
    // What an enrolment on a node whose read model has not seen the admin yet does: the claim alone decides.
    const racing = world.api.app
      .get(EmailClaims)
      .claim(address, uniqueId('second-admin'), {
        occurredAt: new Date().toISOString(),
        actor: { system: 'test' },
        correlationId: crypto.randomUUID(),
      });
    await expect(racing).rejects.toMatchObject({ code: 'user.already-enrolled' });
  });

  it('a missing, malformed or unknown token is 401 auth.unauthenticated with a Bearer challenge', async () => {
    for (const authorization of [undefined, 'Basic YTpi', 'Bearer nope', `Bearer acc_${'A'.repeat(43)}`]) {
      const reply = await world.client().get('/me', authorization ? { headers: { authorization } } : {});
      expect(reply.status).toBe(401);
      expect(reply.body.type).toBe(problem('auth.unauthenticated'));
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer realm="accord"/);
    }
  });

  it('a revoked token stops working at once; the user’s other tokens still work', async () => {
    const user = await world.enrol(own().id, 'practitioner');
    const second = await world.client(user.token).ok('POST', `/users/${user.userId}/tokens`, 201);
    await world.client(user.token).ok('DELETE', `/users/${user.userId}/tokens/${user.tokenId}`, 200);
    const revoked = await world.client(user.token).get('/me');
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toBe('Bearer realm="accord", error="invalid_token"');
    expect((await world.client(second.body.token).get('/me')).status).toBe(200);
    const twice = await world
      .client(second.body.token)
      .delete(`/users/${user.userId}/tokens/${user.tokenId}`);
    expect(twice.body.type).toBe(problem('user.token-already-revoked'));
  });

  it('a suspended user is refused with user.suspended; reinstated, old tokens stay revoked and a new one works', async () => {
    const user = await world.enrol(own().id, 'practitioner');
    const suspended = await igLead().post(`/users/${user.userId}/suspension`, { reason: 'investigation' });
    expect(suspended.body).toMatchObject({ id: user.userId, status: 'suspended' });
    const refused = await world.client(user.token).get('/me');
    expect({ status: refused.status, type: refused.body.type }).toEqual({
      status: 403,
      type: problem('user.suspended'),
    });
    const types = (await stream(userStreamId(user.userId))).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['UserSuspended', 'ApiTokenRevoked']);
    // Suspending again is a conflict about the target (409, as reinstating an active user is), not a 403
    // user.suspended that a client would read as its own account suspended.
    const again = await igLead().post(`/users/${user.userId}/suspension`, { reason: 'again' });
    expect({ status: again.status, type: again.body.type }).toEqual({
      status: 409,
      type: problem('user.already-suspended'),
    });
    const reinstated = await igLead().delete(`/users/${user.userId}/suspension`, { reason: 'cleared' });
    expect(reinstated.body.status).toBe('active');
    expect((await world.client(user.token).get('/me')).status).toBe(401);
    const fresh = await igLead().ok('POST', `/users/${user.userId}/tokens`, 201);
    expect((await world.client(fresh.body.token).get('/me')).status).toBe(200);
  });

  it('the access agreement gate: refused until the current version is accepted, whose text GET /me shows', async () => {
    const user = await world.enrol(own().id, 'practitioner', { accept: false });
    const client = world.client(user.token);
    const me = await client.get('/me');
    expect(me.body.accessAgreement).toEqual({
      currentVersion: 1,
      acceptedVersion: null,
      accepted: false,
      title: ACCESS_AGREEMENT.title,
      terms: [...ACCESS_AGREEMENT.terms],
    });
    const gated = await client.get('/gated');
    expect({ status: gated.status, type: gated.body.type }).toEqual({
      status: 403,
      type: problem('user.access-agreement-not-accepted'),
    });
    const wrong = await client.post('/me/access-agreement', { version: 2 });
    expect(wrong.body.type).toBe(problem('user.access-agreement-version-unknown'));
    expect((await client.post('/me/access-agreement', { version: 1 })).status).toBe(200);
    expect((await client.get('/gated')).body).toEqual({ userId: user.userId });
    expect((await client.get('/me')).body.accessAgreement).toMatchObject({
      acceptedVersion: 1,
      accepted: true,
    });
    // Accepting again is a retry, not a new fact.
    await client.ok('POST', '/me/access-agreement', 200, { body: { version: 1 } });
    const accepted = (await stream(userStreamId(user.userId))).filter(
      (e) => e.type === 'AccessAgreementAccepted',
    );
    expect(accepted).toHaveLength(1);
  });

  it('stamps each event with the acting user, their organisation and role, the correlation id and the client', async () => {
    const reply = await igLead().request('POST', `/organisations/${own().id}/users`, {
      body: { name: 'Meta Data', email: `${uniqueId('meta')}@own.test.example`, role: 'auditor' },
      headers: { 'x-correlation-id': 'corr-directory-meta' },
    });
    const [enrolled] = await stream(userStreamId(reply.body.userId));
    expect(enrolled!.meta).toMatchObject({
      actor: { userId: own().users['ig-lead'].userId, orgId: own().id, role: 'ig-lead' },
      correlationId: 'corr-directory-meta',
      client: { ip: expect.stringMatching(/127\.0\.0\.1$/), country: 'GB' },
    });
    const id = uniqueId('by-admin');
    await world.asAdmin.ok('POST', '/organisations', 201, { body: orgBody(id) });
    const [registered] = await stream(organisationStreamId(id));
    expect(registered!.meta.actor).toEqual({ userId: world.admin.userId, orgId: 'platform', role: 'admin' });
  });

  it('lists users to the admin and the organisation’s IG lead only', async () => {
    const listed = await igLead().get(`/organisations/${own().id}/users`);
    expect(listed.body.items.map((u: { id: string }) => u.id)).toEqual(
      expect.arrayContaining(Object.values(own().users).map((u) => u.userId)),
    );
    const admins = await world.asAdmin.get('/organisations/platform/users');
    expect(admins.body.items.map((u: { id: string }) => u.id)).toContain(world.admin.userId);
    expect((await igLead().get('/organisations/platform/users')).status).toBe(403);
  });
});
