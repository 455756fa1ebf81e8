import { armor, enums, revokeKey } from 'openpgp';
import { KeyValidationError } from './crypto.errors';
import { inspectPublicKey } from './public-key.inspector';
import { makeTestKey, type TestKey } from './testing/test-keys';

const NOW = new Date('2026-01-15T12:00:00Z');
const HOUR = 3600 * 1000;

async function refusal(armored: string, now = NOW): Promise<KeyValidationError> {
  const error = await inspectPublicKey(armored, { now }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyValidationError);
  return error as KeyValidationError;
}

describe('inspectPublicKey', () => {
  let org: TestKey;
  beforeAll(async () => {
    org = await makeTestKey({ name: 'Staffs Police', date: new Date(NOW.getTime() - HOUR) });
  });

  it('accepts a Curve25519 organisation key and reports what to record', async () => {
    const inspected = await inspectPublicKey(org.armoredPublic, { now: NOW });
    const subkey = org.publicKey.subkeys[0]!;
    expect(inspected).toMatchObject({
      fingerprint: org.publicKey.getFingerprint(),
      keyId: org.publicKey.getKeyID().toHex(),
      version: 4,
      algorithm: 'curve25519',
      openpgpAlgorithm: 'eddsaLegacy',
      curve: 'ed25519Legacy',
      createdAt: new Date(NOW.getTime() - HOUR).toISOString(),
      expiresAt: null,
      encryptionKeyIds: [subkey.getKeyID().toHex()],
      userIds: ['Staffs Police <staffs-police@test.example>'],
    });
    expect(inspected.fingerprint).toMatch(/^[0-9a-f]{40}$/);
    expect(inspected.armored).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
  });

  it('lists every valid encryption subkey of a key that has several', async () => {
    const key = await makeTestKey({ date: new Date(NOW.getTime() - HOUR), subkeys: [{}, {}] });
    const inspected = await inspectPublicKey(key.armoredPublic, { now: NOW });
    expect(inspected.encryptionKeyIds.sort()).toEqual(
      key.publicKey.subkeys.map((s) => s.getKeyID().toHex()).sort(),
    );
  });

  it('accepts NIST P-256 and RFC 9580 v6 Curve25519 keys', async () => {
    const p256 = await makeTestKey({ curve: 'nistP256', date: new Date(NOW.getTime() - HOUR) });
    expect((await inspectPublicKey(p256.armoredPublic, { now: NOW })).algorithm).toBe('ecdsa-p256');
    const v6 = await makeTestKey({ type: 'curve25519', v6: true, date: new Date(NOW.getTime() - HOUR) });
    const inspected = await inspectPublicKey(v6.armoredPublic, { now: NOW });
    expect(inspected).toMatchObject({ algorithm: 'curve25519', version: 6, openpgpAlgorithm: 'ed25519' });
    expect(inspected.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses text that is not an armored public key with key.unparseable', async () => {
    expect((await refusal('hello')).code).toBe('key.unparseable');
    expect((await refusal('')).code).toBe('key.unparseable');
    const message = armor(enums.armor.message, new Uint8Array([1, 2, 3]));
    expect((await refusal(message)).code).toBe('key.unparseable');
  });

  it('refuses a private key with key.private-key-given, even under a public-key armor header', async () => {
    expect((await refusal(org.armoredPrivate)).code).toBe('key.private-key-given');
    const disguised = armor(enums.armor.publicKey, org.privateKey.write());
    expect((await refusal(disguised)).code).toBe('key.private-key-given');
  });

  it('refuses an armored block holding several keys with key.multiple-keys', async () => {
    const other = await makeTestKey({ name: 'Other', date: new Date(NOW.getTime() - HOUR) });
    const both = armor(
      enums.armor.publicKey,
      new Uint8Array([...org.publicKey.write(), ...other.publicKey.write()]),
    );
    const error = await refusal(both);
    expect(error.code).toBe('key.multiple-keys');
    expect(error.extra).toEqual({ count: 2 });
  });

  it('refuses a revoked key with key.revoked', async () => {
    const revoked = await revokeKey({
      key: org.privateKey,
      date: new Date(NOW.getTime() - HOUR / 2),
      format: 'armored',
    });
    expect((await refusal(revoked.publicKey)).code).toBe('key.revoked');
  });

  it('refuses a key past its expiry with key.expired, and accepts it before', async () => {
    const key = await makeTestKey({ date: new Date(NOW.getTime() - 2 * HOUR), keyExpirationTime: 3600 });
    const error = await refusal(key.armoredPublic);
    expect(error.code).toBe('key.expired');
    const before = await inspectPublicKey(key.armoredPublic, { now: new Date(NOW.getTime() - 1.5 * HOUR) });
    expect(before.expiresAt).toBe(new Date(NOW.getTime() - HOUR).toISOString());
  });

  it('refuses a key created after `now` with key.invalid', async () => {
    expect((await refusal(org.armoredPublic, new Date(NOW.getTime() - 2 * HOUR))).code).toBe('key.invalid');
  });

  it('refuses a sign-only key with key.no-encryption-subkey', async () => {
    const signOnly = await makeTestKey({ subkeys: [], date: new Date(NOW.getTime() - HOUR) });
    expect((await refusal(signOnly.armoredPublic)).code).toBe('key.no-encryption-subkey');
  });

  it('refuses a key whose only encryption subkey expired with key.no-encryption-subkey', async () => {
    const key = await makeTestKey({
      date: new Date(NOW.getTime() - 2 * HOUR),
      subkeys: [{ keyExpirationTime: 60 }],
    });
    expect((await refusal(key.armoredPublic)).code).toBe('key.no-encryption-subkey');
  });

  it('refuses RSA-2048 with key.too-weak', async () => {
    const rsa = await makeTestKey({ type: 'rsa', rsaBits: 2048, date: new Date(NOW.getTime() - HOUR) });
    const error = await refusal(rsa.armoredPublic);
    expect(error.code).toBe('key.too-weak');
    expect(error.extra).toEqual({ algorithm: 'rsa', bits: 2048 });
  });

  it('keeps user ids and key material out of error messages', async () => {
    const error = await refusal(org.armoredPrivate);
    expect(error.message).not.toMatch(/staffs|@test\.example|BEGIN/i);
    const signOnly = await makeTestKey({
      name: 'Secret Name',
      subkeys: [],
      date: new Date(NOW.getTime() - HOUR),
    });
    const second = await refusal(signOnly.armoredPublic);
    expect(JSON.stringify({ m: second.message, d: second.detail, e: second.extra })).not.toMatch(/secret/i);
  });
});
