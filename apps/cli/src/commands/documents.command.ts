import { Command } from 'commander';
import { ClientFlags, resolveClientSettings } from '../cli-config';
import { Keyring, KeyringLocation } from '../keyring';
import { readPassphrase } from '../keyring-passphrase';
import { JSON_OPTION, printJson } from '../output';
import type { FetchOptions } from './documents-fetch';
import type { ShareOptions } from './documents-share';

type Flags = ClientFlags & KeyringLocation & { passphraseFile?: string };

const KEYRING_OPTION = [
  '--keyring <dir>',
  'keyring directory (default: ACCORD_KEYRING_DIR or ~/.config/accord/keys)',
] as const;
const PASSPHRASE_OPTION = [
  '--passphrase-file <file>',
  'read the keyring passphrase from this file (else ACCORD_PASSPHRASE, else a prompt)',
] as const;
const PROGRESS_OPTION = ['--progress', 'show progress on stderr even when it is not a terminal'] as const;

/**
 * `accord share FILE ...`: encrypts and signs on this machine, uploads, prints the document id. Only
 * ciphertext leaves the machine (docs/architecture.md §16). `--nature` has no default: whether a record is
 * fact or professional opinion matters to its reader (issue 13).
 */
export function shareCommand(): Command {
  return new Command('share')
    .description('encrypt FILE locally to the recipients and upload it; prints the document id')
    .argument('<file>', 'the document')
    .requiredOption('--agreement <id>', 'the information sharing agreement it is shared under')
    .requiredOption('--to <org...>', 'recipient organisations')
    .requiredOption('--purpose <purpose>', "one of the agreement's purposes")
    .requiredOption('--category <category...>', 'data categories it holds (name, health, ...)')
    .option('--subject <subject...>', 'who it is about: nhs:<NHS number> or local:<case reference>')
    .requiredOption('--nature <nature>', 'fact, opinion or mixed')
    .option(
      '--team <org:teamId...>',
      "address a recipient organisation's teams: only their members open it (docs/architecture.md §24)",
    )
    .option('--title <title>', 'title shown to the parties (default: the file name)')
    .option('--retain-until <date>', 'an earlier end of retention than the agreement gives (ISO-8601)')
    .option(
      '--key <fingerprint>',
      "the sender key to sign with (default: your organisation's newest in the keyring)",
    )
    .option('--no-encrypt-to-self', 'do not encrypt to the signing key as well (you could not open it again)')
    .option('--idempotency-key <key>', 'reuse the key of an earlier attempt so a retry shares once')
    .option(...KEYRING_OPTION)
    .option(...PASSPHRASE_OPTION)
    .option(...PROGRESS_OPTION)
    .option(...JSON_OPTION)
    .action(async (file: string, opts: ShareOptions & { json?: boolean }, cmd: Command) => {
      const { shareFile } = await import('./documents-share');
      const flags = cmd.optsWithGlobals<Flags>();
      const id = await shareFile(
        resolveClientSettings(flags),
        Keyring.at(flags),
        (purpose) => readPassphrase(flags, { purpose }),
        file,
        opts,
      );
      if (opts.json) printJson({ documentId: id });
      else process.stdout.write(`${id}\n`);
    });
}

/**
 * `accord fetch ID -o FILE`: downloads, decrypts locally and verifies the sender organisation's signature;
 * FILE is written only when both succeed.
 */
export function fetchCommand(): Command {
  return new Command('fetch')
    .description("download a document, decrypt it locally and verify its sender's signature")
    .argument('<id>', 'the document id')
    .requiredOption(
      '-o, --output <file>',
      'where to write the plaintext (created only if every check passes)',
    )
    .option('--force', 'replace FILE if it exists')
    .option(
      '--purpose <purpose>',
      "the purpose of this open, one of the document's (when its agreement asks)",
    )
    .option(
      '--allow-unsigned',
      'accept a document with no signature (one the server encrypted for its sender)',
    )
    .option(...KEYRING_OPTION)
    .option(...PASSPHRASE_OPTION)
    .option(...PROGRESS_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: FetchOptions & { json?: boolean }, cmd: Command) => {
      const { fetchDocument } = await import('./documents-fetch');
      const flags = cmd.optsWithGlobals<Flags>();
      const fetched = await fetchDocument(
        resolveClientSettings(flags),
        Keyring.at(flags),
        () => readPassphrase(flags, { purpose: 'the keyring' }),
        id,
        opts,
      );
      if (opts.json) {
        return printJson({
          documentId: id,
          path: fetched.path,
          size: fetched.size,
          senderOrg: fetched.senderOrg,
          signerFingerprint: fetched.signerFingerprint ?? null,
          signed: fetched.signerFingerprint !== undefined,
        });
      }
      const signer = fetched.signerFingerprint
        ? `signed by ${fetched.senderOrg} (key ${fetched.signerFingerprint})`
        : 'UNSIGNED (accepted with --allow-unsigned)';
      process.stderr.write(`wrote ${fetched.size} bytes to ${fetched.path}; ${signer}\n`);
      if (fetched.nature) process.stderr.write(`nature: ${fetched.nature}\n`);
    });
}

/** `accord revoke ID --reason R` (docs/architecture.md §25). */
export function revokeCommand(): Command {
  return new Command('revoke')
    .description('revoke a document you shared: no further opens, its payload destroyed, recipients told')
    .argument('<id>', 'the document id')
    .requiredOption('--reason <reason>', 'why (recorded; not shown to recipients)')
    .option('--idempotency-key <key>', 'reuse the key of an earlier attempt so a retry revokes once')
    .option(...JSON_OPTION)
    .action(
      async (id: string, opts: { reason: string; idempotencyKey?: string; json?: boolean }, cmd: Command) => {
        const { callApi } = await import('../http-client');
        const flags = cmd.optsWithGlobals<Flags>();
        const revoked = await callApi<{ documentId: string; recipients: string[]; revokedAt: string }>(
          resolveClientSettings(flags),
          'POST',
          `/documents/${encodeURIComponent(id)}/revocation`,
          {
            body: { reason: opts.reason },
            ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
          },
        );
        if (opts.json) return printJson(revoked);
        process.stdout.write(
          `revoked ${revoked.documentId} at ${revoked.revokedAt}; recipients told: ${revoked.recipients.join(', ')}\n`,
        );
      },
    );
}
