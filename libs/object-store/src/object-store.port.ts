import type { Readable } from 'node:stream';
import { DestructionUnconfirmedError } from './errors';

export interface PutOptions {
  contentType?: string;
  /**
   * Lower-case hex SHA-256 the body must have. On a mismatch nothing is stored (not even briefly visible
   * where the adapter can help it) and ChecksumMismatchError is thrown.
   */
  expectedSha256?: string;
}

export interface PutResult {
  key: string;
  /** Bytes stored. */
  size: number;
  /** Lower-case hex SHA-256 of the bytes stored, computed while they streamed through. */
  sha256: string;
}

export interface ObjectHead {
  size: number;
  /** Absent only for an object written outside this port (or whose checksum could not be recorded). */
  sha256?: string;
  contentType?: string;
  lastModified: Date;
}

export interface ObjectListing {
  key: string;
  size: number;
  lastModified: Date;
}

export interface ObjectStoreHealth {
  ok: boolean;
  adapter: string;
  region: string;
  detail?: string;
}

/**
 * Where encrypted payloads live (docs/architecture.md §3, §4). Bodies always stream: no adapter holds a
 * whole object in memory, so a 1 GiB document costs a bounded buffer, not 1 GiB.
 *
 * Keys: 1..1024 characters of [A-Za-z0-9/._-], '/'-separated non-empty segments, no segment starting with
 * '.' (those names are the stores' own) and no '..' anywhere. Put the high-cardinality part of a key in its
 * last segment (`documents/<id>`): the filesystem store shards that segment, not the directories above it.
 */
export interface ObjectStore {
  readonly adapter: string;
  /**
   * The storage region, checked against the UK allow-list before anything is shared (docs/architecture.md
   * §9.4).
   */
  readonly region: string;
  /** Stores the body under key, replacing any object there; visible to get/head/list only once complete. */
  put(key: string, body: Readable, options?: PutOptions): Promise<PutResult>;
  /** The object's bytes; ObjectNotFoundError when there is none. */
  get(key: string): Promise<Readable>;
  head(key: string): Promise<ObjectHead | null>;
  /**
   * Idempotent. Where the store keeps versions, every version and delete marker goes (docs/architecture.md
   * §18.6).
   */
  delete(key: string): Promise<void>;
  /**
   * True when nothing of key is left: no object and, where the store keeps versions, no version and no
   * delete marker. Throws DestructionUnconfirmedError when it cannot tell (versioning state unknown, a
   * listing refused): a caller recording a destruction fails closed on it. See destroyConfirmed().
   */
  isAbsent(key: string): Promise<boolean>;
  /**
   * Checks, before first use, that the store can be used as configured, and learns what it reports about
   * itself (an S3 bucket's region). Throws ObjectStoreMisconfiguredError with one line for the operator;
   * ObjectStoreUnavailableError when it cannot be reached (the check is then repeated on first use).
   */
  open(): Promise<void>;
  /** Objects whose key starts with prefix ('' for all), in no promised order. */
  list(prefix: string): AsyncIterable<ObjectListing>;
  health(): Promise<ObjectStoreHealth>;
  /** Further calls reject with ObjectStoreUnavailableError; streams already handed out keep flowing. */
  close(): Promise<void>;
}

export const OBJECT_STORE = Symbol('OBJECT_STORE');

/**
 * Deletes every version of key, then confirms nothing is left (docs/architecture.md §7): resolves only when
 * the store says so. A destruction it cannot confirm throws (DestructionUnconfirmedError, or the delete's
 * own error), so the caller never records PayloadDestroyed for a payload that may still be there.
 */
export async function destroyConfirmed(store: ObjectStore, key: string): Promise<void> {
  // A failing delete throws as it is (an unavailable store, a refused version): nothing is confirmed.
  await store.delete(key);
  if (!(await store.isAbsent(key))) throw new DestructionUnconfirmedError(key, 'still present after delete');
}
