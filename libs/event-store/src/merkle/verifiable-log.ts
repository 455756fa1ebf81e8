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
 * The global log as an RFC 9162 Merkle tree, one leaf per event in log order: the SQLite and PostgreSQL
 * adapters keep it in the append's own transaction; for KurrentDB the api keeps it beside the store
 * (SubscribedMerkleLog).
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
  /**
   * What verification compares the events with, read at one instant (SQLite: in one synchronous turn, so no
   * append of this process falls between the reads): the tree's size, every kept checkpoint, the stream
   * heads where the store keeps them apart, and how far to read the events.
   */
  snapshot(): Promise<LogSnapshot>;
  /**
   * Every stored event in log order up to the snapshot (`upTo`), its leaf recomputed, beside the tree's leaf
   * for its index, in pages.
   */
  recomputeLeaves(upTo: LogSnapshot['upTo']): AsyncIterable<LeafCheck[]>;
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

export interface LogSnapshot {
  treeSize: number;
  checkpoints: StoredCheckpoint[];
  /**
   * Where the events to check end: the last position (SQLite: appends after it are not this check's), or a
   * count of events (a tree kept beside the store: events it has not taken in yet are lag, not tampering).
   */
  upTo: { position: number } | { events: number };
  /** The `streams` table (SQLite), to compare each stream's head with its last event. */
  streamHeads?: { streamId: string; revision: number; lastHash: string }[];
}
