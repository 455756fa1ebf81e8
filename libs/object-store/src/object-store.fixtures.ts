/*
 * Bodies for the contract suite: deterministic pseudo-random bytes made chunk by chunk, so a test can put
 * 64 MiB and check it came back without either side ever holding the whole object.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const MIB = 1024 * 1024;
const CHUNK = 64 * 1024;

export interface PatternOptions {
  /** Stop with this error once `afterBytes` have been handed out, as a client that disconnects does. */
  fail?: { afterBytes: number; error: Error };
  /** Called with each chunk's length before it is handed out (memory sampling). */
  onChunk?: (bytes: number) => void;
}

/** `size` bytes from seed; the same size and seed always give the same bytes. */
export function patternStream(size: number, seed: number, options: PatternOptions = {}): Readable {
  const next = generator(seed);
  let sent = 0;
  const limit = options.fail ? Math.min(size, options.fail.afterBytes) : size;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (sent >= limit) {
        if (options.fail) this.destroy(options.fail.error);
        else this.push(null);
        return;
      }
      const chunk = next(Math.min(CHUNK, limit - sent));
      sent += chunk.length;
      options.onChunk?.(chunk.length);
      this.push(chunk);
    },
  });
}

/** SHA-256 of patternStream(size, seed), computed without keeping the bytes. */
export function patternSha256(size: number, seed: number): string {
  const next = generator(seed);
  const hash = createHash('sha256');
  for (let done = 0; done < size;) {
    const chunk = next(Math.min(CHUNK, size - done));
    hash.update(chunk);
    done += chunk.length;
  }
  return hash.digest('hex');
}

/** Size and SHA-256 of what a stream yields, holding one chunk at a time. */
export async function digestStream(
  stream: Readable,
  onChunk?: (bytes: number) => void,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
    onChunk?.((chunk as Buffer).length);
  }
  return { size, sha256: hash.digest('hex') };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** xorshift32 over a fresh buffer per chunk (a chunk handed to a stream must not be reused). */
function generator(seed: number): (n: number) => Buffer {
  let state = seed >>> 0 || 0x9e3779b9;
  return (n) => {
    const words = new Uint32Array(Math.ceil(n / 4));
    for (let i = 0; i < words.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      words[i] = state >>> 0;
    }
    return Buffer.from(words.buffer, 0, n);
  };
}

/**
 * Peak RSS growth over a run, sampled right after a full garbage collection once per `everyBytes` streamed:
 * what the process holds, not the garbage V8 has yet to collect (without the collections, a store holding
 * 256 KiB measured over 30 MiB of growth for a 64 MiB body, all of it dead chunks). Counted in bytes, not
 * chunks: an HTTP body arrives in chunks of a few KiB, and a collection every 16 of those made the 64 MiB case
 * run ~500 collections (past 600 s under load 22, 2026-12-07); every 2 MiB is 64 samples for 128 MiB moved,
 * still 32 within any body that a store held whole.
 */
export function memoryProbe(everyBytes = 2 * MIB): {
  sample: (bytes: number) => void;
  peakGrowth: () => number;
} {
  // How jest's own leak detector reaches gc() in a process started without --expose-gc.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  let sinceSample = 0;
  return {
    sample(bytes) {
      sinceSample += bytes;
      if (sinceSample < everyBytes) return;
      sinceSample = 0;
      gc();
      peak = Math.max(peak, process.memoryUsage.rss());
    },
    peakGrowth: () => peak - baseline,
  };
}
