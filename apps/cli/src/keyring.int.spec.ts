import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unlockPrivateKey } from '@accord/crypto';
import { makeTestKey } from '../../../libs/crypto/src/testing/test-keys';
import { CliError } from './cli-error';
import { Keyring, keyringDir } from './keyring';
import { entriesFromArmored, newOrganisationKeyEntry, unlockEntry } from './keyring-keys';

describe('the local keyring', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'accord-keyring-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lives in --keyring, else ACCORD_KEYRING_DIR, else keys/ beside the config file', () => {
    expect(keyringDir({ keyring: '/k' }, { ACCORD_KEYRING_DIR: '/e' })).toBe('/k');
    expect(keyringDir({}, { ACCORD_KEYRING_DIR: '/e' })).toBe('/e');
    expect(keyringDir({}, { XDG_CONFIG_HOME: '/home/u/.config' })).toBe('/home/u/.config/accord/keys');
  });

  it('stores a new key owner-only (dir 0700, file 0600), its private half passphrase-protected', async () => {
    const keyring = new Keyring(join(root, 'nested', 'keys'));
    const entry = keyring.save(
      await newOrganisationKeyEntry({ org: 'a', name: 'Org A', email: 'ig@a.example', passphrase: 'pw' }),
    );
    expect(statSync(keyring.dir).mode & 0o777).toBe(0o700);
    const file = join(keyring.dir, `${entry.fingerprint}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    await expect(unlockPrivateKey(stored.privateKey)).rejects.toMatchObject({ code: 'key.locked' });
    await expect(unlockEntry(stored, 'wrong')).rejects.toThrow(/\[key\.bad-passphrase\]$/);
    expect((await unlockEntry(stored, 'pw')).isDecrypted()).toBe(true);
    expect(keyring.list()).toEqual([expect.objectContaining({ fingerprint: entry.fingerprint, org: 'a' })]);
  });

  it('imports an unprotected private key protected with the keyring passphrase, and a public key', async () => {
    const keyring = new Keyring(root);
    const key = await makeTestKey({ name: 'Gpg Org' });
    const [entry] = await entriesFromArmored(key.armoredPrivate, {
      org: 'b',
      keyringPassphrase: async () => 'pw',
    });
    keyring.save(entry!);
    expect(entry!.fingerprint).toBe(key.publicKey.getFingerprint());
    await expect(unlockPrivateKey(entry!.privateKey!)).rejects.toMatchObject({ code: 'key.locked' });
    expect((await unlockEntry(entry!, 'pw')).getFingerprint()).toBe(entry!.fingerprint);

    const other = await makeTestKey({ name: 'Partner' });
    const [pub] = await entriesFromArmored(other.armoredPublic, {
      org: null,
      keyringPassphrase: () => Promise.reject(new Error('a public key needs no passphrase')),
    });
    keyring.save(pub!);
    expect(keyring.privateEntries().map((e) => e.fingerprint)).toEqual([entry!.fingerprint]);
    // Importing the public half of a key we hold privately keeps the private half.
    keyring.save({ ...entry!, privateKey: undefined, org: null });
    expect(keyring.get(entry!.fingerprint)).toMatchObject({ org: 'b', privateKey: entry!.privateKey });
  });

  it('refuses a key the server would refuse, with its rule code', async () => {
    const weak = await makeTestKey({ type: 'rsa', rsaBits: 2048 });
    await expect(
      entriesFromArmored(weak.armoredPublic, { org: null, keyringPassphrase: async () => 'pw' }),
    ).rejects.toThrow(/\[key\.too-weak\]$/);
  });

  it('finds a key by fingerprint, unique prefix or key id suffix; refuses an ambiguous or unknown one', async () => {
    const keyring = new Keyring(root);
    const a = keyring.save(
      await newOrganisationKeyEntry({ org: 'a', name: 'A', email: 'a@a.example', passphrase: 'pw' }),
    );
    expect(() => keyring.find(undefined)).not.toThrow();
    const b = keyring.save(
      await newOrganisationKeyEntry({ org: 'b', name: 'B', email: 'b@b.example', passphrase: 'pw' }),
    );
    expect(keyring.find(a.fingerprint.toUpperCase()).fingerprint).toBe(a.fingerprint);
    expect(keyring.find(b.fingerprint.slice(0, 12)).fingerprint).toBe(b.fingerprint);
    expect(keyring.find(a.fingerprint.slice(-16)).fingerprint).toBe(a.fingerprint);
    expect(() => keyring.find(undefined)).toThrow(CliError);
    expect(() => keyring.find('deadbeefdeadbeef')).toThrow(/no key deadbeefdeadbeef/);
  });
});
