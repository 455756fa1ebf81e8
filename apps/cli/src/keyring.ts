import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { configFilePath } from './cli-config';
import { CliError } from './cli-error';

/**
 * One key of the local keyring: a JSON file `<fingerprint>.json`, owner-only. The private key, when we hold
 * it, is kept exactly as armored with its passphrase protection (never in clear on disk): organisation
 * private keys stay on the user's machine (docs/architecture.md §16); the server only ever sees public keys.
 */
export interface KeyringEntry {
  /** Lower-case hex. */
  fingerprint: string;
  /** The organisation the key was made or imported for, when told. */
  org: string | null;
  userIds: string[];
  addedAt: string;
  /** Armored, public packets only. */
  publicKey: string;
  /** Armored and passphrase-protected. */
  privateKey?: string;
  revocationCertificate?: string;
}

export interface KeyringLocation {
  keyring?: string;
}

/** `--keyring`, else ACCORD_KEYRING_DIR, else `keys/` beside the config file (~/.config/accord/keys). */
export function keyringDir(flags: KeyringLocation, env: NodeJS.ProcessEnv = process.env): string {
  if (flags.keyring) return flags.keyring;
  if (env.ACCORD_KEYRING_DIR) return env.ACCORD_KEYRING_DIR;
  return join(dirname(configFilePath(env)), 'keys');
}

const FINGERPRINT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export class Keyring {
  constructor(readonly dir: string) {}

  static at(flags: KeyringLocation, env: NodeJS.ProcessEnv = process.env): Keyring {
    return new Keyring(keyringDir(flags, env));
  }

  /** Every key, newest first. A missing directory is an empty keyring. */
  list(): KeyringEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new CliError(`cannot read the keyring ${this.dir}`);
    }
    return names
      .filter((n) => FINGERPRINT.test(n.replace(/\.json$/, '')) && n.endsWith('.json'))
      .map((n) => this.read(join(this.dir, n)))
      .sort((a, b) => b.addedAt.localeCompare(a.addedAt));
  }

  privateEntries(): KeyringEntry[] {
    return this.list().filter((e) => e.privateKey !== undefined);
  }

  /**
   * The one key a selector names: a fingerprint, or a unique hex prefix or suffix of one (a 16-digit key id
   * is a suffix). Without a selector, the keyring must hold exactly one key (of the kind asked for).
   */
  find(selector: string | undefined, options: { privateOnly?: boolean } = {}): KeyringEntry {
    const all = options.privateOnly ? this.privateEntries() : this.list();
    const kind = options.privateOnly ? 'private key' : 'key';
    if (selector === undefined) {
      if (all.length === 1) return all[0]!;
      if (all.length === 0) throw new CliError(`no ${kind} in the keyring ${this.dir}`);
      throw new CliError(`the keyring holds ${all.length} ${kind}s: name one by its fingerprint`);
    }
    const hex = selector.toLowerCase().replace(/^0x/, '').replace(/\s+/g, '');
    if (!/^[0-9a-f]{8,64}$/.test(hex)) throw new CliError('a key is named by its fingerprint (hex)');
    const matches = all.filter((e) => e.fingerprint.startsWith(hex) || e.fingerprint.endsWith(hex));
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) throw new CliError(`no ${kind} ${hex} in the keyring ${this.dir}`);
    throw new CliError(`${hex} names ${matches.length} keys: give more of the fingerprint`);
  }

  get(fingerprint: string): KeyringEntry | undefined {
    return this.list().find((e) => e.fingerprint === fingerprint);
  }

  /**
   * Writes an entry (a new file, or the same key again with what it adds): temp file then rename, both
   * owner-only, in a directory only the owner can enter.
   */
  save(entry: KeyringEntry): KeyringEntry {
    const known = this.get(entry.fingerprint);
    const given = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
    const merged = (
      known ? { ...known, ...given, org: entry.org ?? known.org, addedAt: known.addedAt } : given
    ) as KeyringEntry;
    this.ensureDir();
    const file = join(this.dir, `${entry.fingerprint}.json`);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temp, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
    return merged;
  }

  /** The keyring directory, created owner-only (0700); an existing one is narrowed to the owner. */
  ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if ((statSync(this.dir).mode & 0o077) !== 0) chmodSync(this.dir, 0o700);
  }

  private read(file: string): KeyringEntry {
    try {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as KeyringEntry;
      if (typeof entry.fingerprint !== 'string' || typeof entry.publicKey !== 'string') throw new Error();
      return entry;
    } catch {
      throw new CliError(`${file} is not a keyring entry`);
    }
  }
}

/** Every key id (primary and subkeys, lower-case hex) of an entry: what a message's PKESK packets name. */
export async function keyIdsOf(entry: KeyringEntry): Promise<string[]> {
  const { readKey } = await import('openpgp'); // loaded on use: `accord --version` stays quick
  const key = await readKey({ armoredKey: entry.publicKey });
  return key.getKeys().map((k) => k.getKeyID().toHex().toLowerCase());
}

/** The private entries holding a key one of `keyIds` names, in keyring order. */
export async function entriesForKeyIds(keyring: Keyring, keyIds: readonly string[]): Promise<KeyringEntry[]> {
  const found: KeyringEntry[] = [];
  for (const entry of keyring.privateEntries()) {
    if ((await keyIdsOf(entry)).some((id) => keyIds.includes(id))) found.push(entry);
  }
  return found;
}
