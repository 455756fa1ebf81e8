import type { EventStore } from '../event-store.port';

/** A checkpoint the platform signed, as kept (never as an event: signing one would grow the log it signs). */
export interface StoredCheckpoint {
  size: number;
  root: Buffer;
  /** The signed note, exactly as served. */
  note: string;
  signedAt: string;
}

/** One event's leaf as recomputed from the stored event, beside the leaf the tree holds for its index. */
export interface LeafCheck {
  index: number;
  position: number;
  eventId: string;
  streamId: string;
  revision: number;
  /** The event's stored hash (undefined when it cannot be read), to compare the stream heads with. */
  hash: string | undefined;
  /** The leaf hash of the event as it is stored now. */
  leaf: Buffer;
  /** The tree's leaf hash at this index; undefined when the tree has no leaf there. */
  stored: Buffer | undefined;
}

/**
 * The global log as an RFC 9162 Merkle tree, one leaf per event in log order: the SQLite adapter keeps it in
 * the append's own transaction; for KurrentDB the api keeps it beside the store (SubscribedMerkleLog).
 * Checkpoints are kept with it.
 */
export interface VerifiableLog {
  /** Leaves in the tree (events taken in). */
  treeSize(): Promise<number>;
  /** MTH of the first `size` leaves (default: all). */
  rootAt(size?: number): Promise<Buffer>;
  leafHash(index: number): Promise<Buffer>;
  inclusionProof(index: number, size: number): Promise<Buffer[]>;
  consistencyProof(from: number, to: number): Promise<Buffer[]>;
  /** The leaf index of an event, or undefined if the tree has not taken it in. */
  leafIndexOf(eventId: string): Promise<number | undefined>;
  saveCheckpoint(c: StoredCheckpoint): Promise<void>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  checkpointAt(size: number): Promise<StoredCheckpoint | undefined>;
  /** Every checkpoint kept, smallest size first. */
  checkpoints(): Promise<StoredCheckpoint[]>;
  /** Every stored event in log order, its leaf recomputed, beside the tree's leaf for its index, in pages. */
  recomputeLeaves(): AsyncIterable<LeafCheck[]>;
  /**
   * True when leaf i is the event at position i + 1 (SQLite: positions are the gap-free rowid), so a hole in
   * the positions is itself evidence of a deletion.
   */
  readonly gapFreePositions: boolean;
}

export const VERIFIABLE_LOG = Symbol('VERIFIABLE_LOG');

export function isVerifiableLog(x: unknown): x is VerifiableLog {
  return typeof (x as Partial<VerifiableLog> | null)?.consistencyProof === 'function';
}

/** A store that keeps its stream heads apart from the events (SQLite's `streams` table), to compare. */
export interface StreamHeadsTable {
  streamHeads(): AsyncIterable<{ streamId: string; revision: number; lastHash: string }[]>;
}

export function hasStreamHeads(store: EventStore | unknown): store is StreamHeadsTable {
  return typeof (store as Partial<StreamHeadsTable> | null)?.streamHeads === 'function';
}
