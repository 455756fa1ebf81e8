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

/** Streams the body into file after the header's place, hashing as it goes; never holds more than a batch. */
export async function writeBody(file: FileHandle, body: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  let position = HEADER_SIZE;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const flush = async (): Promise<void> => {
    await writeAll(file, batch, position);
    position += batchBytes;
    batch = [];
    batchBytes = 0;
  };
  for await (const chunk of body) {
    const bytes = asBuffer(chunk);
    hash.update(bytes);
    size += bytes.length;
    batch.push(bytes);
    batchBytes += bytes.length;
    if (batchBytes >= WRITE_BATCH_BYTES) await flush();
  }
  if (batchBytes > 0) await flush();
  return { size, sha256: hash.digest('hex') };
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
