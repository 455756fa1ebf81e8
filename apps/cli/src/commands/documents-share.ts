import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream';
import { encryptStream } from '@accord/crypto';
import type { ClientSettings } from '../cli-config';
import { CliError, UsageError } from '../cli-error';
import { userFileSize } from '../cli-files';
import { callApi } from '../http-client';
import { Keyring, KeyringEntry } from '../keyring';
import { rethrowAsCliError, unlockEntry } from '../keyring-keys';
import { ProgressMeter } from '../progress';
import { OrganisationKey, organisationKeys, postMultipart } from './documents-http';

export interface ShareOptions {
  agreement: string;
  to: string[];
  purpose: string;
  category: string[];
  subject?: string[];
  nature: string;
  /** `org:teamId`, repeatable: the teams of a recipient organisation the share is addressed to. */
  team?: string[];
  title?: string;
  retainUntil?: string;
  key?: string;
  encryptToSelf: boolean;
  progress?: boolean;
  idempotencyKey?: string;
}

export interface Subject {
  scheme: 'nhs-number' | 'local-ref';
  value: string;
}

/** `nhs:9434765919` or `local:REF` (the schemes' own names work too). The value is never echoed back. */
export function parseSubject(text: string): Subject {
  const match = /^(nhs|nhs-number|local|local-ref):(.+)$/i.exec(text.trim());
  if (!match || match[2]!.trim() === '') {
    throw new UsageError('--subject takes nhs:<NHS number> or local:<case reference>');
  }
  const scheme = match[1]!.toLowerCase().startsWith('nhs') ? 'nhs-number' : 'local-ref';
  return { scheme, value: match[2]!.trim() };
}

/** The `metadata` part of POST /documents (docs/architecture.md §15.3), from the command line. */
export function shareMetadata(file: string, opts: ShareOptions): Record<string, unknown> {
  if (!['fact', 'opinion', 'mixed'].includes(opts.nature)) {
    throw new UsageError('--nature is fact, opinion or mixed');
  }
  if (opts.retainUntil !== undefined && Number.isNaN(Date.parse(opts.retainUntil))) {
    throw new UsageError('--retain-until takes an ISO-8601 date or instant');
  }
  return {
    agreementId: opts.agreement,
    recipients: [...new Set(opts.to)],
    purpose: opts.purpose,
    dataCategories: [...new Set(opts.category)],
    ...(opts.subject?.length ? { subjects: opts.subject.map(parseSubject) } : {}),
    nature: opts.nature,
    title: opts.title ?? basename(file),
    ...(opts.retainUntil !== undefined ? { retainUntil: opts.retainUntil } : {}),
    ...(opts.team?.length ? { recipientTeams: recipientTeams(opts.team) } : {}),
  };
}

/** `--team police:<teamId> police:<teamId2> nhs:<teamId>` -> `{police: [..], nhs: [..]}`. */
export function recipientTeams(values: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const value of values) {
    const at = value.lastIndexOf(':');
    const org = value.slice(0, at).trim();
    const team = value.slice(at + 1).trim();
    if (at <= 0 || org === '' || team === '') throw new CliError('--team takes <organisation>:<team id>');
    const teams = (out[org] ??= []);
    if (!teams.includes(team)) teams.push(team);
  }
  return out;
}

interface Me {
  user: { orgId: string | null };
  organisation: { id: string } | null;
}

/** Larger reads were no faster and cost memory: 1 MiB chunks raised a 50 MiB share's peak RSS by 25 MiB. */
const READ_CHUNK_BYTES = 64 * 1024;

const active = (keys: OrganisationKey[]) => keys.filter((k) => k.status === 'active');

/**
 * The signing key: a private key in the keyring that is one of the sender organisation's active keys
 * (the newest such, unless --key names one). Anything else would be refused at fetch: recipients verify
 * the signature against the sender organisation's keys on the server.
 */
function chooseSigner(
  keyring: Keyring,
  senderKeys: OrganisationKey[],
  org: string,
  key?: string,
): KeyringEntry {
  const activeFingerprints = new Set(active(senderKeys).map((k) => k.fingerprint));
  if (key !== undefined) {
    const entry = keyring.find(key, { privateOnly: true });
    if (!activeFingerprints.has(entry.fingerprint)) {
      throw new CliError(`key ${entry.fingerprint} is not an active key of organisation ${org}`);
    }
    return entry;
  }
  const mine = keyring.privateEntries().filter((e) => activeFingerprints.has(e.fingerprint));
  if (mine.length === 0) {
    throw new CliError(
      `no private key of organisation ${org} in the keyring ${keyring.dir}: ` +
        `run accord keys generate --org ${org} --upload, or accord keys import`,
    );
  }
  return mine[0]!;
}

/**
 * Encrypts and signs FILE on this machine to every recipient organisation's active keys (and the sender's
 * signing key, so the sender can open it too), streaming from the file to the upload: memory does not grow
 * with the file. Returns the new document id.
 */
export async function shareFile(
  settings: ClientSettings,
  keyring: Keyring,
  passphrase: (purpose: string) => Promise<string>,
  file: string,
  opts: ShareOptions,
): Promise<string> {
  const size = userFileSize(file);
  const metadata = shareMetadata(file, opts);

  const me = await callApi<Me>(settings, 'GET', '/me');
  const senderOrg = me.organisation?.id ?? me.user.orgId;
  if (!senderOrg) throw new CliError('a platform admin shares no documents: use a practitioner token');
  const signer = chooseSigner(keyring, await organisationKeys(settings, senderOrg), senderOrg, opts.key);
  const signingKey = await unlockEntry(signer, await passphrase(`key ${signer.fingerprint}`));

  const encryptTo = new Map<string, string>();
  for (const org of metadata.recipients as string[]) {
    const keys = active(await organisationKeys(settings, org));
    if (keys.length === 0) throw new CliError(`organisation ${org} has no active key to encrypt to`);
    for (const k of keys) encryptTo.set(k.fingerprint, k.publicKey);
  }
  if (opts.encryptToSelf) encryptTo.set(signer.fingerprint, signer.publicKey);

  const meter = ProgressMeter.forStderr('share', size, opts.progress);
  const plaintext = pipeline(
    createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }),
    meter.counter(),
    () => undefined, // a read error reaches the encryptor through the destroyed stream
  );
  try {
    const ciphertext = await encryptStream(plaintext, {
      encryptionKeys: [...encryptTo.values()],
      signingKey,
    }).catch(rethrowAsCliError);
    const created = await postMultipart<{ documentId: string }>(settings, '/documents', {
      metadata,
      payload: ciphertext,
      ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
    });
    meter.finish();
    return created.documentId;
  } catch (error) {
    plaintext.destroy();
    meter.abandon();
    throw error;
  }
}
