import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkRecipients,
  decryptStream,
  encryptStream,
  generateOrganisationKey,
  inspectPublicKey,
  KeyValidationError,
  listRecipientKeyIds,
  unlockPrivateKey,
  type InspectedPublicKey,
} from '@accord/crypto';
import { pseudoRandomStream, readAll, sha256 } from '../../libs/crypto/src/testing/test-keys';
import { GnupgHome } from './support/gnupg-home';

/**
 * Interop with the real GnuPG 2.2 (docs/architecture.md §16): gpg-made keys are accepted or refused by the
 * same rules, and messages flow both ways. Curve25519 everywhere but the RSA size rule.
 */
describe('interop with GnuPG', () => {
  let home: GnupgHome;
  let work: string;
  let alice: {
    fingerprint: string;
    armored: string;
    inspected: InspectedPublicKey;
    encryptionKeyIds: string[];
  };
  let bob: typeof alice;

  async function gpgOrgKey(name: string, email: string): Promise<typeof alice> {
    const fingerprint = await home.generateKey(
      `${name} <${email}>`,
      { algo: 'ed25519', usage: 'sign' },
      'cv25519',
    );
    const armored = await home.exportPublic(fingerprint);
    const inspected = await inspectPublicKey(armored, { now: new Date() });
    return {
      fingerprint,
      armored,
      inspected,
      encryptionKeyIds: (await home.listKey(fingerprint)).encryptionKeyIds,
    };
  }

  beforeAll(async () => {
    home = await GnupgHome.create();
    work = await mkdtemp(join(tmpdir(), 'accord-interop-'));
    alice = await gpgOrgKey('Alice Org', 'ig@alice.example');
    bob = await gpgOrgKey('Bob Org', 'ig@bob.example');
  });
  afterAll(async () => {
    await home?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('accepts a gpg Ed25519 + Cv25519 key exported with --export --armor', () => {
    expect(alice.inspected).toMatchObject({
      fingerprint: alice.fingerprint,
      algorithm: 'curve25519',
      version: 4,
      encryptionKeyIds: alice.encryptionKeyIds,
      userIds: ['Alice Org <ig@alice.example>'],
    });
    expect(alice.encryptionKeyIds).toHaveLength(1);
  });

  it('accepts a gpg RSA-3072 key and refuses an RSA-2048 one with key.too-weak', async () => {
    const strong = await home.generateKey(
      'Rsa Org <rsa@x.example>',
      { algo: 'rsa3072', usage: 'cert,sign' },
      'rsa3072',
    );
    const inspected = await inspectPublicKey(await home.exportPublic(strong), { now: new Date() });
    expect(inspected).toMatchObject({ fingerprint: strong, algorithm: 'rsa', bits: 3072 });
    expect(inspected.encryptionKeyIds).toEqual((await home.listKey(strong)).encryptionKeyIds);

    const weak = await home.generateKey('Weak Org <weak@x.example>', {
      algo: 'rsa2048',
      usage: 'cert,sign,encr',
    });
    const error = await inspectPublicKey(await home.exportPublic(weak), { now: new Date() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeyValidationError);
    expect(error).toMatchObject({ code: 'key.too-weak', extra: { algorithm: 'rsa', bits: 2048 } });
  });

  it('refuses a gpg sign-only key with key.no-encryption-subkey', async () => {
    const signOnly = await home.generateKey('Sign Only <sign@x.example>', { algo: 'ed25519', usage: 'sign' });
    const error = await inspectPublicKey(await home.exportPublic(signOnly), { now: new Date() }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'key.no-encryption-subkey' });
  });

  it('writes messages gpg --decrypt reads, with a good signature from our signer key', async () => {
    const signer = await generateOrganisationKey({ name: 'Accord Sender', email: 'ig@sender.example' });
    await home.importKey(signer.publicKey);
    const signingKey = await unlockPrivateKey(signer.privateKey);
    const size = 1024 * 1024 + 17;
    const ciphertext = await readAll(
      await encryptStream(pseudoRandomStream(size), { encryptionKeys: [alice.armored], signingKey }),
    );
    expect((await listRecipientKeyIds(ciphertext)).keyIds).toEqual(alice.encryptionKeyIds);

    const out = join(work, 'from-accord.bin');
    const result = await home.gpgOk(['--status-fd', '1', '--output', out, '--decrypt'], ciphertext);
    const status = result.stdout.toString('utf8');
    expect(sha256(await readFile(out))).toBe(sha256(await readAll(pseudoRandomStream(size))));
    expect(status).toMatch(new RegExp(`^\\[GNUPG:\\] GOODSIG ${signingKey.getKeyID().toHex()} `, 'im'));
    expect(status).toMatch(new RegExp(`^\\[GNUPG:\\] VALIDSIG ${signer.fingerprint} `, 'im'));
    expect(status).toMatch(/^\[GNUPG:\] DECRYPTION_OKAY/m);
  });

  it('writes passphrase-protected private keys gpg can import and decrypt with', async () => {
    const own = await generateOrganisationKey({
      name: 'Accord Own',
      email: 'ig@own.example',
      passphrase: 'correct horse',
    });
    const ciphertext = await readAll(
      await encryptStream(Buffer.from('to myself'), { encryptionKeys: [own.publicKey] }),
    );
    const other = await GnupgHome.create();
    try {
      await other.importKey(own.privateKey, 'correct horse');
      const { stdout } = await other.gpgOk(['--decrypt'], ciphertext, 'correct horse');
      expect(stdout.toString()).toBe('to myself');
    } finally {
      await other.dispose();
    }
  });

  it('lists exactly the encryption subkeys of `gpg --encrypt -r A -r B`, and checkRecipients judges them', async () => {
    const both = (
      await home.gpgOk(['--encrypt', '-r', alice.fingerprint, '-r', bob.fingerprint], 'for A and B')
    ).stdout;
    const recipients = await listRecipientKeyIds(both);
    expect([...recipients.keyIds].sort()).toEqual(
      [...alice.encryptionKeyIds, ...bob.encryptionKeyIds].sort(),
    );
    expect(checkRecipients(recipients, [alice.inspected, bob.inspected]).ok).toBe(true);

    const onlyA = await listRecipientKeyIds(
      (await home.gpgOk(['--encrypt', '-r', alice.fingerprint], 'A only')).stdout,
    );
    expect(checkRecipients(onlyA, [alice.inspected, bob.inspected])).toMatchObject({
      ok: false,
      missing: [bob.fingerprint],
      unexpected: [],
    });

    expect(checkRecipients(recipients, [alice.inspected])).toMatchObject({
      ok: false,
      missing: [],
      unexpected: bob.encryptionKeyIds,
    });
    expect(checkRecipients(recipients, [alice.inspected], { allowExtra: [bob.inspected] }).ok).toBe(true);
  });

  it('decrypts a `gpg --encrypt --sign` message (compressed by gpg) and verifies the gpg signature', async () => {
    const plaintext = await readAll(pseudoRandomStream(300_000));
    for (const armor of [[], ['--armor']]) {
      const { stdout } = await home.gpgOk(
        ['--encrypt', '--sign', '-u', bob.fingerprint, '-r', alice.fingerprint, ...armor],
        plaintext,
      );
      const result = await decryptStream(stdout, {
        privateKey: await unlockPrivateKey(await home.exportSecret(alice.fingerprint)),
        senderKeys: [bob.armored],
        tmpDir: work,
      });
      expect(result).toMatchObject({
        signatureValid: true,
        signerFingerprint: bob.fingerprint,
        container: 'seipd-v1',
      });
      expect(Buffer.compare(await readAll(result.plaintext), plaintext)).toBe(0);
    }
  });

  it('refuses a gpg-signed message whose signer is not the expected sender', async () => {
    const { stdout } = await home.gpgOk(
      ['--encrypt', '--sign', '-u', bob.fingerprint, '-r', alice.fingerprint],
      'hi',
    );
    const error = await decryptStream(stdout, {
      privateKey: await unlockPrivateKey(await home.exportSecret(alice.fingerprint)),
      senderKeys: [alice.armored],
      tmpDir: work,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'message.bad-signature' });
  });
});
