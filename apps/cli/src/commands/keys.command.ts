import { Command } from 'commander';
import { ClientFlags, resolveClientSettings } from '../cli-config';
import { UsageError } from '../cli-error';
import { readUserFile, writeUserFile } from '../cli-files';
import { callApi } from '../http-client';
import { Keyring, KeyringEntry, KeyringLocation } from '../keyring';
import { readPassphrase } from '../keyring-passphrase';
import { JSON_OPTION, printJson } from '../output';

type KeysFlags = KeyringLocation & ClientFlags & { passphraseFile?: string };

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const hint = (line: string): void => void process.stderr.write(`${line}\n`);
const flagsOf = (cmd: Command) => cmd.optsWithGlobals<KeysFlags>();
const keyringOf = (cmd: Command) => Keyring.at(flagsOf(cmd));

const PASSPHRASE_OPTION = [
  '--passphrase-file <file>',
  'read the keyring passphrase from this file (else ACCORD_PASSPHRASE, else a prompt)',
] as const;

async function upload(cmd: Command, org: string, entry: KeyringEntry): Promise<void> {
  const settings = resolveClientSettings(flagsOf(cmd));
  await callApi<{ fingerprint: string }>(settings, 'POST', `/organisations/${encodeURIComponent(org)}/keys`, {
    body: { publicKey: entry.publicKey },
  });
  hint(`uploaded the public key ${entry.fingerprint} to organisation ${org}`);
}

/**
 * `accord keys ...`: the organisation's OpenPGP keys on this machine. Private keys never leave it (the
 * server only ever receives public keys); they are stored passphrase-protected in an owner-only keyring.
 */
export function keysCommand(): Command {
  const keys = new Command('keys')
    .description('OpenPGP keys on this machine (private keys never leave it)')
    .option('--keyring <dir>', 'keyring directory (default: ACCORD_KEYRING_DIR or ~/.config/accord/keys)');

  keys
    .command('generate')
    .description('create an organisation key (Ed25519 + Cv25519); prints its fingerprint')
    .requiredOption('--org <org>', 'the organisation the key is for')
    .requiredOption('--name <name>', 'user id name, e.g. "Staffordshire County Council"')
    .requiredOption('--email <email>', 'user id email, e.g. ig@staffordshire.gov.uk')
    .option(...PASSPHRASE_OPTION)
    .option('--upload', 'also add the public key to the organisation on the server (IG lead)')
    .option(...JSON_OPTION)
    .action(
      async (
        opts: { org: string; name: string; email: string; upload?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const { newOrganisationKeyEntry } = await import('../keyring-keys');
        const keyring = keyringOf(cmd);
        const passphrase = await readPassphrase(flagsOf(cmd), { purpose: 'the new key', confirm: true });
        const entry = keyring.save(await newOrganisationKeyEntry({ ...opts, passphrase }));
        if (!opts.json) out(entry.fingerprint);
        hint(`stored the private key in ${keyring.dir} (passphrase-protected)`);
        // Stored before the upload: a failed upload must not lose a key the server may already know.
        if (opts.upload) await upload(cmd, opts.org, entry);
        if (opts.json)
          printJson({ fingerprint: entry.fingerprint, org: opts.org, uploaded: opts.upload === true });
      },
    );

  keys
    .command('upload [fingerprint]')
    .description("add a keyring key's public half to the organisation on the server (IG lead)")
    .option('--org <org>', 'the organisation (default: the one the key was made or imported for)')
    .option(...JSON_OPTION)
    .action(async (fingerprint: string | undefined, opts: { org?: string; json?: boolean }, cmd: Command) => {
      const entry = keyringOf(cmd).find(fingerprint);
      const org = opts.org ?? entry.org;
      if (!org) throw new UsageError('which organisation? give --org');
      await upload(cmd, org, entry);
      if (opts.json) printJson({ fingerprint: entry.fingerprint, org });
      else out(entry.fingerprint);
    });

  keys
    .command('import <file>')
    .description('add an armored key (e.g. from gpg --export-secret-keys --armor); prints the fingerprints')
    .option('--org <org>', 'the organisation the key belongs to')
    .option(...PASSPHRASE_OPTION)
    .option('--import-passphrase-file <file>', "the exported key's own passphrase, if not the keyring's")
    .option(...JSON_OPTION)
    .action(
      async (
        file: string,
        opts: { org?: string; importPassphraseFile?: string; json?: boolean },
        cmd: Command,
      ) => {
        const { entriesFromArmored } = await import('../keyring-keys');
        const text = readUserFile(file);
        const keyring = keyringOf(cmd);
        const entries = await entriesFromArmored(text, {
          org: opts.org ?? null,
          keyringPassphrase: () => readPassphrase(flagsOf(cmd), { purpose: 'the keyring' }),
          ...(opts.importPassphraseFile
            ? {
                sourcePassphrase: () =>
                  readPassphrase({ passphraseFile: opts.importPassphraseFile }, { purpose: file }),
              }
            : {}),
        });
        for (const entry of entries) {
          keyring.save(entry);
          if (!opts.json) out(entry.fingerprint);
        }
        hint(`imported ${entries.length} key${entries.length === 1 ? '' : 's'} into ${keyring.dir}`);
        if (opts.json) {
          printJson(
            entries.map((e) => ({
              fingerprint: e.fingerprint,
              private: e.privateKey !== undefined,
              org: e.org,
            })),
          );
        }
      },
    );

  keys
    .command('export [fingerprint]')
    .description(
      'print a key, armored: the public key, or with --private the passphrase-protected private key',
    )
    .option('--private', 'the private key (still protected by the keyring passphrase)')
    .option('-o, --output <file>', 'write to this file (owner-only) instead of stdout')
    .option(...JSON_OPTION)
    .action(
      async (
        fingerprint: string | undefined,
        opts: { private?: boolean; output?: string; json?: boolean },
        cmd: Command,
      ) => {
        const entry = keyringOf(cmd).find(fingerprint, { privateOnly: opts.private === true });
        const armored = opts.private ? entry.privateKey! : entry.publicKey;
        if (opts.output) writeUserFile(opts.output, armored, { mode: 0o600 });
        if (opts.json) {
          return printJson({
            fingerprint: entry.fingerprint,
            private: opts.private === true,
            ...(opts.output ? { output: opts.output } : { armored }),
          });
        }
        if (!opts.output) process.stdout.write(armored.endsWith('\n') ? armored : `${armored}\n`);
      },
    );

  keys
    .command('list')
    .description('the keys in the keyring: fingerprint, private or public, organisation, user id')
    .option('--json', 'print JSON (no key material)')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const entries = keyringOf(cmd).list();
      const rows = entries.map((e) => ({
        fingerprint: e.fingerprint,
        private: e.privateKey !== undefined,
        org: e.org,
        userIds: e.userIds,
        addedAt: e.addedAt,
      }));
      if (opts.json) return out(JSON.stringify(rows, null, 2));
      if (rows.length === 0) return hint(`no keys in ${keyringOf(cmd).dir}`);
      for (const r of rows) {
        out([r.fingerprint, r.private ? 'private' : 'public', r.org ?? '-', r.userIds[0] ?? ''].join('\t'));
      }
    });

  return keys;
}
