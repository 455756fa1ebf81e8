import { Checkpoint, openCheckpoint, VerifierKey } from './checkpoint-note';
import { CompactRange, verifyConsistency } from './tree-math';
import { VerifiableLog } from './verifiable-log';

/** Why the log is not what was signed, or not what the store's own bookkeeping says. */
export type LogProblemReason =
  /** A leaf rebuilt from the stored event is not the tree's leaf at its index (edited, moved, deleted). */
  | 'leaf-mismatch'
  /** Positions are not 1, 2, 3...: an event was deleted or moved. */
  | 'position-gap'
  /** The tree holds more (or fewer) leaves than there are events: the log lost its tail, or gained rows. */
  | 'tree-size-mismatch'
  /** The root of the stored tree is not the root of the events. */
  | 'tree-root-mismatch'
  /** A kept checkpoint's signature fails under the platform's key. */
  | 'checkpoint-bad-signature'
  /** A kept checkpoint covers more events than the log holds. */
  | 'checkpoint-beyond-log'
  /** A kept checkpoint's root is not the root of the events at its size. */
  | 'checkpoint-root-mismatch'
  /** A stream's head in the `streams` table is not its last event (or has no events, or is missing). */
  | 'stream-head-mismatch'
  /** The held checkpoint is larger than the log. */
  | 'held-checkpoint-larger-than-log'
  /** The events at the held checkpoint's size do not have its root. */
  | 'held-checkpoint-root-mismatch'
  /** The stored tree's consistency proof from the held checkpoint does not verify. */
  | 'held-checkpoint-inconsistent';

export interface LogProblem {
  reason: LogProblemReason;
  /** The leaf index, checkpoint size or stream concerned, where there is one. */
  index?: number;
  position?: number;
  eventId?: string;
  streamId?: string;
  size?: number;
}

export interface LogVerifyResult {
  ok: boolean;
  /** Events read from the store (the leaves rebuilt). */
  leaves: number;
  /** Leaves the stored tree holds. */
  treeSize: number;
  /** Root of the tree rebuilt from the events, base64. */
  root: string;
  checkpointsChecked: number;
  /** The newest checkpoint the platform kept, if any: its size. */
  latestCheckpointSize: number | null;
  streamHeadsChecked: number;
  /** The first problem of each kind, in the order met. */
  problems: LogProblem[];
}

export interface VerifyLogOptions {
  /** The platform's verifier key: every kept checkpoint must be signed by it. */
  key: VerifierKey;
  /** A checkpoint a witness holds (already opened with the key): the log must extend it. */
  held?: Checkpoint;
}

/**
 * The log against its tree, its checkpoints and its stream heads, in one pass over the events: every leaf
 * rebuilt from the stored event and compared with the stored tree, the root of the rebuilt tree compared
 * with every checkpoint the platform signed (at that checkpoint's size, as the pass goes by it) and with a
 * checkpoint a witness holds, and the `streams` table compared with each stream's last event. Memory: the
 * compact range, the checkpoints, one entry per stream.
 *
 * What this cannot see without a held checkpoint: a log rewritten whole by someone who also re-signs every
 * checkpoint (they hold the key). A witness's checkpoint is what catches that.
 */
export async function verifyLog(log: VerifiableLog, options: VerifyLogOptions): Promise<LogVerifyResult> {
  const problems: LogProblem[] = [];
  const seen = new Set<LogProblemReason>();
  const report = (p: LogProblem): void => {
    if (seen.has(p.reason)) return;
    seen.add(p.reason);
    problems.push(p);
  };

  const snap = await log.snapshot();
  const kept = snap.checkpoints;
  const targets = new Map<number, { root: Buffer; reason: LogProblemReason }[]>();
  const target = (size: number, root: Buffer, reason: LogProblemReason): void => {
    const list = targets.get(size) ?? [];
    list.push({ root, reason });
    targets.set(size, list);
  };
  for (const c of kept) {
    const opened = openCheckpoint(c.note, options.key);
    if (!opened.ok || opened.checkpoint.size !== c.size || !opened.checkpoint.root.equals(c.root)) {
      report({ reason: 'checkpoint-bad-signature', size: c.size });
      continue;
    }
    target(c.size, c.root, 'checkpoint-root-mismatch');
  }
  if (options.held) target(options.held.size, options.held.root, 'held-checkpoint-root-mismatch');

  const range = CompactRange.empty();
  const checkAt = (): void => {
    for (const t of targets.get(range.size) ?? []) {
      if (!range.root().equals(t.root)) report({ reason: t.reason, size: range.size });
    }
  };
  checkAt();
  const heads = new Map<string, { revision: number; hash: string | undefined }>();
  for await (const page of log.recomputeLeaves(snap.upTo)) {
    for (const c of page) {
      const at = { index: c.index, position: c.position, eventId: c.eventId, streamId: c.streamId };
      if (log.gapFreePositions && c.position !== c.index + 1) report({ reason: 'position-gap', ...at });
      if (!c.stored || !c.stored.equals(c.leaf)) report({ reason: 'leaf-mismatch', ...at });
      heads.set(c.streamId, { revision: c.revision, hash: c.hash });
      range.append(c.leaf.toString('latin1'));
      checkAt();
    }
  }
  const n = range.size;
  const root = range.root();

  const treeSize = snap.treeSize;
  if (treeSize !== n) report({ reason: 'tree-size-mismatch', size: treeSize });
  else {
    try {
      if (!(await log.rootAt(n)).equals(root)) report({ reason: 'tree-root-mismatch', size: n });
    } catch {
      report({ reason: 'tree-root-mismatch', size: n });
    }
  }
  for (const c of kept) if (c.size > n) report({ reason: 'checkpoint-beyond-log', size: c.size });

  const held = options.held;
  if (held) {
    if (held.size > n) report({ reason: 'held-checkpoint-larger-than-log', size: held.size });
    // The platform's own proof, from its stored tree, must take the held root to the stored root.
    else if (!(await storedTreeExtends(log, held, treeSize))) {
      report({ reason: 'held-checkpoint-inconsistent', size: held.size });
    }
  }

  let streamHeadsChecked = 0;
  if (snap.streamHeads) {
    for (const row of snap.streamHeads) {
      streamHeadsChecked++;
      const head = heads.get(row.streamId);
      if (!head || head.revision !== row.revision || head.hash !== row.lastHash) {
        report({ reason: 'stream-head-mismatch', streamId: row.streamId });
      }
      heads.delete(row.streamId);
    }
    // A stream with events but no head row.
    const [orphan] = heads.keys();
    if (orphan !== undefined) report({ reason: 'stream-head-mismatch', streamId: orphan });
  }

  return {
    ok: problems.length === 0,
    leaves: n,
    treeSize,
    root: root.toString('base64'),
    checkpointsChecked: kept.length,
    latestCheckpointSize: kept.length > 0 ? kept[kept.length - 1]!.size : null,
    streamHeadsChecked,
    problems,
  };
}

async function storedTreeExtends(log: VerifiableLog, held: Checkpoint, treeSize: number): Promise<boolean> {
  if (held.size > treeSize) return false;
  try {
    const proof = await log.consistencyProof(held.size, treeSize);
    return verifyConsistency(held.size, treeSize, held.root, await log.rootAt(treeSize), proof);
  } catch {
    return false;
  }
}
