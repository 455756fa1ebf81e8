import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream';
import { decryptToFile, isCryptoError, listRecipientKeyIds, WILDCARD_KEY_ID } from '@accord/crypto';
import type { ClientSettings } from '../cli-config';
import { CliError, EXIT } from '../cli-error';
import { callApi } from '../http-client';
import { entriesForKeyIds, Keyring } from '../keyring';
import { unlockEntry } from '../keyring-keys';
import { ProgressMeter } from '../progress';
import { ApiProblemError, getStream, organisationKeys } from './documents-http';

export interface FetchOptions {
  output: string;
  force?: boolean;
  allowUnsigned?: boolean;
  progress?: boolean;
  /** The purpose stated for this open (docs/architecture.md §26). */
  purpose?: string;
}

export interface Fetched {
  path: string;
  size: number;
  senderOrg: string;
  signerFingerprint: string | null;
  /** fact, opinion or mixed, as the sender declared it. */
  nature: string | null;
}

interface DocumentMetadata {
  senderOrg: string;
  /** `server-encrypted`: uploaded as plaintext and encrypted by the server, so nobody signed it. */
  mode?: string;
  /** The organisation keys the message is encrypted to. */
  recipientFingerprints?: string[];
  nature?: string;
}

const REFUSALS: Record<string, string> = {
  'message.bad-signature': 'the signature is not a valid one by a key of the sending organisation',
  'message.unsigned': 'the document is not signed by its sender',
  'message.integrity-check-failed': 'the document could not be decrypted, or was modified',
  'message.not-for-this-key': 'the document is not encrypted to a key in this keyring',
};

/**
 * Downloads a document's content (streaming), decrypts it on this machine and verifies the sender
 * organisation's signature; FILE appears only once both checks passed (decryptToFile spools beside it
 * and renames), so a refused document leaves nothing behind.
 */
export async function fetchDocument(
  settings: ClientSettings,
  keyring: Keyring,
  passphrase: () => Promise<string>,
  id: string,
  opts: FetchOptions,
): Promise<Fetched> {
  const path = resolve(opts.output);
  if (existsSync(path) && !opts.force)
    throw new CliError(`${opts.output} exists: give --force to replace it`);
  if (!isDirectory(dirname(path))) throw new CliError(`no directory ${dirname(opts.output)} to write into`);
  if (keyring.privateEntries().length === 0) {
    throw new CliError(`no private key in the keyring ${keyring.dir}: accord keys generate or import first`);
  }
  const documentPath = `/documents/${encodeURIComponent(id)}`;
  const meta = await callApi<DocumentMetadata>(settings, 'GET', documentPath);
  const { senderOrg, mode } = meta;
  // An expired key still verifies what it signed while it was valid; a revoked one does not.
  const senderKeys = (await organisationKeys(settings, senderOrg)).filter((k) => k.status !== 'revoked');
  if (senderKeys.length === 0) {
    throw new CliError(`organisation ${senderOrg} has no key to verify the signature with`);
  }
  // Asked before the download, so nobody is prompted in the middle of a transfer; the key is unlocked
  // before it too when the metadata names it (a wrong passphrase fails before a byte is fetched, and the
  // unlock's memory is released before the transfer's is taken: see unlockEntry).
  const secret = await passphrase();
  const named = keyring.privateEntries().find((e) => meta.recipientFingerprints?.includes(e.fingerprint));
  let privateKey = named ? await unlockEntry(named, secret) : undefined;

  const query = opts.purpose !== undefined ? `?purpose=${encodeURIComponent(opts.purpose)}` : '';
  const download = await getStream(
    settings,
    `${documentPath}/content${query}`,
    'application/pgp-encrypted',
  ).catch((error: unknown) => {
    if (error instanceof ApiProblemError && error.code === 'open.revoked') {
      throw new CliError(
        `the sender revoked this document; delete any copy you hold [${error.code}]`,
        EXIT.notFound,
      );
    }
    if (error instanceof ApiProblemError && error.code === 'open.purpose-required') {
      throw new CliError(
        `the agreement asks for the purpose of this open: give --purpose with the document's purpose [${error.code}]`,
        EXIT.refused,
      );
    }
    if (error instanceof ApiProblemError && error.status === 410) {
      throw new CliError(
        'the payload was destroyed (its retention period ended or it was erased); ' +
          `its record and audit trail remain [${error.code ?? 'gone'}]`,
        EXIT.notFound,
      );
    }
    throw error;
  });
  const meter = ProgressMeter.forStderr('fetch', download.length, opts.progress);
  const counted = pipeline(download.body, meter.counter(), () => undefined);
  try {
    const { recipients, stream } = await listRecipientKeyIds(counted);
    if (!privateKey) {
      let candidates = await entriesForKeyIds(keyring, recipients.keyIds);
      if (candidates.length === 0 && recipients.keyIds.includes(WILDCARD_KEY_ID)) {
        candidates = keyring.privateEntries();
      }
      if (candidates.length === 0) {
        stream.destroy();
        throw new CliError('none of the private keys in the keyring can decrypt this document');
      }
      privateKey = await unlockEntry(candidates[0]!, secret);
    }
    const outcome = await decryptToFile(stream, path, {
      privateKey,
      senderKeys: senderKeys.map((k) => k.publicKey),
      allowUnsigned: opts.allowUnsigned === true,
    });
    meter.finish();
    return {
      path,
      size: outcome.size,
      senderOrg,
      signerFingerprint: outcome.signerFingerprint,
      nature: meta.nature ?? null,
    };
  } catch (error) {
    counted.destroy();
    meter.abandon();
    if (isCryptoError(error)) {
      const why =
        error.code === 'message.unsigned' && mode === 'server-encrypted'
          ? 'the server encrypted this plaintext upload, so no sender signed it (--allow-unsigned accepts it)'
          : (REFUSALS[error.code] ?? error.title);
      throw new CliError(`refused: ${why}; nothing was written [${error.code}]`);
    }
    throw error;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
