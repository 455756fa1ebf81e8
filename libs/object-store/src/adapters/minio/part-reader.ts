import type { Readable } from 'node:stream';
import { asBuffer } from '../../content-type';

/**
 * Cuts a byte stream into parts of exactly partSize bytes (the last one shorter), copying each chunk once.
 * A body shorter than one part comes out as one buffer of its own size, so small objects never take a
 * whole part buffer. Longer bodies fill buffers from `acquire`, which may make the reader wait until an
 * earlier part has been sent: that is the back-pressure that keeps memory at a few parts, whatever the
 * object's size. Ending the iteration early (break, throw) destroys the body, so an abandoned upload stops
 * reading.
 */
export async function* readParts(
  body: Readable,
  partSize: number,
  acquire: () => Promise<Buffer> | Buffer = () => Buffer.allocUnsafeSlow(partSize),
): AsyncGenerator<Buffer> {
  let gathered: Buffer[] = [];
  let gatheredBytes = 0;
  let part: Buffer | undefined;
  let filled = 0;
  let first = true;
  for await (const chunk of body) {
    let bytes = asBuffer(chunk);
    while (bytes.length > 0) {
      if (first && gatheredBytes + bytes.length < partSize) {
        gathered.push(bytes);
        gatheredBytes += bytes.length;
        break;
      }
      if (part === undefined) {
        part = await acquire();
        filled = 0;
        for (const g of gathered) filled += g.copy(part, filled);
        gathered = [];
        gatheredBytes = 0;
        first = false;
      }
      const n = bytes.copy(part, filled);
      filled += n;
      bytes = bytes.subarray(n);
      if (filled === partSize) {
        yield part;
        part = undefined;
      }
    }
  }
  if (part !== undefined && filled > 0) yield part.subarray(0, filled);
  else if (gatheredBytes > 0) yield Buffer.concat(gathered, gatheredBytes);
}

/**
 * A fixed set of part buffers reused for the parts of one upload. Without reuse every part is a fresh
 * 8 MiB allocation that only a garbage collection returns, and V8 collects on its own schedule: a 64 MiB
 * upload measured 88 MiB of RSS growth that way.
 */
export class PartBuffers {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((buffer: Buffer) => void)[] = [];
  private readonly ours = new Set<ArrayBufferLike>();

  constructor(
    private readonly partSize: number,
    private readonly max: number,
  ) {}

  acquire(): Promise<Buffer> {
    const reused = this.free.pop();
    if (reused) return Promise.resolve(reused);
    if (this.ours.size < this.max) {
      // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, so release can recognise it.
      const fresh = Buffer.allocUnsafeSlow(this.partSize);
      this.ours.add(fresh.buffer);
      return Promise.resolve(fresh);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Takes back a part (or a view of one) once nothing reads it any more; other buffers are ignored. */
  release(part: Buffer): void {
    if (!this.ours.has(part.buffer)) return;
    const whole = Buffer.from(part.buffer, 0, this.partSize);
    const next = this.waiting.shift();
    if (next) next(whole);
    else this.free.push(whole);
  }
}
