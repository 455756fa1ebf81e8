import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accord, ensureBuiltCli } from '../cli-documents/support/accord-cli';
import {
  buildSharingWorld,
  metadataFor,
  PASSPHRASE,
  PURPOSE,
  SharingWorld,
  uploadDocument,
} from '../cli-documents/support/sharing-world';
import { GnupgHome } from './support/gnupg-home';

const RECIPIENTS_MISMATCH = 'https://accord.example/problems/share.recipients-mismatch';

/**
 * Documents between the CLI and GnuPG 2.2 (docs/architecture.md §16), through the real api: what the CLI
 * shares, gpg decrypts and verifies; what gpg encrypts, the api accepts only when it is to exactly the
 * recipients' keys, and the CLI opens; a gpg-made key imported into the CLI's keyring is an organisation key
 * like any.
 *
 * Keys: `own` (sender) and `third` are made by `accord keys generate`; `other`'s key is made by gpg,
 * exported with --export-secret-keys and imported with `accord keys import`, then uploaded.
 */
describe('documents interop with GnuPG', () => {
  let w: SharingWorld;
  let gpg: GnupgHome;
  const fpr = { own: '', other: '', third: '' };
  let plaintext: Buffer;

  const cli = (side: 'own' | 'other' | 'third', role: 'ig-lead' | 'practitioner', ...args: string[]) =>
    accord(w.as(side, role), args);
  const file = (name: string) => join(w.dir, name);

  async function shareWithCli(to: 'other' | 'third'): Promise<string> {
    const run = await cli(
      'own',
      'practitioner',
      'share',
      file('plain.txt'),
      '--nature',
      'fact',
      '--agreement',
      w.agreementId,
      '--to',
      w.orgs[to].id,
      '--purpose',
      PURPOSE,
      '--category',
      'name',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    return run.stdout.trim();
  }

  async function content(id: string, side: 'other' | 'third'): Promise<Buffer> {
    const res = await fetch(`${w.world.url}/documents/${id}/content`, {
      headers: { authorization: `Bearer ${w.orgs[side].users.practitioner.token}` },
    });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  beforeAll(async () => {
    ensureBuiltCli();
    [w, gpg] = await Promise.all([buildSharingWorld(), GnupgHome.create()]);
    plaintext = Buffer.from('Strategy meeting notes for child A.\n'.repeat(2000));
    writeFileSync(file('plain.txt'), plaintext);
    for (const side of ['own', 'third'] as const) {
      const run = await cli(
        side,
        'ig-lead',
        'keys',
        'generate',
        '--org',
        w.orgs[side].id,
        '--name',
        side,
        '--email',
        `ig@${side}.test.example`,
        '--upload',
      );
      expect(run.code).toBe(0);
      fpr[side] = run.stdout.trim();
    }
    // `other` uses GnuPG: its key is made there, and the CLI imports gpg's secret-key export.
    fpr.other = await gpg.generateKey(
      'Other Org <ig@other.test.example>',
      { algo: 'ed25519', usage: 'sign' },
      'cv25519',
    );
    writeFileSync(file('other-secret.asc'), await gpg.exportSecret(fpr.other), { mode: 0o600 });
    const imported = await cli(
      'other',
      'ig-lead',
      'keys',
      'import',
      file('other-secret.asc'),
      '--org',
      w.orgs.other.id,
    );
    expect(imported).toMatchObject({ code: 0, stdout: `${fpr.other}\n` });
    const uploaded = await cli('other', 'ig-lead', 'keys', 'upload', fpr.other);
    expect(uploaded.code).toBe(0);
    // gpg knows the sender's public key, to check signatures; the recipients' keys come from the api.
    await gpg.importKey((await cli('own', 'practitioner', 'keys', 'export')).stdout);
  });
  afterAll(async () => {
    await gpg?.dispose(); // stops the gpg-agent this home started
    await w?.close();
  });

  it('a document shared with the CLI decrypts with gpg --decrypt holding the recipient key, with a good signature', async () => {
    const id = await shareWithCli('third');
    const exported = await cli('third', 'practitioner', 'keys', 'export', '--private');
    expect(exported.stdout).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----/);
    await gpg.importKey(exported.stdout, PASSPHRASE);
    const result = await gpg.gpgOk(['--status-fd', '2', '--decrypt'], await content(id, 'third'), PASSPHRASE);
    expect(result.stdout.equals(plaintext)).toBe(true);
    expect(result.stderr).toMatch(/\[GNUPG:\] GOODSIG /);
    // VALIDSIG <signing key fpr> ... <primary key fpr>: signed by the sender organisation's key.
    expect(result.stderr).toMatch(new RegExp(`\\[GNUPG:\\] VALIDSIG .* ${fpr.own.toUpperCase()}\\n`));
    expect(result.stderr).toMatch(/\[GNUPG:\] DECRYPTION_OKAY/);
  });

  it('a gpg-made key imported with accord keys import fetches and decrypts a CLI share', async () => {
    const id = await shareWithCli('other');
    const run = await cli('other', 'practitioner', 'fetch', id, '-o', file('other.txt'));
    expect(run.code).toBe(0);
    expect(readFileSync(file('other.txt')).equals(plaintext)).toBe(true);
  });

  /** Public keys as the api lists them, imported into gpg so it can encrypt to them. */
  async function gpgKnows(side: 'third' | 'other'): Promise<void> {
    const keys = await w.client('own', 'practitioner').get(`/organisations/${w.orgs[side].id}/keys`);
    await gpg.importKey(keys.body.items[0].publicKey);
  }

  it('gpg --encrypt --sign to the recipient organisation key is accepted as a pre-encrypted upload, and the CLI verifies it', async () => {
    await gpgKnows('third');
    // The sender signs with its organisation key, exported from the CLI keyring into gpg.
    await gpg.importKey((await cli('own', 'practitioner', 'keys', 'export', '--private')).stdout, PASSPHRASE);
    const message = await gpg.gpgOk(
      ['--encrypt', '--sign', '--local-user', fpr.own, '--recipient', fpr.third],
      plaintext,
      PASSPHRASE,
    );
    const reply = await uploadDocument(
      w.client('own', 'practitioner'),
      metadataFor(w, [w.orgs.third.id]),
      message.stdout,
    );
    expect(reply.status).toBe(201);
    const run = await cli('third', 'practitioner', 'fetch', reply.body.documentId, '-o', file('gpg.txt'));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`signed by ${w.orgs.own.id} (key ${fpr.own})`);
    expect(readFileSync(file('gpg.txt')).equals(plaintext)).toBe(true);
  });

  it('a gpg message missing one recipient organisation key is refused 422 recipients-mismatch', async () => {
    await gpgKnows('other');
    const toThirdOnly = await gpg.gpgOk(['--encrypt', '--recipient', fpr.third], plaintext);
    const reply = await uploadDocument(
      w.client('own', 'practitioner'),
      metadataFor(w, [w.orgs.third.id, w.orgs.other.id]),
      toThirdOnly.stdout,
    );
    expect({ status: reply.status, type: reply.body.type }).toEqual({
      status: 422,
      type: RECIPIENTS_MISMATCH,
    });
  });

  it('a gpg message to an extra organisation key is refused 422 recipients-mismatch', async () => {
    const toBoth = await gpg.gpgOk(
      ['--encrypt', '--recipient', fpr.third, '--recipient', fpr.other],
      plaintext,
    );
    const reply = await uploadDocument(
      w.client('own', 'practitioner'),
      metadataFor(w, [w.orgs.third.id]),
      toBoth.stdout,
    );
    expect({ status: reply.status, type: reply.body.type }).toEqual({
      status: 422,
      type: RECIPIENTS_MISMATCH,
    });
  });
});
