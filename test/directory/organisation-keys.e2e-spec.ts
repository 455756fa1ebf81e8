import { organisationStreamId } from '@accord/domain';
import { generateOrganisationKey } from '@accord/crypto';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { GnupgHome } from '../interop/support/gnupg-home';
import { ApiClient, World } from '../authz/world';

const problem = (code: string) => `https://accord.example/problems/${code}`;

/** Organisation keys come from partners' own tools: real GnuPG keys, exported as a partner would. */
describe('organisation keys over HTTP', () => {
  let world: World;
  let gpg: GnupgHome;
  let igLead: ApiClient;
  let orgId: string;
  let ed25519: { fingerprint: string; armored: string };

  beforeAll(async () => {
    [world, gpg] = await Promise.all([World.build(), GnupgHome.create()]);
    orgId = world.orgs.own.id;
    igLead = world.client(world.orgs.own.users['ig-lead'].token);
    const fingerprint = await gpg.generateKey(
      'Own Org <ig@own.test.example>',
      { algo: 'ed25519', usage: 'sign' },
      'cv25519',
    );
    ed25519 = { fingerprint, armored: await gpg.exportPublic(fingerprint) };
  });
  afterAll(async () => {
    await gpg?.dispose(); // stops the gpg-agent this home started
    await world?.close();
  });

  const keysPath = () => `/organisations/${orgId}/keys`;
  const add = (publicKey: string) => igLead.post(keysPath(), { publicKey });

  it('accepts a gpg Ed25519 + Cv25519 key exported with --export --armor, listed as active', async () => {
    const reply = await add(ed25519.armored);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      fingerprint: ed25519.fingerprint,
      algorithm: 'curve25519',
      status: 'active',
      expiresAt: null,
      revokedAt: null,
    });
    expect(reply.body.publicKey).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const listed = await world.client(world.orgs.other.users.practitioner.token).get(keysPath());
    expect(listed.body.items).toEqual([
      expect.objectContaining({ fingerprint: ed25519.fingerprint, status: 'active' }),
    ]);
    const events = await world.api.app.get<EventStore>(EVENT_STORE).readStream(organisationStreamId(orgId));
    expect(events.at(-1)).toMatchObject({
      type: 'OrganisationKeyAdded',
      data: { fingerprint: ed25519.fingerprint },
    });
  });

  it('adds a key once', async () => {
    const again = await add(ed25519.armored);
    expect({ status: again.status, type: again.body.type }).toEqual({
      status: 409,
      type: problem('organisation.key-already-added'),
    });
  });

  it('refuses a gpg RSA-2048 key as key.too-weak (docs/architecture.md §19.1: RSA needs 3072 bits)', async () => {
    const fingerprint = await gpg.generateKey('Weak Org <ig@weak.test.example>', {
      algo: 'rsa2048',
      usage: 'sign,encr',
    });
    const reply = await add(await gpg.exportPublic(fingerprint));
    expect({ status: reply.status, type: reply.body.type }).toEqual({
      status: 422,
      type: problem('key.too-weak'),
    });
  });

  it('refuses a private key, a key already expired, and text that is no key, each with its own problem type', async () => {
    const secret = await gpg.exportSecret(ed25519.fingerprint);
    const past = new Date(Date.now() - 2 * 86_400_000);
    const expired = await generateOrganisationKey({
      name: 'Expired Org',
      email: 'ig@expired.test.example',
      now: past,
      expiresInSeconds: 86_400,
    });
    const cases: [string, string][] = [
      [secret, 'key.private-key-given'],
      [expired.publicKey, 'key.expired'],
      [
        '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n',
        'key.unparseable',
      ],
    ];
    for (const [publicKey, code] of cases) {
      const reply = await add(publicKey);
      expect({ status: reply.status, type: reply.body.type }).toEqual({ status: 422, type: problem(code) });
      expect(JSON.stringify(reply.body)).not.toContain('PRIVATE KEY');
    }
  });

  it('a revoked key stays in the history as revoked, is never active again, and cannot be re-added', async () => {
    const key = await generateOrganisationKey({ name: 'Rotating Org', email: 'ig@rotate.test.example' });
    await igLead.ok('POST', keysPath(), 201, { body: { publicKey: key.publicKey } });
    const grouped = key.fingerprint
      .toUpperCase()
      .replace(/(.{4})/g, '$1 ')
      .trim();
    const revoked = await igLead.delete(`${keysPath()}/${encodeURIComponent(grouped)}`, {
      reason: 'rotation',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      fingerprint: key.fingerprint,
      status: 'revoked',
      revokedAt: expect.any(String),
    });
    const listed = (await igLead.get(keysPath())).body.items as { fingerprint: string; status: string }[];
    expect(listed.find((k) => k.fingerprint === key.fingerprint)?.status).toBe('revoked');
    expect(listed.filter((k) => k.status === 'active').map((k) => k.fingerprint)).toEqual([
      ed25519.fingerprint,
    ]);
    const twice = await igLead.delete(`${keysPath()}/${key.fingerprint}`, { reason: 'again' });
    expect(twice.body.type).toBe(problem('organisation.key-already-revoked'));
    expect((await add(key.publicKey)).body.type).toBe(problem('organisation.key-already-added'));
    const unknown = await igLead.delete(`${keysPath()}/${'ab'.repeat(20)}`, { reason: 'x' });
    expect(unknown.body.type).toBe(problem('organisation.key-not-found'));
  });

  it('an unknown organisation has no keys to list: 404 organisation.not-found', async () => {
    const reply = await igLead.get('/organisations/no-such-org/keys');
    expect({ status: reply.status, type: reply.body.type }).toEqual({
      status: 404,
      type: problem('organisation.not-found'),
    });
  });
});
