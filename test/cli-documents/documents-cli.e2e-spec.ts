import { createWriteStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { listRecipientKeyIds, unlockPrivateKey } from '@accord/crypto';
import { pseudoRandomStream, sha256 } from '../../libs/crypto/src/testing/test-keys';
import { accord, CliRun, ensureBuiltCli } from './support/accord-cli';
import { buildSharingWorld, metadataFor, PASSPHRASE, SharingWorld } from './support/sharing-world';
import { alterStoredPayload, destroyPayload, preEncryptedToOther } from './support/stored-documents';

const UUID_LINE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n$/;

/**
 * A refusal is one `accord: ...` line on stderr, nothing on stdout, never a stack, with its exit code
 * (1 for a failed check here, 2 usage, 4 refused by a server rule, 5 not found: `accord --help`).
 */
function expectOneLineRefusal(run: CliRun, pattern: RegExp, code = 1): void {
  expect(run).toMatchObject({ code, stdout: '' });
  expect(run.stderr).toMatch(/^accord: [^\n]+\n$/);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\s+at /);
}

/**
 * `accord keys|share|fetch` end to end: the built CLI as separate processes against the real api, one
 * keyring per organisation. Only ciphertext ever reaches the server; the recipient gets the exact bytes,
 * and only with the sender organisation's signature.
 */
describe('accord keys, share and fetch (the CLI against the real api)', () => {
  let w: SharingWorld;
  let fingerprints: Record<'own' | 'other', string>;
  let original: string;
  let documentId: string;

  beforeAll(async () => {
    ensureBuiltCli();
    w = await buildSharingWorld();
    original = join(w.dir, 'referral.bin');
    await pipeline(pseudoRandomStream(1024 * 1024 + 13), createWriteStream(original));
  });
  afterAll(async () => {
    await w?.close();
  });

  const out = (name: string) => join(w.dir, name);

  it('keys generate --upload keeps the private key in an owner-only keyring and registers only the public key', async () => {
    fingerprints = { own: '', other: '' };
    for (const side of ['own', 'other'] as const) {
      const run = await accord(w.as(side, 'ig-lead'), [
        'keys',
        'generate',
        '--org',
        w.orgs[side].id,
        '--name',
        `Org ${side}`,
        '--email',
        `ig@${side}.test.example`,
        '--upload',
      ]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^[0-9a-f]{40}\n$/);
      fingerprints[side] = run.stdout.trim();
      expect(statSync(w.keyrings[side]).mode & 0o777).toBe(0o700);
      const file = join(w.keyrings[side], `${fingerprints[side]}.json`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const stored = JSON.parse(readFileSync(file, 'utf8'));
      await expect(unlockPrivateKey(stored.privateKey)).rejects.toMatchObject({ code: 'key.locked' });

      const listed = await w.client(side, 'practitioner').get(`/organisations/${w.orgs[side].id}/keys`);
      expect(listed.body.items).toEqual([
        expect.objectContaining({ fingerprint: fingerprints[side], status: 'active' }),
      ]);
      expect(JSON.stringify(listed.body)).not.toMatch(/PRIVATE KEY/);
    }
    const list = await accord(w.as('own', 'practitioner'), ['keys', 'list']);
    expect(list.stdout).toBe(
      `${fingerprints.own}\tprivate\t${w.orgs.own.id}\tOrg own <ig@own.test.example>\n`,
    );
  });

  it('share encrypts and signs locally, uploads, and prints only the document id', async () => {
    const run = await accord(w.as('own', 'practitioner'), [
      'share',
      original,
      '--nature',
      'fact',
      '--agreement',
      w.agreementId,
      '--to',
      w.orgs.other.id,
      '--purpose',
      metadataFor(w, []).purpose,
      '--category',
      'name',
      'address',
      '--subject',
      'nhs:9434765919',
      'local:CASE-0042',
      '--title',
      'Referral to children services',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(UUID_LINE);
    documentId = run.stdout.trim();

    const meta = await w.client('other', 'practitioner').get(`/documents/${documentId}`);
    expect(meta.body).toMatchObject({ senderOrg: w.orgs.own.id, recipients: [w.orgs.other.id] });
    // What the server holds is an OpenPGP message to the recipient's key and the sender's, nothing else.
    const content = await fetch(`${w.world.url}/documents/${documentId}/content`, {
      headers: { authorization: `Bearer ${w.orgs.other.users.practitioner.token}` },
    });
    const stored = Buffer.from(await content.arrayBuffer());
    const recipients = await listRecipientKeyIds(stored);
    expect(recipients.keyIds).toHaveLength(2);
    expect(stored.includes(readFileSync(original).subarray(0, 64))).toBe(false);
  });

  it('fetch as the recipient writes the identical bytes after verifying the sender organisation', async () => {
    const run = await accord(w.as('other', 'practitioner'), ['fetch', documentId, '-o', out('fetched.bin')]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toContain(`signed by ${w.orgs.own.id} (key ${fingerprints.own})`);
    expect(sha256(readFileSync(out('fetched.bin')))).toBe(sha256(readFileSync(original)));
  });

  it('the sender can open its own share (encrypted to its signing key too)', async () => {
    const run = await accord(w.as('own', 'practitioner'), ['fetch', documentId, '-o', out('own-copy.bin')]);
    expect(run.code).toBe(0);
    expect(readFileSync(out('own-copy.bin')).equals(readFileSync(original))).toBe(true);
  });

  it('refuses to overwrite an existing file without --force', async () => {
    writeFileSync(out('exists.bin'), 'keep me');
    const run = await accord(w.as('other', 'practitioner'), ['fetch', documentId, '-o', out('exists.bin')]);
    expectOneLineRefusal(run, /exists: give --force/);
    expect(readFileSync(out('exists.bin'), 'utf8')).toBe('keep me');
  });

  it('a document signed by a key that is not the sender organisation’s is refused, and nothing is written', async () => {
    const id = await preEncryptedToOther(w, Buffer.from('forged referral'), { stranger: true });
    const run = await accord(w.as('other', 'practitioner'), ['fetch', id, '-o', out('forged.txt')]);
    expectOneLineRefusal(run, /^accord: refused: .*; nothing was written \[message\.bad-signature\]\n$/);
    expect(existsSync(out('forged.txt'))).toBe(false);
    expect(readdirSync(w.dir).filter((n) => n.includes('forged'))).toEqual([]);
  });

  it('an unsigned document is refused unless --allow-unsigned is given', async () => {
    const id = await preEncryptedToOther(w, Buffer.from('unsigned referral'));
    const refused = await accord(w.as('other', 'practitioner'), ['fetch', id, '-o', out('unsigned.txt')]);
    expectOneLineRefusal(refused, /\[message\.unsigned\]\n$/);
    expect(existsSync(out('unsigned.txt'))).toBe(false);
    const allowed = await accord(w.as('other', 'practitioner'), [
      'fetch',
      id,
      '-o',
      out('unsigned.txt'),
      '--allow-unsigned',
    ]);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('UNSIGNED');
    expect(readFileSync(out('unsigned.txt'), 'utf8')).toBe('unsigned referral');
  });

  it('a payload altered in storage is refused (integrity), and nothing is written', async () => {
    const id = await preEncryptedToOther(w, Buffer.from('x'.repeat(4096)), {
      ownFingerprint: fingerprints.own,
    });
    await alterStoredPayload(w, id);
    const run = await accord(w.as('other', 'practitioner'), ['fetch', id, '-o', out('altered.txt')]);
    expectOneLineRefusal(run, /\[message\.integrity-check-failed\]\n$/);
    expect(existsSync(out('altered.txt'))).toBe(false);
  });

  it('once the payload is destroyed, fetch says so in one line', async () => {
    const id = await preEncryptedToOther(w, Buffer.from('kept for a while'), {
      ownFingerprint: fingerprints.own,
    });
    await destroyPayload(w, id);
    const run = await accord(w.as('other', 'practitioner'), ['fetch', id, '-o', out('destroyed.txt')]);
    expectOneLineRefusal(
      run,
      /^accord: the payload was destroyed \(.*\); .*\[open\.payload-destroyed\]\n$/,
      5,
    );
    expect(existsSync(out('destroyed.txt'))).toBe(false);
  });

  it('fetch by a user of an organisation that is not a recipient is refused in one line', async () => {
    const run = await accord(w.as('third', 'practitioner'), ['fetch', documentId, '-o', out('third.bin')], {
      env: { ACCORD_KEYRING_DIR: w.keyrings.other }, // even holding the recipient's key
    });
    expectOneLineRefusal(run, /^accord: .+\[[a-z.-]+\]\n$/, 5); // 404 to a non-recipient
    expect(existsSync(out('third.bin'))).toBe(false);
  });

  it('a wrong passphrase is refused in one line, naming the rule', async () => {
    const run = await accord(w.as('other', 'practitioner', 'not the passphrase'), [
      'fetch',
      documentId,
      '-o',
      out('wrong.bin'),
    ]);
    expectOneLineRefusal(run, /\[key\.bad-passphrase\]\n$/);
  });

  it('without a passphrase source and no terminal, asks for --passphrase-file or ACCORD_PASSPHRASE', async () => {
    const run = await accord({ ...w.as('other', 'practitioner'), passphrase: undefined }, [
      'fetch',
      documentId,
      '-o',
      out('nopass.bin'),
    ]);
    expectOneLineRefusal(run, /--passphrase-file FILE or set ACCORD_PASSPHRASE/);
    const file = join(w.dir, 'passphrase.txt');
    writeFileSync(file, `${PASSPHRASE}\n`, { mode: 0o600 });
    const withFile = await accord({ ...w.as('other', 'practitioner'), passphrase: undefined }, [
      'fetch',
      documentId,
      '-o',
      out('nopass.bin'),
      '--passphrase-file',
      file,
    ]);
    expect(withFile.code).toBe(0);
  });

  it('share refuses a subject of an unknown scheme without echoing it', async () => {
    const run = await accord(w.as('own', 'practitioner'), [
      'share',
      original,
      '--nature',
      'fact',
      '--agreement',
      w.agreementId,
      '--to',
      w.orgs.other.id,
      '--purpose',
      metadataFor(w, []).purpose,
      '--category',
      'name',
      '--subject',
      'passport:123456789',
    ]);
    expectOneLineRefusal(run, /--subject takes nhs:<NHS number> or local:<case reference>/, 2);
    expect(run.stderr).not.toContain('123456789');
  });

  it('share to an organisation with no active key says so before uploading anything', async () => {
    const run = await accord(w.as('own', 'practitioner'), [
      'share',
      original,
      '--nature',
      'fact',
      '--agreement',
      w.agreementId,
      '--to',
      w.orgs.third.id,
      '--purpose',
      metadataFor(w, []).purpose,
      '--category',
      'name',
    ]);
    expectOneLineRefusal(run, new RegExp(`organisation ${w.orgs.third.id} has no active key`));
  });

  it("a policy refusal from the server comes back as the problem's one line", async () => {
    const run = await accord(w.as('own', 'practitioner'), [
      'share',
      original,
      '--nature',
      'fact',
      '--agreement',
      w.agreementId,
      '--to',
      w.orgs.other.id,
      '--purpose',
      'marketing',
      '--category',
      'name',
    ]);
    expectOneLineRefusal(run, /^accord: .+\[[a-z.-]+\]\n$/, 4);
  });
});
