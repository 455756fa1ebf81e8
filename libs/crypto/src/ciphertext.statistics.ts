/**
 * Does a run of bytes look like the output of a cipher? The server cannot decrypt a pre-encrypted upload,
 * so this is the one check it has that the body of an encrypted data packet is not cleartext dressed up as
 * one (docs/security.md, issue 12). Two tests per window, each refusing only when the chance that uniformly
 * random bytes score as badly is below e^-30 (about 1e-13):
 *
 * - collisions: C = Σ n_i(n_i - 1)/2 over the 256 byte values, equivalent to Pearson's chi-square
 *   (X² = 512·C/n + 256 - n). For random bytes C is close to Poisson with mean λ = n(n-1)/512, so the
 *   Chernoff bound e^-λ (eλ/c)^c bounds its upper tail; for large windows the chi-square tail is heavier
 *   than that bound, so X² must also exceed its mean by 12 standard deviations.
 * - text: the share of bytes that are printable ASCII, tab, CR or LF (98 of 256 values) against the
 *   binomial Chernoff bound. It catches short cleartext the collision test is too weak for.
 *
 * Compressed data (gzip, zip, PNG, JPEG) is near-uniform and passes both: only a known file signature where
 * the ciphertext starts is caught (see fileSignatureAt). That is a limit of any statistical test.
 */

export const WINDOW_BYTES = 4096;
/** ln of the per-test false-refusal bound for random bytes. */
const LOG_ALPHA = -30;
const PRINTABLE_P = 98 / 256;
const PRINTABLE = new Uint8Array(256);
for (let b = 0x20; b <= 0x7e; b += 1) PRINTABLE[b] = 1;
PRINTABLE[0x09] = PRINTABLE[0x0a] = PRINTABLE[0x0d] = 1;

export type WindowVerdict =
  | { random: true }
  | { random: false; test: 'collisions' | 'text'; chiSquare: number; printableShare: number };

/** Judges one window from its byte histogram (256 counts) and its length. */
export function judgeWindow(counts: Uint32Array, n: number): WindowVerdict {
  if (n === 0) return { random: true };
  let collisions = 0;
  let printable = 0;
  for (let b = 0; b < 256; b += 1) {
    const o = counts[b]!;
    collisions += (o * (o - 1)) / 2;
    if (PRINTABLE[b]) printable += o;
  }
  const chiSquare = (512 * collisions) / n + 256 - n;
  const printableShare = printable / n;
  const lambda = (n * (n - 1)) / 512;
  const sd = Math.sqrt((510 * (n - 1)) / n);
  if (collisions > lambda && poissonLogTail(lambda, collisions) < LOG_ALPHA && chiSquare > 255 + 12 * sd)
    return { random: false, test: 'collisions', chiSquare, printableShare };
  if (printableShare > PRINTABLE_P && -n * kl(printableShare, PRINTABLE_P) < LOG_ALPHA)
    return { random: false, test: 'text', chiSquare, printableShare };
  return { random: true };
}

/** The byte histogram of a buffer (tests and measurements). */
export function histogram(bytes: Uint8Array, counts = new Uint32Array(256)): Uint32Array {
  for (let i = 0; i < bytes.length; i += 1) counts[bytes[i]!]! += 1;
  return counts;
}

/** ln of the Chernoff bound on P(X ≥ c) for X ~ Poisson(λ), c > λ. */
function poissonLogTail(lambda: number, c: number): number {
  if (lambda === 0) return c > 0 ? -Infinity : 0;
  return -lambda + c + c * Math.log(lambda / c);
}

/** Kullback-Leibler divergence of Bernoulli(q) from Bernoulli(p). */
function kl(q: number, p: number): number {
  const a = q === 0 ? 0 : q * Math.log(q / p);
  const b = q === 1 ? 0 : (1 - q) * Math.log((1 - q) / (1 - p));
  return a + b;
}

/**
 * File formats whose signature at the very start of the "ciphertext" gives away a file sent in clear.
 * Only signatures of four bytes or more, so that random ciphertext matches one by chance at most once in
 * about 2^27 messages.
 */
const SIGNATURES: readonly (readonly [name: string, bytes: readonly number[]])[] = [
  ['gzip', [0x1f, 0x8b, 0x08]], // plus a flags octet below 0x20, checked below
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['png', [0x89, 0x50, 0x4e, 0x47]],
  ['pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['jpeg', [0xff, 0xd8, 0xff, 0xe0]],
  ['jpeg', [0xff, 0xd8, 0xff, 0xe1]],
  ['jpeg', [0xff, 0xd8, 0xff, 0xdb]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['bzip2', [0x42, 0x5a, 0x68, 0x39]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf]],
  ['ole2', [0xd0, 0xcf, 0x11, 0xe0]],
];

/** The name of a known file signature at `at`, if one is there. */
export function fileSignatureAt(bytes: Uint8Array, at: number): string | undefined {
  for (const [name, signature] of SIGNATURES) {
    if (at + signature.length > bytes.length) continue;
    if (!signature.every((b, i) => bytes[at + i] === b)) continue;
    if (name === 'gzip' && (bytes[at + 3] === undefined || bytes[at + 3]! >= 0x20)) continue;
    return name;
  }
  return undefined;
}
