import { generateOrganisationKey } from '@accord/crypto';
import { anyAuthenticated, AnyMatrixRow, Call, expectStatuses, row } from '../matrix';
import { orgBody, uniqueId, World, WorldUser } from '../world';

/** Organisations, keys, users, tokens, suspension and the caller's own record. */
const FORBIDDEN_BUT_OWN_IG_LEAD = (status: number) =>
  expectStatuses({ admin: status, 'ig-lead:own': status, others: 403, anonymous: 401 });
const OWN_IG_LEAD_ONLY = (status: number) =>
  expectStatuses({ 'ig-lead:own': status, others: 403, anonymous: 401 });

const subject = (world: World, call: Call) => world.org(call.side).id;

/** A fresh user of the subject organisation, so a row that changes a user never touches the world's. */
const freshUser = (world: World, call: Call): Promise<WorldUser> =>
  world.enrol(subject(world, call), 'practitioner', { accept: false });

/** The caller themself; anonymous has no self, so it aims at the own IG lead (and is refused first). */
const self = (world: World, call: Call): WorldUser => call.user ?? world.orgs.own.users['ig-lead'];

async function freshKey(): Promise<{ publicKey: string; fingerprint: string }> {
  const key = await generateOrganisationKey({ name: 'Matrix Org', email: 'keys@matrix.test.example' });
  return { publicKey: key.publicKey, fingerprint: key.fingerprint };
}

export const rows: AnyMatrixRow[] = [
  row({
    method: 'POST',
    path: '/organisations',
    prepare: async () => uniqueId('matrix'),
    request: (_w, _c, id: string) => ({ path: '/organisations', body: orgBody(id) }),
    expect: expectStatuses({ admin: 201, others: 403, anonymous: 401 }),
  }),
  {
    method: 'GET',
    path: '/organisations',
    request: () => ({ path: '/organisations' }),
    expect: anyAuthenticated(200),
  },
  {
    method: 'GET',
    path: '/organisations/{org}',
    request: (w, c) => ({ path: `/organisations/${subject(w, c)}` }),
    expect: anyAuthenticated(200),
  },
  {
    method: 'GET',
    path: '/organisations/{org}/keys',
    request: (w, c) => ({ path: `/organisations/${subject(w, c)}/keys` }),
    expect: anyAuthenticated(200),
  },
  row({
    method: 'POST',
    path: '/organisations/{org}/keys',
    prepare: freshKey,
    request: (w, c, key) => ({
      path: `/organisations/${subject(w, c)}/keys`,
      body: { publicKey: key.publicKey },
    }),
    expect: OWN_IG_LEAD_ONLY(201),
  }),
  row({
    method: 'DELETE',
    path: '/organisations/{org}/keys/{fpr}',
    prepare: async (w, c) => {
      const key = await freshKey();
      const igLead = w.client(w.org(c.side).users['ig-lead'].token);
      await igLead.ok('POST', `/organisations/${subject(w, c)}/keys`, 201, {
        body: { publicKey: key.publicKey },
      });
      return key;
    },
    request: (w, c, key) => ({
      path: `/organisations/${subject(w, c)}/keys/${key.fingerprint}`,
      body: { reason: 'rotation' },
    }),
    expect: OWN_IG_LEAD_ONLY(200),
  }),
  row({
    method: 'POST',
    path: '/organisations/{org}/users',
    prepare: async () => uniqueId('enrol'),
    request: (w, c, n: string) => ({
      path: `/organisations/${subject(w, c)}/users`,
      body: { name: 'Matrix User', email: `${n}@matrix.test.example`, role: 'practitioner' },
    }),
    // The admin never receives a token for a partner's user (issue 12): its IG leads enrol them.
    expect: OWN_IG_LEAD_ONLY(201),
  }),
  row({
    method: 'POST',
    path: '/organisations/{org}/users',
    variant: 'an IG lead into an organisation that has one',
    prepare: async () => uniqueId('enrol'),
    request: (w, c, n: string) => ({
      path: `/organisations/${subject(w, c)}/users`,
      body: { name: 'Matrix Lead', email: `${n}@matrix.test.example`, role: 'ig-lead' },
    }),
    // The admin enrols only a first IG lead (the bootstrap).
    expect: OWN_IG_LEAD_ONLY(201),
  }),
  row({
    method: 'POST',
    path: '/organisations/{org}/users',
    variant: 'an admin into a partner organisation',
    prepare: async () => uniqueId('enrol'),
    request: (w, c, n: string) => ({
      path: `/organisations/${subject(w, c)}/users`,
      body: { name: 'Matrix Admin', email: `${n}@matrix.test.example`, role: 'admin' },
    }),
    // The admin may enrol admins, but only into the platform; an IG lead may not enrol admins at all.
    expect: expectStatuses({ admin: 422, others: 403, anonymous: 401 }),
  }),
  row({
    method: 'POST',
    path: '/organisations/{org}/users',
    variant: 'an admin into the platform',
    prepare: async () => uniqueId('enrol'),
    request: (_w, _c, n: string) => ({
      path: '/organisations/platform/users',
      body: { name: 'Matrix Admin', email: `${n}@matrix.test.example`, role: 'admin' },
    }),
    expect: expectStatuses({ admin: 201, others: 403, anonymous: 401 }),
  }),
  {
    method: 'GET',
    path: '/organisations/{org}/users',
    request: (w, c) => ({ path: `/organisations/${subject(w, c)}/users` }),
    expect: FORBIDDEN_BUT_OWN_IG_LEAD(200),
  },
  row({
    method: 'POST',
    path: '/users/{id}/tokens',
    variant: 'for a user of the subject organisation',
    prepare: freshUser,
    request: (_w, _c, user) => ({ path: `/users/${user.userId}/tokens` }),
    expect: OWN_IG_LEAD_ONLY(201),
  }),
  {
    method: 'POST',
    path: '/users/{id}/tokens',
    variant: 'for oneself',
    request: (w, c) => ({ path: `/users/${self(w, c).userId}/tokens` }),
    expect: anyAuthenticated(201),
  },
  row({
    method: 'DELETE',
    path: '/users/{id}/tokens/{tokenId}',
    variant: 'of a user of the subject organisation',
    prepare: freshUser,
    request: (_w, _c, user) => ({ path: `/users/${user.userId}/tokens/${user.tokenId}` }),
    expect: FORBIDDEN_BUT_OWN_IG_LEAD(200),
  }),
  row({
    method: 'DELETE',
    path: '/users/{id}/tokens/{tokenId}',
    variant: 'of oneself',
    prepare: async (w, c) => {
      const me = self(w, c);
      const { body } = await w.client(me.token).ok('POST', `/users/${me.userId}/tokens`, 201);
      return { userId: me.userId, tokenId: body.tokenId as string };
    },
    request: (_w, _c, t) => ({ path: `/users/${t.userId}/tokens/${t.tokenId}` }),
    expect: anyAuthenticated(200),
  }),
  row({
    method: 'POST',
    path: '/users/{id}/training',
    variant: 'for a user of the subject organisation',
    prepare: freshUser,
    request: (_w, _c, user) => ({
      path: `/users/${user.userId}/training`,
      body: { course: 'Data Security Awareness', completedOn: '2025-01-15' },
    }),
    // The user's own IG lead records it; the admin does not vouch for anyone's training.
    expect: OWN_IG_LEAD_ONLY(201),
  }),
  row({
    method: 'POST',
    path: '/users/{id}/training',
    variant: 'for oneself',
    request: (w, c) => ({
      path: `/users/${self(w, c).userId}/training`,
      body: { course: 'Data Security Awareness', completedOn: '2025-01-15' },
    }),
    expect: expectStatuses({ admin: 403, others: 201, anonymous: 401 }),
  }),
  row({
    method: 'POST',
    path: '/users/{id}/suspension',
    variant: 'a user of the subject organisation',
    prepare: freshUser,
    request: (_w, _c, user) => ({ path: `/users/${user.userId}/suspension`, body: { reason: 'left' } }),
    expect: FORBIDDEN_BUT_OWN_IG_LEAD(200),
  }),
  {
    method: 'POST',
    path: '/users/{id}/suspension',
    variant: 'oneself',
    request: (w, c) => ({ path: `/users/${self(w, c).userId}/suspension`, body: { reason: 'leaving' } }),
    expect: expectStatuses({ others: 403, anonymous: 401 }),
  },
  row({
    method: 'DELETE',
    path: '/users/{id}/suspension',
    prepare: async (w, c) => {
      const user = await freshUser(w, c);
      await w.asAdmin.ok('POST', `/users/${user.userId}/suspension`, 200, { body: { reason: 'on leave' } });
      return user;
    },
    request: (_w, _c, user) => ({ path: `/users/${user.userId}/suspension`, body: { reason: 'back' } }),
    expect: FORBIDDEN_BUT_OWN_IG_LEAD(200),
  }),
  { method: 'GET', path: '/me', request: () => ({ path: '/me' }), expect: anyAuthenticated(200) },
  {
    method: 'POST',
    path: '/me/access-agreement',
    request: () => ({ path: '/me/access-agreement', body: { version: 1 } }),
    expect: anyAuthenticated(200),
  },
];
