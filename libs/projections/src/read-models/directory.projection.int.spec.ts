import type { NewEvent } from '@accord/event-store';
import { newEvent, tempStore } from '../testing/projection-test-kit';
import { Projector } from '../projector';
import { openReadDb } from '../read-db';
import type { ReadDb } from '../projection';
import { directoryProjection, PLATFORM_ORGANISATION_ID } from './directory.projection';
import { DirectoryReadModel } from './directory.read-model';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const FPR_1 = '1'.repeat(40);
const FPR_2 = '2'.repeat(40);
const FPR_3 = '3'.repeat(40);

const ev = (type: string, data: NewEvent['data']): NewEvent => newEvent(type, data);
const enrolled = (orgId: string, role: string, email: string) =>
  ev('UserEnrolled', { orgId, name: 'A Person', email, role });

describe('directory projection and read model', () => {
  let env: ReturnType<typeof tempStore>;
  let projector: Projector;
  let db: ReadDb;
  let directory: DirectoryReadModel;

  beforeEach(async () => {
    env = tempStore();
    projector = new Projector({ store: env.store, db: env.readDb, projections: [directoryProjection] });
    await projector.start();
    db = openReadDb(env.readDb);
    directory = new DirectoryReadModel(db);
  });
  afterEach(async () => {
    await projector.stop();
    db.close();
    await env.cleanup();
  });

  async function append(streamId: string, ...events: NewEvent[]): Promise<void> {
    const { position } = await env.store.append(streamId, events, 'any');
    await projector.waitFor(position, 10_000);
  }

  it('shows an admin enrolled under the reserved platform organisation as belonging to none', async () => {
    await append('user-adm', enrolled(PLATFORM_ORGANISATION_ID, 'admin', 'adm@x.example'));
    await append('user-pra', enrolled('org-a', 'practitioner', 'pra@x.example'));
    expect(directory.user('adm')).toMatchObject({ orgId: null, role: 'admin', status: 'active' });
    expect(directory.users(null).map((u) => u.id)).toEqual(['adm']);
    expect(directory.users('org-a').map((u) => u.id)).toEqual(['pra']);
    expect(directory.userCount()).toBe(2);
  });

  it("finds a token's holder by hash with the user's status and agreement, and flags a revoked token", async () => {
    await append(
      'user-u1',
      enrolled('org-a', 'ig-lead', 'u1@x.example'),
      ev('ApiTokenIssued', { tokenId: 't1', tokenHash: HASH_A }),
      ev('ApiTokenIssued', { tokenId: 't2', tokenHash: HASH_B }),
      ev('AccessAgreementAccepted', { version: 1 }),
      ev('ApiTokenRevoked', { tokenId: 't1' }),
    );
    expect(directory.tokenHolder(HASH_A)).toEqual({
      tokenId: 't1',
      tokenRevoked: true,
      userId: 'u1',
      orgId: 'org-a',
      role: 'ig-lead',
      status: 'active',
      accessAgreementVersion: 1,
      // Who issued it: the actor of its ApiTokenIssued (the platform itself here: no user).
      issuedBy: null,
      issuedByRole: null,
    });
    expect(directory.tokenHolder(HASH_B)).toMatchObject({ tokenRevoked: false });
    expect(directory.tokenHolder('c'.repeat(64))).toBeUndefined();
    await append('user-u1', ev('UserSuspended', { reason: 'r' }));
    expect(directory.tokenHolder(HASH_B)).toMatchObject({ status: 'suspended' });
    await append('user-u1', ev('UserReinstated', { reason: 'r' }));
    expect(directory.user('u1')?.status).toBe('active');
  });

  it('keeps revoked keys in the history and offers only keys neither revoked nor expired', async () => {
    const key = (fingerprint: string, expiresAt?: string) =>
      ev('OrganisationKeyAdded', {
        fingerprint,
        publicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----',
        algorithm: 'curve25519',
        ...(expiresAt ? { expiresAt } : {}),
      });
    await append(
      'organisation-org-a',
      ev('OrganisationRegistered', {
        name: 'Org A',
        kind: 'police',
        jurisdiction: 'GB-WLS',
        icoRegistration: 'Z1234567',
      }),
      key(FPR_1),
      key(FPR_2, '2030-01-01T00:00:00.000Z'),
      key(FPR_3),
      ev('OrganisationKeyRevoked', { fingerprint: FPR_3, reason: 'rotation' }),
    );
    expect(directory.organisation('org-a')).toMatchObject({ name: 'Org A', jurisdiction: 'GB-WLS' });
    expect(directory.keys('org-a')).toHaveLength(3);
    expect(directory.key('org-a', FPR_3)).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    const at = (iso: string) =>
      directory
        .activeKeys('org-a', new Date(iso))
        .map((k) => k.fingerprint)
        .sort();
    expect(at('2029-12-31T00:00:00.000Z')).toEqual([FPR_1, FPR_2]);
    expect(at('2030-01-01T00:00:00.000Z')).toEqual([FPR_1]);
  });

  it('records a hand-appended event missing its fields rather than stalling every read model', async () => {
    await append('organisation-bare', ev('OrganisationRegistered', {}));
    expect(directory.organisation('bare')).toMatchObject({ name: '', icoRegistration: null });
    expect((await projector.status()).failing).toBeUndefined();
  });
});
