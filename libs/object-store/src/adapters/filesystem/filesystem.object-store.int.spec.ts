import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { CorruptObjectError, ObjectNotFoundError } from '../../errors';
import { listed, testObjectStore } from '../../object-store.contract';
import { MIB, digestStream, patternStream, sha256 } from '../../object-store.fixtures';
import { DirectorySyncs } from './filesystem.io';
import { HEADER_SIZE, TEMP_DIR, objectPath } from './filesystem.layout';
import { FilesystemObjectStore } from './filesystem.object-store';

async function tempRoot(): Promise<{ dir: string; root: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-fs-os-'));
  // A missing root: the store creates it.
  return { dir, root: join(dir, 'data', 'objects') };
}

testObjectStore('filesystem', {
  noVersioning: 'a file has one version; delete unlinks it',
  async create() {
    const { dir, root } = await tempRoot();
    const store = new FilesystemObjectStore({ dir: root });
    return {
      store,
      // A put in progress is a file in the temp directory: a failed one must leave none.
      incompleteUploads: async () => (await readdir(join(root, TEMP_DIR)).catch(() => [])).length,
      async cleanup() {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});

describe('FilesystemObjectStore', () => {
  let dir: string;
  let root: string;
  let store: FilesystemObjectStore;
  beforeEach(async () => {
    ({ dir, root } = await tempRoot());
    store = new FilesystemObjectStore({ dir: root, region: 'uk' });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const tempFiles = (): Promise<string[]> => readdir(join(root, TEMP_DIR));

  it('sweeps temp files a crash left behind once older than the grace period, keeping younger ones', async () => {
    const old = join(root, TEMP_DIR, 'crashed.part');
    const young = join(root, TEMP_DIR, 'in-flight.part');
    await writeFile(old, 'half an object');
    await writeFile(young, 'another process is writing this');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(old, twoHoursAgo, twoHoursAgo);

    const reopened = new FilesystemObjectStore({ dir: root });
    expect(reopened.sweptTempFiles).toBe(1);
    expect(await tempFiles()).toEqual(['in-flight.part']);
    expect(await listed(reopened, '')).toEqual([]);
    await reopened.close();
  });

  it('renames a put into place only once it is complete: until then get, head and list see nothing', async () => {
    const body = new PassThrough();
    const first = Buffer.alloc(MIB, 1);
    const second = Buffer.alloc(MIB, 2);
    const put = store.put('documents/d1', body);
    body.write(first);
    // The first half has reached the temp file.
    while (
      (await tempFiles()).length === 0 ||
      (await stat(join(root, TEMP_DIR, (await tempFiles())[0]!))).size < MIB
    )
      await new Promise((r) => setTimeout(r, 5));

    expect(await store.head('documents/d1')).toBeNull();
    await expect(store.get('documents/d1')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await listed(store, '')).toEqual([]);
    await expect(stat(objectPath(root, 'documents/d1'))).rejects.toMatchObject({ code: 'ENOENT' });

    body.end(second);
    const result = await put;
    expect(result.sha256).toBe(sha256(Buffer.concat([first, second])));
    expect(await tempFiles()).toEqual([]);
    expect(await digestStream(await store.get('documents/d1'))).toEqual({
      size: 2 * MIB,
      sha256: result.sha256,
    });
  });

  it('keeps the checksum in the object file itself, so bytes and checksum land in one rename', async () => {
    const { sha256: digest } = await store.put('documents/d2', patternStream(1000, 1), {
      contentType: 'text/plain',
    });
    const file = await readFile(objectPath(root, 'documents/d2'));
    expect(file.length).toBe(HEADER_SIZE + 1000);
    const header = file.subarray(0, HEADER_SIZE).toString('ascii');
    expect(header).toContain(digest);
    expect(header).toContain('text/plain');
    expect(await readdir(join(root, 'documents'))).toEqual([expect.stringMatching(/^\+[0-9a-f]{2}$/)]);
  });

  it('spreads the last key segment over 256 shard directories', async () => {
    await Promise.all(
      Array.from({ length: 64 }, (_, i) => store.put(`documents/doc-${i}`, patternStream(1, i))),
    );
    const shards = await readdir(join(root, 'documents'));
    expect(shards.length).toBeGreaterThan(40);
    expect(shards.every((s) => /^\+[0-9a-f]{2}$/.test(s))).toBe(true);
    expect(await listed(store, 'documents/doc-1')).toHaveLength(11);
  });

  it('refuses to serve a file whose header was damaged, rather than return the wrong bytes', async () => {
    await store.put('documents/d3', patternStream(1000, 2));
    const path = objectPath(root, 'documents/d3');
    const file = await readFile(path);
    await writeFile(path, file.subarray(0, HEADER_SIZE + 10));
    await expect(store.get('documents/d3')).rejects.toBeInstanceOf(CorruptObjectError);
    await expect(store.head('documents/d3')).rejects.toBeInstanceOf(CorruptObjectError);
  });

  it('does not list its temp files, even for a prefix naming their directory', async () => {
    await writeFile(join(root, TEMP_DIR, 'x.part'), 'partial');
    expect(await listed(store, '')).toEqual([]);
    expect(await listed(store, '.tmp/')).toEqual([]);
    expect(store.region).toBe('uk');
  });

  it('reads bodies on either side of the size it reads whole with the header, byte for byte', async () => {
    for (const size of [64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 0]) {
      const { sha256: digest } = await store.put(`documents/edge-${size}`, patternStream(size, size));
      expect(await digestStream(await store.get(`documents/edge-${size}`))).toEqual({ size, sha256: digest });
    }
  });

  it('hands out a small body that later gets do not overwrite (the read buffer is reused)', async () => {
    const a = await store.put('documents/reuse-a', patternStream(4096, 1));
    const b = await store.put('documents/reuse-b', patternStream(4096, 2));
    // Not consumed until after more gets have read into the buffer the first one was read into.
    const first = await store.get('documents/reuse-a');
    for (let i = 0; i < 3; i++) await digestStream(await store.get('documents/reuse-b'));
    const second = await store.get('documents/reuse-b');
    expect(await digestStream(first)).toEqual({ size: 4096, sha256: a.sha256 });
    expect(await digestStream(second)).toEqual({ size: 4096, sha256: b.sha256 });
  });

  it('closes every descriptor a get opens: small bodies, a damaged header, a large body streamed to its end', async () => {
    const descriptors = async () => (await readdir('/proc/self/fd')).length;
    await store.put('documents/small', patternStream(4096, 3));
    await store.put('documents/large', patternStream(64 * 1024 + 1, 4));
    await store.put('documents/damaged', patternStream(1000, 5));
    const path = objectPath(root, 'documents/damaged');
    await writeFile(path, (await readFile(path)).subarray(0, HEADER_SIZE + 10));
    const before = await descriptors();
    for (let i = 0; i < 20; i++) {
      await digestStream(await store.get('documents/small'));
      await expect(store.get('documents/damaged')).rejects.toBeInstanceOf(CorruptObjectError);
      const large = await store.get('documents/large');
      const closed = once(large, 'close');
      await digestStream(large);
      await closed;
    }
    expect(await descriptors()).toBe(before);
  });

  it('creates a directory again when it vanished after the store had written into it', async () => {
    await store.put('documents/d4', patternStream(10, 4));
    await rm(join(root, 'documents'), { recursive: true });
    const { sha256: digest } = await store.put('documents/d4', patternStream(20, 5));
    expect(await digestStream(await store.get('documents/d4'))).toEqual({ size: 20, sha256: digest });
    expect(await tempFiles()).toEqual([]);
  });
});

describe('DirectorySyncs', () => {
  /** Records each fsync and lets the test decide when it completes. */
  class Recorded extends DirectorySyncs {
    readonly started: { dir: string; done: () => void }[] = [];
    protected override fsync(dir: string): Promise<void> {
      return new Promise((resolve) => this.started.push({ dir, done: resolve }));
    }
  }
  const settled = async (p: Promise<void>) =>
    Promise.race([p.then(() => true), new Promise((r) => setImmediate(() => r(false)))]);

  it('gives a caller who asks while an fsync runs the next fsync, shared by everyone who asked meanwhile', async () => {
    const syncs = new Recorded();
    const first = syncs.sync('a');
    const second = syncs.sync('a');
    const third = syncs.sync('a');
    const other = syncs.sync('b');
    expect(syncs.started.map((s) => s.dir)).toEqual(['a', 'b']);
    syncs.started[0]!.done();
    expect(await settled(first)).toBe(true);
    // The fsync that was running when they asked may have missed their renames: they need one of their own.
    expect(await settled(second)).toBe(false);
    expect(syncs.started.map((s) => s.dir)).toEqual(['a', 'b', 'a']);
    syncs.started[2]!.done();
    expect(await settled(second)).toBe(true);
    expect(await settled(third)).toBe(true);
    expect(await settled(other)).toBe(false);
    syncs.started[1]!.done();
    expect(await settled(other)).toBe(true);
  });
});
