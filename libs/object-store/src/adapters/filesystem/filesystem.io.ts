// File-level steps of the filesystem store: streaming writes, fsync, the crash sweep.
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { FileHandle, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { asBuffer } from '../../content-type';
import { HEADER_SIZE } from './filesystem.layout';

/** Small reads are gathered into one write of about this size. */
const WRITE_BATCH_BYTES = 256 * 1024;
/**
 * A large body asks the kernel to start writing its pages back every this many bytes, while the rest is
 * still arriving, so the fsync that makes the object durable (put, after this) finds most of it on disk
 * already rather than all of it still to write (bench (i): most of a 100 MiB upload's time was that fsync).
 */
const WRITE_BACK_BYTES = 8 * 1024 * 1024;

/**
 * Streams the body into file after the header's place, hashing as it goes. One batch is written while the
 * next is read (never more than two batches held); every WRITE_BACK_BYTES a datasync runs beside the writes.
 * Neither is what makes the object durable: put's fsync after this is, as before.
 */
export async function writeBody(file: FileHandle, body: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  let position = HEADER_SIZE;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const background = new BackgroundSteps();
  let writeBackAt = HEADER_SIZE + WRITE_BACK_BYTES;
  const flush = async (): Promise<void> => {
    const buffers = batch;
    const at = position;
    position += batchBytes;
    batch = [];
    batchBytes = 0;
    await background.wait('write');
    background.start('write', writeAll(file, buffers, at));
    if (position >= writeBackAt && !background.running('sync')) {
      writeBackAt = position + WRITE_BACK_BYTES;
      background.start('sync', file.datasync());
    }
  };
  try {
    for await (const chunk of body) {
      const bytes = asBuffer(chunk);
      hash.update(bytes);
      size += bytes.length;
      batch.push(bytes);
      batchBytes += bytes.length;
      if (batchBytes >= WRITE_BATCH_BYTES) await flush();
    }
    if (batchBytes > 0) await flush();
  } catch (error) {
    // Never leave a write running on a file the caller is about to close and remove; the body's failure
    // (why we stopped) is the one reported.
    await background.settle().catch(() => undefined);
    throw error;
  }
  await background.settle();
  return { size, sha256: hash.digest('hex') };
}

/** At most one step of each kind in flight; a failed step is thrown by the next wait or by settle. */
class BackgroundSteps {
  private readonly steps = new Map<string, Promise<void>>();

  running(kind: string): boolean {
    return this.steps.has(kind);
  }

  start(kind: string, step: Promise<unknown>): void {
    // A step that failed stays, so the next wait or settle throws its error.
    const settled = step.then(() => {
      if (this.steps.get(kind) === settled) this.steps.delete(kind);
    });
    // Handled here so a failure between waits is not an unhandled rejection; wait/settle rethrow it.
    settled.catch(() => undefined);
    this.steps.set(kind, settled);
  }

  async wait(kind: string): Promise<void> {
    await this.steps.get(kind);
  }

  async settle(): Promise<void> {
    const results = await Promise.allSettled([...this.steps.values()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** writev may write less than asked (a full disk, a signal); carry on from where it stopped. */
export async function writeAll(file: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let pending = buffers.filter((b) => b.length > 0);
  while (pending.length > 0) {
    const { bytesWritten } = await file.writev(pending, position);
    position += bytesWritten;
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const b of pending) {
      if (skip >= b.length) skip -= b.length;
      else {
        rest.push(skip > 0 ? b.subarray(skip) : b);
        skip = 0;
      }
    }
    pending = rest;
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function sweepTempFiles(tempDir: string, graceMs: number): number {
  const cutoff = Date.now() - graceMs;
  let swept = 0;
  for (const name of readdirSync(tempDir)) {
    const path = join(tempDir, name);
    try {
      if (statSync(path).mtimeMs < cutoff) {
        rmSync(path, { force: true, recursive: true });
        swept++;
      }
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
  return swept;
}

export async function readdirOrEmpty(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** ENOTDIR: a path component is a file, so the object cannot exist either. */
export function isMissing(err: unknown): boolean {
  const code = errnoOf(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
