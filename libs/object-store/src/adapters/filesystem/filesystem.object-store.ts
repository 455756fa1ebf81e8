/*
 * Filesystem adapter of the ObjectStore port: the embedded default, a directory such as DATA_DIR/objects
 * (docs/architecture.md §3). Layout and file header: see filesystem.layout.ts.
 *
 * Durability (docs/architecture.md §18.2): bytes go to a temp file, which is fsynced, renamed into place, and
 * then the directory holding the new name is fsynced too (as is the parent of every directory created on
 * the way), so an acknowledged put survives power loss and a crash never exposes a partial object.
 * A delete fsyncs the directory as well. Temp files a crash left behind are swept when the store opens,
 * once older than a grace period (another process may still be writing a younger one).
 */
import { randomUUID } from 'node:crypto';
import { closeSync, createReadStream, fstat, mkdirSync, open as openCallback, read } from 'node:fs';
import {
  FileHandle,
  access,
  constants,
  lstat,
  mkdir,
  open,
  rename,
  rm,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { contentTypeOf } from '../../content-type';
import {
  ChecksumMismatchError,
  CorruptObjectError,
  DestructionUnconfirmedError,
  ObjectNotFoundError,
  ObjectStoreUnavailableError,
} from '../../errors';
import { assertValidKey, assertValidPrefix, normaliseSha256 } from '../../object-key';
import {
  ObjectHead,
  ObjectListing,
  ObjectStore,
  ObjectStoreHealth,
  PutOptions,
  PutResult,
} from '../../object-store.port';
import {
  HEADER_SIZE,
  ObjectHeader,
  SHARD_MARK,
  TEMP_DIR,
  TEMP_SUFFIX,
  decodeHeader,
  encodeHeader,
  objectPath,
} from './filesystem.layout';
import {
  DirectorySyncs,
  errnoOf,
  fsyncDir,
  isMissing,
  readdirOrEmpty,
  sweepTempFiles,
  writeBody,
} from './filesystem.io';

export interface FilesystemObjectStoreOptions {
  /** Root directory, created if missing (DATA_DIR/objects). */
  dir: string;
  /** The region the node's disk is in, as the operator states it. */
  region?: string;
  /** Temp files older than this are a crash's leftovers; default one hour. */
  tempGraceMs?: number;
}

const DEFAULT_REGION = 'uk-local';
const DEFAULT_TEMP_GRACE_MS = 60 * 60 * 1000;
const READ_CHUNK_BYTES = 256 * 1024;
/** Bodies up to this size are read whole with their header, in one read (documents are mostly small). */
const SMALL_OBJECT_BYTES = 64 * 1024;
/**
 * Read buffers kept for the next get. A fresh 64 KiB buffer per get cost more than the read: V8 counts it as
 * external memory and ran a full collection every few hundred opens (§37.12); a buffer is lent for the one
 * read and the body copied out at its own size.
 */
const KEPT_READ_BUFFERS = 16;
/**
 * A get works on a raw descriptor with callback calls rather than a FileHandle: each of those is a thread-pool
 * round trip plus a promise layer, and the close, synchronous here, is a round trip saved (closing a file
 * opened for reading writes nothing, so it does not wait on the disk). Alone, 16 in flight, a 4.7 KB object
 * in the page cache: 39-48 -> 22-24 µs of CPU per get (§37.12).
 */
const openDescriptor = promisify(openCallback);
const readDescriptor = promisify(read);
const statDescriptor = promisify(fstat);
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export class FilesystemObjectStore implements ObjectStore {
  readonly adapter = 'filesystem';
  readonly region: string;
  /** Crash leftovers removed when this store opened. */
  readonly sweptTempFiles: number;
  private readonly root: string;
  private readonly tempDir: string;
  private closed = false;
  private dirQueue: Promise<void> = Promise.resolve();
  /** Directories whose entries are known to be durable: a put renames into them without a mkdir first. */
  private readonly durableDirs = new Set<string>();
  private readonly dirSyncs = new DirectorySyncs();
  private readonly readBuffers: Buffer[] = [];

  constructor(options: FilesystemObjectStoreOptions) {
    this.root = options.dir;
    this.region = options.region ?? DEFAULT_REGION;
    this.tempDir = join(this.root, TEMP_DIR);
    // Synchronous on purpose: a store that cannot create its directory should stop start-up, not the first put.
    mkdirSync(this.tempDir, { recursive: true, mode: DIR_MODE });
    this.sweptTempFiles = sweepTempFiles(this.tempDir, options.tempGraceMs ?? DEFAULT_TEMP_GRACE_MS);
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    this.assertOpen();
    assertValidKey(key);
    const expected =
      options.expectedSha256 === undefined ? undefined : normaliseSha256(options.expectedSha256);
    const contentType = contentTypeOf(options.contentType);
    const temp = join(this.tempDir, `${randomUUID()}${TEMP_SUFFIX}`);
    const target = objectPath(this.root, key);
    const file = await open(temp, 'wx', FILE_MODE);
    let fileOpen = true;
    let placed = false;
    try {
      const { size, sha256 } = await writeBody(file, body, (size, sha256) => {
        if (expected !== undefined && sha256 !== expected)
          throw new ChecksumMismatchError(key, expected, sha256);
        return encodeHeader({ size, sha256, contentType });
      });
      await file.sync();
      await file.close();
      fileOpen = false;
      await this.renameIntoPlace(temp, target);
      placed = true;
      await this.dirSyncs.sync(dirname(target));
      return { key, size, sha256 };
    } finally {
      if (fileOpen) await file.close().catch(() => undefined);
      if (!placed) await rm(temp, { force: true }).catch(() => undefined);
    }
  }

  async get(key: string): Promise<Readable> {
    this.assertOpen();
    assertValidKey(key);
    const fd = await this.opened(key, (path) => openDescriptor(path, 'r'));
    const bytes = this.readBuffers.pop() ?? Buffer.allocUnsafe(HEADER_SIZE + SMALL_OBJECT_BYTES);
    try {
      let bytesRead: number;
      try {
        // One read brings the header and, for most documents, the whole body: a read that stops short of what
        // was asked reached the end, so it also tells the file's size and no fstat is needed.
        ({ bytesRead } = await readDescriptor(fd, bytes, 0, bytes.length, 0));
        if (bytesRead === bytes.length) checkedHeader(key, bytes, (await statDescriptor(fd)).size);
      } catch (err) {
        closeQuietly(fd);
        throw err;
      }
      // A larger body streams from the same descriptor, which the stream closes when it ends or is destroyed.
      if (bytesRead === bytes.length)
        return createReadStream('', { fd, start: HEADER_SIZE, highWaterMark: READ_CHUNK_BYTES });
      closeQuietly(fd);
      checkedHeader(key, bytes.subarray(0, bytesRead), bytesRead);
      // A copy at the body's own size: the read buffer goes back for the next get.
      return Readable.from([Buffer.from(bytes.subarray(HEADER_SIZE, bytesRead))], { objectMode: false });
    } finally {
      if (this.readBuffers.length < KEPT_READ_BUFFERS) this.readBuffers.push(bytes);
    }
  }

  async head(key: string): Promise<ObjectHead | null> {
    this.assertOpen();
    assertValidKey(key);
    let file: FileHandle;
    try {
      file = await this.opened(key, (path) => open(path, 'r'));
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return null;
      throw err;
    }
    try {
      const { header, mtime } = await this.readHeader(file, key);
      return {
        size: header.size,
        sha256: header.sha256,
        contentType: header.contentType,
        lastModified: mtime,
      };
    } finally {
      await file.close();
    }
  }

  async delete(key: string): Promise<void> {
    this.assertOpen();
    assertValidKey(key);
    const target = objectPath(this.root, key);
    try {
      await unlink(target);
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    // Without this a power cut could bring the unlinked name back: a lawful erasure that did not happen.
    await this.dirSyncs.sync(dirname(target));
  }

  async *list(prefix: string): AsyncIterable<ObjectListing> {
    this.assertOpen();
    assertValidPrefix(prefix);
    const cut = prefix.lastIndexOf('/') + 1;
    const dirSegments = prefix.slice(0, cut).split('/').slice(0, -1);
    // No key has such a directory; without this check '.tmp/' would list the temp files.
    if (dirSegments.some((s) => s === '' || s.startsWith('.'))) return;
    yield* this.walk(join(this.root, ...dirSegments), prefix.slice(0, cut), prefix.slice(cut));
  }

  /** One file per key and no versions: absent when its path names nothing (a damaged file still counts). */
  async isAbsent(key: string): Promise<boolean> {
    this.assertOpen();
    assertValidKey(key);
    try {
      await lstat(objectPath(this.root, key));
      return false;
    } catch (err) {
      if (isMissing(err)) return true;
      throw new DestructionUnconfirmedError(
        key,
        `cannot stat (${(err as { code?: string }).code ?? 'error'})`,
        {
          cause: err,
        },
      );
    }
  }

  /** The node's own disk: nothing to ask it. */
  async open(): Promise<void> {
    this.assertOpen();
  }

  async health(): Promise<ObjectStoreHealth> {
    const base = { adapter: this.adapter, region: this.region };
    if (this.closed) return { ...base, ok: false, detail: 'closed' };
    try {
      await access(this.tempDir, constants.R_OK | constants.W_OK);
      return { ...base, ok: true };
    } catch (err) {
      return { ...base, ok: false, detail: `object directory not writable (${errnoOf(err) ?? 'error'})` };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.dirSyncs.close();
  }

  /** Keys under dir: files of its shard directories whose names start with namePrefix, then subdirectories. */
  private async *walk(dir: string, keyPrefix: string, namePrefix: string): AsyncGenerator<ObjectListing> {
    const entries = await readdirOrEmpty(dir);
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      if (entry.name.startsWith(SHARD_MARK)) {
        const shard = join(dir, entry.name);
        for (const name of (await readdirOrEmpty(shard)).map((e) => e.name)) {
          if (!name.startsWith(namePrefix)) continue;
          const info = await stat(join(shard, name)).catch((err: unknown) =>
            isMissing(err) ? null : Promise.reject(err),
          );
          // Gone since readdir (a concurrent delete), or not a file of ours.
          if (!info?.isFile() || info.size < HEADER_SIZE) continue;
          yield {
            key: keyPrefix + name,
            size: info.size - HEADER_SIZE,
            lastModified: new Date(info.mtimeMs),
          };
        }
      } else if (entry.name.startsWith(namePrefix)) {
        yield* this.walk(join(dir, entry.name), `${keyPrefix}${entry.name}/`, '');
      }
    }
  }

  /** The object's file opened by `how` (a descriptor or a FileHandle); a missing one is ObjectNotFoundError. */
  private async opened<T>(key: string, how: (path: string) => Promise<T>): Promise<T> {
    try {
      return await how(objectPath(this.root, key));
    } catch (err) {
      if (isMissing(err)) throw new ObjectNotFoundError(key);
      throw err;
    }
  }

  /** The file's header, read from its start. */
  private async readHeader(file: FileHandle, key: string): Promise<{ header: ObjectHeader; mtime: Date }> {
    const bytes = Buffer.alloc(HEADER_SIZE);
    const { bytesRead } = await file.read(bytes, 0, HEADER_SIZE, 0);
    const info = await file.stat();
    return {
      header: checkedHeader(key, bytes.subarray(0, bytesRead), info.size),
      mtime: new Date(info.mtimeMs),
    };
  }

  /**
   * Renames temp to target, creating target's directory first unless it is known to be durable already.
   * Directory creation is one at a time, and a directory counts as known only once its own entry has been
   * fsynced: a put must not rename into a directory another put has just created (and acknowledge) before
   * then. One that vanished under the store (an operator's hand) is created again.
   */
  private async renameIntoPlace(temp: string, target: string): Promise<void> {
    const dir = dirname(target);
    if (this.durableDirs.has(dir)) {
      try {
        return await rename(temp, target);
      } catch (err) {
        if (!isMissing(err)) throw err;
        this.durableDirs.delete(dir);
      }
    }
    const created = this.dirQueue.then(() => createDurably(dir));
    this.dirQueue = created.catch(() => undefined);
    await created;
    this.durableDirs.add(dir);
    await rename(temp, target);
  }

  private assertOpen(): void {
    if (this.closed) throw new ObjectStoreUnavailableError('object store is closed');
  }
}

async function createDurably(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: DIR_MODE });
  if (first === undefined) return;
  const created: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    created.push(d);
    if (d === first) break;
  }
  for (const d of created.reverse()) await fsyncDir(dirname(d));
}

/** The header at the start of `bytes`, of a file of `fileSize` bytes; one that does not decode is CorruptObjectError. */
function checkedHeader(key: string, bytes: Buffer, fileSize: number): ObjectHeader {
  const header = decodeHeader(bytes.subarray(0, HEADER_SIZE), fileSize);
  if (typeof header === 'string') throw new CorruptObjectError(key, header);
  return header;
}

/** After a read has succeeded: a descriptor opened for reading holds nothing unwritten, so a failed close loses nothing. */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // nothing to do: the bytes were read
  }
}
