import { createHash } from 'node:crypto';
import {
  CompactRange,
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  nodeHash,
  PerfectSubtree,
  rangeHash,
  rootFromLeaves,
  verifyConsistency,
  verifyInclusion,
} from './tree-math';

/*
 * An independent, deliberately naive rendering of RFC 9162 2.1 straight from its recursive definitions
 * (hashing done here with createHash on concatenated buffers, not with tree-math's helpers), against which
 * the incremental and proof code is checked for every size 1..64 and every pair m <= n.
 */
const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const naiveLeaf = (d: Buffer): Buffer => sha(Buffer.from([0]), d);
function k(n: number): number {
  let p = 1;
  while (p << 1 < n) p <<= 1;
  return p;
}
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return naiveLeaf(d[0]!);
  const s = k(d.length);
  return sha(Buffer.from([1]), mth(d.slice(0, s)), mth(d.slice(s)));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s
    ? [...path(m, d.slice(0, s)), mth(d.slice(s))]
    : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s
    ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

const data = Array.from({ length: 64 }, (_, i) => Buffer.from(`event ${i} ${'x'.repeat(i % 7)}`));
const leaves = data.map((d) => leafHash(d));
/** Perfect subtrees computed from the leaves, as a store would have kept them. */
const perfect: PerfectSubtree = (level, index) =>
  rootFromLeaves(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level));
const hex = (bs: Buffer[]): string[] => bs.map((b) => b.toString('hex'));

describe('RFC 9162 Merkle tree maths', () => {
  it('hashes leaves and nodes with the 0x00 / 0x01 prefixes and the empty tree as SHA-256()', () => {
    expect(leafHash(Buffer.from('abc')).equals(sha(Buffer.from([0]), Buffer.from('abc')))).toBe(true);
    // Text takes the one-shot path: the same bytes hashed (UTF-8, a non-ASCII character included).
    expect(leafHash('abc é').equals(sha(Buffer.from([0]), Buffer.from('abc é')))).toBe(true);
    expect(nodeHash(leaves[0]!, leaves[1]!).equals(sha(Buffer.from([1]), leaves[0]!, leaves[1]!))).toBe(true);
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    // A two-leaf tree's root, written out by hand.
    expect(rootFromLeaves(leaves.slice(0, 2)).equals(sha(Buffer.from([1]), leaves[0]!, leaves[1]!))).toBe(
      true,
    );
  });

  it('computes the root of every size 0..64 as the recursive MTH does, incrementally and from leaves', () => {
    const range = CompactRange.empty();
    expect(range.root().equals(mth([]))).toBe(true);
    for (let n = 1; n <= 64; n++) {
      range.append(leaves[n - 1]!.toString('latin1'));
      const expected = mth(data.slice(0, n));
      expect(range.size).toBe(n);
      expect(range.root().equals(expected)).toBe(true);
      expect(rootFromLeaves(leaves.slice(0, n)).equals(expected)).toBe(true);
      expect(rangeHash(perfect, 0, n).equals(expected)).toBe(true);
      // Rebuilt from stored subtrees, the range goes on as if it had never stopped.
      const reopened = CompactRange.at(n, perfect);
      expect(reopened.root().equals(expected)).toBe(true);
    }
  });

  it('returns from append exactly the perfect subtrees each leaf completes', () => {
    const range = CompactRange.empty();
    for (let i = 0; i < 64; i++) {
      const row = Buffer.from(range.append(leaves[i]!.toString('latin1')), 'latin1');
      const completed = Array.from({ length: row.length / 32 }, (_, k) => row.subarray(32 * k, 32 * (k + 1)));
      completed.forEach((h, level) => {
        const index = (i + 1) / 2 ** level - 1;
        expect(Number.isInteger(index)).toBe(true);
        expect(h.equals(perfect(level, index))).toBe(true);
      });
      // Leaf i completes one subtree per trailing one bit of i, plus the leaf itself.
      let ones = 0;
      for (let x = i; x % 2 === 1; x >>= 1) ones++;
      expect(completed).toHaveLength(ones + 1);
    }
  });

  it('generates and verifies an inclusion proof of every leaf in every tree size 1..64', () => {
    for (let n = 1; n <= 64; n++) {
      const root = mth(data.slice(0, n));
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(perfect, m, n);
        expect(hex(proof)).toEqual(hex(path(m, data.slice(0, n))));
        expect(verifyInclusion(leaves[m]!, m, n, proof, root)).toBe(true);
        // Any other leaf, index, size or root fails.
        expect(verifyInclusion(leaves[(m + 1) % 64]!, m, n, proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(leaves[m]!, (m + 1) % n, n, proof, root)).toBe(false);
        // (The size itself is bound by the signed checkpoint, not the proof: a proof may fit more than one size.)
        expect(verifyInclusion(leaves[m]!, m, n, proof, EMPTY_ROOT)).toBe(false);
        if (proof.length > 0) {
          expect(verifyInclusion(leaves[m]!, m, n, proof.slice(1), root)).toBe(false);
          const flipped = proof.map((p, i) => (i === proof.length - 1 ? leafHash(p) : p));
          expect(verifyInclusion(leaves[m]!, m, n, flipped, root)).toBe(false);
        }
      }
    }
    expect(() => inclusionProof(perfect, 5, 5)).toThrow(RangeError);
    expect(verifyInclusion(leaves[0]!, 0, 0, [], EMPTY_ROOT)).toBe(false);
  });

  it('generates and verifies a consistency proof for every pair 0 <= m <= n <= 64', () => {
    for (let n = 1; n <= 64; n++) {
      const rootN = mth(data.slice(0, n));
      for (let m = 0; m <= n; m++) {
        const rootM = mth(data.slice(0, m));
        const proof = consistencyProof(perfect, m, n);
        const expected = m === 0 || m === n ? [] : subproof(m, data.slice(0, n), true);
        expect(hex(proof)).toEqual(hex(expected));
        expect(verifyConsistency(m, n, rootM, rootN, proof)).toBe(true);
        if (m > 0 && m < n) {
          // A different old root (a rewritten prefix), a different new root, or a wrong size fails.
          expect(verifyConsistency(m, n, leafHash(rootM), rootN, proof)).toBe(false);
          expect(verifyConsistency(m, n, rootM, leafHash(rootN), proof)).toBe(false);
          expect(verifyConsistency(m, n, rootM, rootN, proof.slice(0, -1))).toBe(false);
        }
      }
    }
    expect(verifyConsistency(3, 3, leaves[0]!, leaves[1]!, [])).toBe(false);
    expect(verifyConsistency(4, 3, leaves[0]!, leaves[0]!, [])).toBe(false);
  });

  it('tells a tree whose prefix was rewritten from its true extension', () => {
    const rewritten = [...data.slice(0, 40)];
    rewritten[17] = Buffer.from('event 17 rewritten');
    const oldRoot = mth(data.slice(0, 20));
    const forged = rewritten.map((d) => leafHash(d));
    const forgedPerfect: PerfectSubtree = (level, index) =>
      rootFromLeaves(forged.slice(index * 2 ** level, (index + 1) * 2 ** level));
    const proof = consistencyProof(forgedPerfect, 20, 40);
    expect(verifyConsistency(20, 40, oldRoot, mth(rewritten), proof)).toBe(false);
  });
});
