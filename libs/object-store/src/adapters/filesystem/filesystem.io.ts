// File-level steps of the filesystem store: streaming writes, fsync, the crash sweep.
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { FileHandle, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { asBuffer } from '../../content-type';
import { HEADER_SIZE } from './filesystem.layout';

/**
 * Small reads are gathered into one write of about this size: each write is a hand-off to the thread pool
 * (a wake-up and a switch on a loaded machine), so a large upload's 64 KiB socket reads go out 16 to a write.
 * At 256 KiB the api spent 0.3-0.5 ms more CPU per MiB of a 100 MiB upload (docs/architecture.md §37.10).
 */
const WRITE_BATCH_BYTES = 1024 * 1024;
/**
 * A large body asks the kernel to start writing its pages back every this many bytes, while the rest is
 * still arriving, so the fsync that makes the object durable (put, after this) finds most of it on disk
 * already rather than all of it still to write (bench (i): most of a 100 MiB upload's time was that fsync).
 */
const WRITE_BACK_BYTES = 8 * 1024 * 1024;

/**
 * Streams the body into file after the header's place, hashing as it goes. One batch is written while the
 * next is read (never more than two batches held); every WRITE_BACK_BYTES a datasync runs beside the writes.
 * Neither is what makes the object durable: put's fsync after this is, as before. Once the body has ended,
 * `header` (given its size and digest; it may throw to refuse the body) is written at offset 0: together with
 * the last batch in one writev when nothing was written before it, which is every body smaller than a batch,
 * so a small object costs one write rather than two.
 */
export async function writeBody(
  file: FileHandle,
  body: Readable,
  header: (size: number, sha256: string) => Buffer,
): Promise<{ size: number; sha256: string }> {
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
    // A body smaller than a batch stays in memory and goes out with the header in one writev below.
    if (position > HEADER_SIZE && batchBytes > 0) await flush();
  } catch (error) {
    // Never leave a write running on a file the caller is about to close and remove; the body's failure
    // (why we stopped) is the one reported.
    await background.settle().catch(() => undefined);
    throw error;
  }
  await background.settle();
  const sha256 = hash.digest('hex');
  const head = header(size, sha256);
  // Nothing was flushed (a small body): header and body in one write; otherwise the header alone.
  await writeAll(file, position === HEADER_SIZE ? [head, ...batch] : [head], 0);
  return { size, sha256 };
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

/**
 * fsyncs of directories, grouped as the event store groups its commits: a caller that asks while an fsync
 * of the same directory is already running waits for the next one (the running one may have started before
 * the caller's rename, so it cannot count for it), and everyone who asked meanwhile shares that next fsync.
 * Directory handles stay open (one per directory written to, bounded), so an fsync is one thread-pool
 * round trip rather than open, fsync and close. The store never removes a directory, so a handle always
 * names the directory at its path.
 */
export class DirectorySyncs {
  private readonly queues = new Map<string, { resolve: () => void; reject: (e: unknown) => void }[]>();
  private readonly handles = new Map<string, Promise<FileHandle>>();
  private closed = false;

  constructor(private readonly maxHandles = 1024) {}

  /** Resolves once an fsync of dir that started after this call has completed. */
  sync(dir: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(dir);
      if (queue) return void queue.push({ resolve, reject });
      this.queues.set(dir, [{ resolve, reject }]);
      void this.drain(dir);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map((h) => h.then((f) => f.close()).catch(() => undefined)));
  }

  private async drain(dir: string): Promise<void> {
    for (;;) {
      const batch = this.queues.get(dir)!.splice(0);
      if (batch.length === 0) {
        this.queues.delete(dir);
        return;
      }
      try {
        await this.fsync(dir);
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
  }

  protected async fsync(dir: string): Promise<void> {
    if (this.closed) return fsyncDir(dir);
    let handle = this.handles.get(dir);
    if (!handle) {
      if (this.handles.size >= this.maxHandles) await this.evictOne();
      handle = open(dir, 'r');
      this.handles.set(dir, handle);
    }
    try {
      await (await handle).sync();
    } catch (error) {
      // A handle that failed (or never opened) is not kept: the next fsync opens the directory afresh.
      if (this.handles.get(dir) === handle) this.handles.delete(dir);
      await handle.then((f) => f.close()).catch(() => undefined);
      throw error;
    }
  }

  private async evictOne(): Promise<void> {
    const [dir, handle] = this.handles.entries().next().value!;
    this.handles.delete(dir);
    // Another directory's fsync may be running on it right now: close once that one is done with it.
    await handle.then((f) => f.close()).catch(() => undefined);
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
