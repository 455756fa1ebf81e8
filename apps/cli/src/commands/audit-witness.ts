import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  Checkpoint,
  eventHash,
  eventLeafHash,
  openCheckpoint,
  parseVerifierKey,
  RecordedEvent,
  VerifierKey,
  verifyConsistency,
  verifyInclusion,
} from '@accord/event-store';
import { ClientSettings, configFilePath } from '../cli-config';
import { CliError } from '../cli-error';
import { readUserFile, writeUserFile } from '../cli-files';
import { callApi } from '../http-client';

/**
 * The partner's side of the verifiable log: each machine that runs `accord audit checkpoint` keeps the
 * checkpoints it was shown and checks every new one against the last (an RFC 9162 consistency proof), so
 * the platform cannot show it a log that forgot or rewrote what it showed before without being caught.
 * The verifier key is pinned on first use (key.vkey beside the checkpoints): a new key is refused.
 */

/** `$XDG_CONFIG_HOME/accord/checkpoints`, else `~/.config/accord/checkpoints`. */
export function checkpointsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ACCORD_CHECKPOINTS_DIR || join(dirname(configFilePath(env)), 'checkpoints');
}

const KEY_FILE = 'key.vkey';
const LATEST = 'latest.note';

/**
 * The verifier key for a checkpoint file: `--key` (a vkey or a file holding one), else `<file>.vkey`, else
 * the key.vkey pinned in the file's directory, else the one pinned in the checkpoints directory.
 */
export function resolveKey(
  checkpointFile: string | undefined,
  key: string | undefined,
  dir = checkpointsDir(),
): VerifierKey {
  const candidates = key
    ? [key]
    : [
        ...(checkpointFile ? [`${checkpointFile}.vkey`, join(dirname(checkpointFile), KEY_FILE)] : []),
        join(dir, KEY_FILE),
      ];
  for (const c of candidates) {
    const text = c.includes('+') && !existsSync(c) ? c : existsSync(c) ? readFileSync(c, 'utf8') : undefined;
    if (text === undefined) continue;
    try {
      return parseVerifierKey(text);
    } catch (error) {
      throw new CliError(`${c}: ${(error as Error).message}`);
    }
  }
  throw new CliError(
    'no verifier key: pass --key, or run `accord audit checkpoint` once to pin the platform key',
  );
}

/** Opens a checkpoint note file with the key; a note that does not verify is a failure. */
export function readCheckpoint(file: string, key: VerifierKey): Checkpoint {
  const opened = openCheckpoint(readUserFile(file), key);
  if (!opened.ok) throw new CliError(`${file}: the checkpoint does not verify (${opened.reason})`);
  return opened.checkpoint;
}

export interface WitnessResult {
  size: number;
  root: string;
  saved: string[];
  /** The size of the checkpoint held before, now proved to be a prefix of this one. */
  consistentWith: number | null;
}

/** `accord audit checkpoint`: fetch, check against the pinned key and the previous checkpoint, save. */
export async function witnessCheckpoint(
  settings: ClientSettings,
  options: { out?: string; dir?: string },
): Promise<WitnessResult> {
  const dir = options.dir ?? checkpointsDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const served = String(await callApi<string>(settings, 'GET', '/audit/checkpoint/key')).trim();
  const keyFile = join(dir, KEY_FILE);
  if (existsSync(keyFile)) {
    const pinned = readFileSync(keyFile, 'utf8').trim();
    if (pinned !== served) {
      throw new CliError(
        `the server's checkpoint key changed (pinned ${pinned}, served ${served}): refusing; ` +
          'if the platform announced a new key, move key.vkey aside',
      );
    }
  } else writeFileSync(keyFile, `${served}\n`, { mode: 0o600 });
  const key = parseVerifierKey(served);
  const note = String(await callApi<string>(settings, 'GET', '/audit/checkpoint'));
  const opened = openCheckpoint(note, key);
  if (!opened.ok) throw new CliError(`the server's checkpoint does not verify (${opened.reason})`);
  const current = opened.checkpoint;

  let consistentWith: number | null = null;
  const latestFile = join(dir, LATEST);
  if (existsSync(latestFile)) {
    const previous = readCheckpoint(latestFile, key);
    if (previous.size > current.size) {
      throw new CliError(
        `the log shrank: the checkpoint held here has ${previous.size} events, the server now shows ${current.size}`,
      );
    }
    const reply = await callApi<{ proof: string[] }>(
      settings,
      'GET',
      `/audit/consistency?from=${previous.size}&to=${current.size}`,
    );
    const proof = reply.proof.map((h) => Buffer.from(h, 'base64'));
    if (!verifyConsistency(previous.size, current.size, previous.root, current.root, proof)) {
      throw new CliError(
        `the log at ${current.size} is not an extension of the checkpoint held here at ${previous.size}: ` +
          'keep both files, they are evidence',
      );
    }
    consistentWith = previous.size;
  }
  const saved = [join(dir, `checkpoint-${current.size}.note`), latestFile];
  if (options.out) saved.push(options.out);
  for (const f of saved) writeUserFile(f, note);
  if (options.out) writeUserFile(`${options.out}.vkey`, `${served}\n`);
  return { size: current.size, root: current.root.toString('base64'), saved, consistentWith };
}

export interface ProofFile {
  format: 'accord-inclusion-proof/1';
  event: RecordedEvent;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  proof: string[];
  checkpoint: string;
  verifierKey: string;
}

/** `accord audit prove <eventId>`: the event and its inclusion proof against a signed checkpoint. */
export async function proveEvent(settings: ClientSettings, eventId: string, out: string): Promise<ProofFile> {
  const reply = await callApi<Omit<ProofFile, 'format'> & { event?: RecordedEvent }>(
    settings,
    'GET',
    `/audit/events/${encodeURIComponent(eventId)}/proof`,
  );
  if (!reply.event)
    throw new CliError('the server sent the proof without the event (an auditor or IG lead can prove it)');
  const file: ProofFile = { format: 'accord-inclusion-proof/1', ...reply, event: reply.event };
  const verdict = verifyProofFile(file);
  if (!verdict.ok) throw new CliError(`the server's proof does not verify (${verdict.reason})`);
  writeUserFile(out, `${JSON.stringify(file, null, 2)}\n`);
  return file;
}

export type ProofVerdict =
  | { ok: true; eventId: string; leafIndex: number; treeSize: number; origin: string }
  | { ok: false; reason: string };

/**
 * Checks a proof file with nothing but itself (and, better, a key pinned beforehand): the checkpoint's
 * signature, the event's own chain hash, its leaf rebuilt from the event, and the path from the leaf to the
 * signed root.
 */
export function verifyProofFile(file: ProofFile, pinnedKey?: VerifierKey): ProofVerdict {
  let key: VerifierKey;
  try {
    key = pinnedKey ?? parseVerifierKey(file.verifierKey);
  } catch {
    return { ok: false, reason: 'bad-verifier-key' };
  }
  // A file is evidence handed around: one edited into other shapes is a proof that fails, not a crash.
  if (typeof file.checkpoint !== 'string') return { ok: false, reason: 'malformed-proof-file' };
  const opened = openCheckpoint(file.checkpoint, key);
  if (!opened.ok) return { ok: false, reason: `checkpoint-${opened.reason}` };
  const { size, root, origin } = opened.checkpoint;
  if (size !== file.treeSize) return { ok: false, reason: 'tree-size-mismatch' };
  const e = file.event;
  try {
    if (eventHash(e) !== e.meta.hash) return { ok: false, reason: 'event-hash-mismatch' };
    const leaf = eventLeafHash(e);
    if (leaf.toString('base64') !== file.leafHash) return { ok: false, reason: 'leaf-hash-mismatch' };
    const proof = file.proof.map((h) => Buffer.from(h, 'base64'));
    if (!verifyInclusion(leaf, file.leafIndex, size, proof, root))
      return { ok: false, reason: 'inclusion-proof-fails' };
  } catch {
    return { ok: false, reason: 'malformed-proof-file' };
  }
  return { ok: true, eventId: e.eventId, leafIndex: file.leafIndex, treeSize: size, origin };
}
