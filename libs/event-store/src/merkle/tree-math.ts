import { createHash } from 'node:crypto';
import { sha256Digest, sha256Latin1 } from '../sha256';

/**
 * The Merkle tree maths of RFC 9162 section 2.1, with no storage: hashing, roots, the compact range kept as
 * the log grows, and inclusion and consistency proofs (generated from any source of perfect-subtree hashes,
 * and verified from nothing but the proof). Written from the RFC's definitions; merkle.spec.ts checks every
 * function against a naive recursive MTH for every tree size up to 64 and every pair of sizes.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
export const HASH_BYTES = 32;

/** MTH({d}) = SHA-256(0x00 || d): the prefix keeps a leaf from ever hashing like an interior node. */
export function leafHash(bytes: Buffer | string): Buffer {
  // Every append hashes one leaf per event: for text, U+0000 is the one byte 0x00 in UTF-8, so one call.
  if (typeof bytes === 'string') return sha256Digest('\u0000' + bytes);
  return createHash('sha256').update(LEAF_PREFIX).update(bytes).digest();
}

/** 0x01 ‖ left ‖ right, assembled in one reused buffer: an append hashes about one node per event. */
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES, 0x01);

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length === HASH_BYTES && right.length === HASH_BYTES) {
    left.copy(nodeInput, 1);
    right.copy(nodeInput, 1 + HASH_BYTES);
    return sha256Digest(nodeInput);
  }
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * nodeHash of two digests held as latin1 strings (one code unit per byte), giving one: how CompactRange keeps
 * and makes them, so an append's node hash allocates no Buffer (docs/architecture.md §37.14).
 */
export function nodeDigest(left: string, right: string): string {
  nodeInput.write(left, 1, 'latin1');
  nodeInput.write(right, 1 + HASH_BYTES, 'latin1');
  return sha256Latin1(nodeInput);
}

/** MTH({}) = SHA-256() (RFC 9162 2.1.1). */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** The largest power of two strictly less than n (n > 1): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** MTH of a list of leaf hashes, by the RFC's recursive definition (kept for tests and small trees). */
export function rootFromLeaves(leaves: readonly Buffer[]): Buffer {
  return leaves.length === 0 ? EMPTY_ROOT : subtreeFromLeaves(leaves, 0, leaves.length);
}

function subtreeFromLeaves(leaves: readonly Buffer[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 1) return leaves[start]!;
  const k = splitPoint(n);
  return nodeHash(subtreeFromLeaves(leaves, start, start + k), subtreeFromLeaves(leaves, start + k, end));
}

/**
 * Where the hash of a perfect subtree can be found: the subtree of 2^level leaves starting at leaf
 * index * 2^level. A store keeps these (SQLite: with the leaf that completes them), so proofs read at most
 * about 2·log2(n) of them.
 */
export type PerfectSubtree = (level: number, index: number) => Buffer;

/**
 * MTH(D[start:end]) for a range whose start is a multiple of the largest power of two not above its
 * length, which is every range the RFC's PATH and SUBPROOF visit: split as MTH does until each part is a
 * perfect, aligned subtree.
 */
export function rangeHash(perfect: PerfectSubtree, start: number, end: number): Buffer {
  const n = end - start;
  if (isPowerOfTwo(n) && start % n === 0) return perfect(Math.log2(n), start / n);
  const k = splitPoint(n);
  return nodeHash(rangeHash(perfect, start, start + k), rangeHash(perfect, start + k, end));
}

/** PATH(m, D[0:n]) of RFC 9162 2.1.3.1, leaf to root. */
export function inclusionProof(perfect: PerfectSubtree, index: number, size: number): Buffer[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  }
  const path: Buffer[] = [];
  // Walk down from the root collecting the sibling of each subtree that holds the leaf; reversed at the end.
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      path.push(rangeHash(perfect, start + k, end));
      end = start + k;
    } else {
      path.push(rangeHash(perfect, start, start + k));
      start += k;
    }
  }
  return path.reverse();
}

/** PROOF(m, D[0:n]) of RFC 9162 2.1.4.1 (SUBPROOF with b = true); empty when m is 0 or m = n. */
export function consistencyProof(perfect: PerfectSubtree, m: number, n: number): Buffer[] {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) {
    throw new RangeError(`no consistency proof from ${m} to ${n}`);
  }
  if (m === 0 || m === n) return [];
  const proof: Buffer[] = [];
  let start = 0;
  let end = n;
  let mm = m;
  let whole = true;
  // SUBPROOF(mm, D[start:end], whole), unrolled: each step adds one hash, collected root-first.
  for (;;) {
    const size = end - start;
    if (mm === size) {
      if (!whole) proof.push(rangeHash(perfect, start, end));
      break;
    }
    const k = splitPoint(size);
    if (mm <= k) {
      proof.push(rangeHash(perfect, start + k, end));
      end = start + k;
    } else {
      proof.push(rangeHash(perfect, start, start + k));
      start += k;
      mm -= k;
      whole = false;
    }
  }
  return proof.reverse();
}

/** RFC 9162 2.1.3.2: true when `proof` shows leaf `index` with hash `leaf` in the tree of `size` with `root`. */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // A right-edge node with no right sibling at these levels: climb until the node is a right child.
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 2.1.4.2: true when `proof` shows the tree of `m` leaves with `rootM` is a prefix of the tree of
 * `n` leaves with `rootN`. m = 0 is consistent with anything; m = n needs equal roots and an empty proof.
 */
export function verifyConsistency(
  m: number,
  n: number,
  rootM: Buffer,
  rootN: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (m === 0) return proof.length === 0;
  if (m === n) return proof.length === 0 && rootM.equals(rootN);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(rootM) && sr.equals(rootN) && sn === 0;
}

/**
 * The compact range [0, size): the roots of the perfect subtrees that make up a tree of `size` leaves,
 * largest (leftmost) first, one per set bit of size. Appending a leaf merges equal-sized subtrees like a
 * binary counter carries, and each merge is a perfect subtree completed by that leaf: append() returns
 * them, which is what a store keeps to serve proofs later.
 *
 * Hashes go in and out of append() as latin1 strings (32 code units, one per byte: `buf.toString('latin1')`
 * and `Buffer.from(s, 'latin1')` convert): an append makes about two hashes per event, and as strings they
 * cost no Buffer each, where the row a store writes needs one Buffer for all of them (§37.14).
 */
export class CompactRange {
  private constructor(
    private readonly digests: string[],
    private n: number,
  ) {}

  static empty(): CompactRange {
    return new CompactRange([], 0);
  }

  /** From the stored perfect subtrees of a tree of `size` leaves (one lookup per set bit). */
  static at(size: number, perfect: PerfectSubtree): CompactRange {
    const digests: string[] = [];
    let start = 0;
    for (let level = Math.floor(Math.log2(Math.max(size, 1))); level >= 0; level--) {
      const width = 2 ** level;
      if (size - start >= width) {
        digests.push(perfect(level, start / width).toString('latin1'));
        start += width;
      }
    }
    return new CompactRange(digests, size);
  }

  get size(): number {
    return this.n;
  }

  clone(): CompactRange {
    return new CompactRange([...this.digests], this.n);
  }

  /**
   * Adds a leaf (its hash, latin1); returns that hash followed by the perfect subtrees it completed, level 1
   * upwards, as one latin1 string of 32 bytes each: the row a store keeps for the leaf.
   */
  append(leaf: string): string {
    let h = leaf;
    let row = leaf;
    for (let n = this.n; n % 2 === 1; n = Math.floor(n / 2)) {
      h = nodeDigest(this.digests.pop()!, h);
      row += h;
    }
    this.digests.push(h);
    this.n += 1;
    return row;
  }

  /** MTH of the whole range: the subtrees folded right to left, as MTH splits at the largest power of two. */
  root(): Buffer {
    if (this.digests.length === 0) return EMPTY_ROOT;
    let r = this.digests[this.digests.length - 1]!;
    for (let i = this.digests.length - 2; i >= 0; i--) r = nodeDigest(this.digests[i]!, r);
    return Buffer.from(r, 'latin1');
  }
}
