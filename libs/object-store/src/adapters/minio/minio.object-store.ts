/*
 * S3 adapter of the ObjectStore port (MinIO in cluster mode, docs/architecture.md §3), over the `minio`
 * client. Uploads: see minio.upload.ts.
 *
 * Checksum: each object carries its SHA-256 as user metadata (x-amz-meta-sha256), so head() is one
 * request. A body longer than one part whose digest the caller did not state is hashed while it uploads
 * and the digest is added after completion by copying the object onto itself with replaced metadata:
 * MinIO does that in place without rewriting the data. (On AWS S3 it is a server-side copy, limited to
 * 5 GiB; over that the copy fails and the object stays without its checksum.) Between completion and that
 * copy head() answers without sha256. We preferred this to a sidecar object: a sidecar can disagree with
 * its object after a crash or an overwrite, metadata cannot.
 *
 * Delete: with bucket versioning on (or suspended), a plain DELETE only adds a delete marker, so every
 * version and marker of the key is removed by version id (docs/architecture.md §18.6). The versioning state is
 * read on every delete; one the bucket will not tell is a DestructionUnconfirmedError, never a guess.
 * isAbsent() confirms afterwards: the key stats as missing and, on a versioned bucket, lists no version or
 * delete marker (docs/architecture.md §18.6).
 *
 * The bucket is created in the configured region on first use if it is missing. Before first use (and at
 * start-up, open()) the bucket is asked where it is (GetBucketLocation), whether it keeps versions and
 * whether Object Lock is on: a bucket in another region than S3_REGION, with Object Lock and a default
 * retention (its objects could not be destroyed when their retention ends), or whose versioning or lock
 * state cannot be read, is an ObjectStoreMisconfiguredError. A server that answers NotImplemented, or
 * lists the bucket instead, has no such feature (s3rver); one that reports no location (MinIO without
 * MINIO_SITE_REGION, s3rver) is in us-east-1 as S3 defines it, unless `trustUnreportedRegion`
 * (S3_TRUST_UNREPORTED_REGION) says the operator vouches for S3_REGION.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { Client, CopyDestinationOptions, CopySourceOptions } from 'minio';
import { contentTypeOf } from '../../content-type';
import {
  DestructionUnconfirmedError,
  ObjectStoreMisconfiguredError,
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
import { s3CodeOf, translateMinioError } from './minio.errors';
import { Uploaded, uploadObject } from './minio.upload';

/** How long an idle keep-alive socket is kept: under the usual 5 s server keep-alive. */
const IDLE_SOCKET_MS = 4_000;
export interface MinioObjectStoreOptions {
  endPoint: string;
  port?: number;
  useSSL?: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
  /** Bytes per multipart part (at least 5 MiB, S3's minimum); default 8 MiB, so objects up to 78 GiB. */
  partSize?: number;
  /** Parts uploading at once; memory is about (this + 1) parts per put. Default 2. */
  uploadConcurrency?: number;
  /** Take `region` as the bucket's when the server reports no location (see the file comment). */
  trustUnreportedRegion?: boolean;
}

/** What the bucket says about its versioning: `unsupported` when the server has none (NotImplemented). */
export type VersioningState = 'off' | 'enabled' | 'suspended' | 'unsupported';

const MIB = 1024 * 1024;
const MIN_PART_SIZE = 5 * MIB;
const DEFAULT_PART_SIZE = 8 * MIB;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const ALREADY_THERE = new Set(['BucketAlreadyOwnedByYou', 'BucketAlreadyExists']);

export class MinioObjectStore implements ObjectStore {
  readonly adapter = 'minio';
  readonly bucket: string;
  private readonly configuredRegion: string;
  private readonly trustUnreportedRegion: boolean;
  /** The bucket's own answer to GetBucketLocation, once asked. */
  private reportedRegion: string | undefined;
  private readonly client: Client;
  private readonly agent: HttpAgent;
  private readonly useSSL: boolean;
  private readonly partSize: number;
  private readonly concurrency: number;
  private bucketReady: Promise<void> | undefined;
  private closed = false;

  constructor(options: MinioObjectStoreOptions) {
    this.configuredRegion = options.region;
    this.trustUnreportedRegion = options.trustUnreportedRegion ?? false;
    this.bucket = options.bucket;
    this.useSSL = options.useSSL ?? true;
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.concurrency = options.uploadConcurrency ?? 2;
    if (!Number.isInteger(this.partSize) || this.partSize < MIN_PART_SIZE)
      throw new RangeError(`partSize must be an integer of at least ${MIN_PART_SIZE}`);
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1)
      throw new RangeError('uploadConcurrency must be a positive integer');
    // Our own agent, so close() can end its keep-alive sockets instead of leaving them to hold the process.
    // Idle sockets are dropped after 4 s, before the 5 s keep-alive of Node-based servers and many proxies:
    // a request written on a socket the server is closing fails with ECONNRESET (seen in CI against s3rver
    // on a loaded machine), and stale-socket requests are also retried once (minio.upload.ts).
    const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS };
    this.agent = this.useSSL ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.client = new Client({
      endPoint: options.endPoint,
      port: options.port,
      useSSL: this.useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: true,
      transportAgent: this.agent,
    });
  }

  /** The region the bucket reports (S3_REGION until it has been asked: see open()). */
  get region(): string {
    return this.reportedRegion ?? this.configuredRegion;
  }

  async open(): Promise<void> {
    this.assertOpen();
    await this.ensureBucket();
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    this.assertOpen();
    assertValidKey(key);
    const expected =
      options.expectedSha256 === undefined ? undefined : normaliseSha256(options.expectedSha256);
    const contentType = contentTypeOf(options.contentType);
    await this.ensureBucket();
    const target = {
      client: this.client,
      bucket: this.bucket,
      key,
      partSize: this.partSize,
      concurrency: this.concurrency,
      useSSL: this.useSSL,
    };
    const uploaded = await uploadObject(target, body, contentType, expected);
    if (!uploaded.checksumStored) await this.recordChecksum(key, uploaded, contentType);
    return { key, size: uploaded.size, sha256: uploaded.sha256 };
  }

  async get(key: string): Promise<Readable> {
    this.assertOpen();
    assertValidKey(key);
    await this.ensureBucket();
    return this.client.getObject(this.bucket, key).catch((err: unknown) => {
      throw translateMinioError(err, key);
    });
  }

  async head(key: string): Promise<ObjectHead | null> {
    this.assertOpen();
    assertValidKey(key);
    await this.ensureBucket();
    try {
      const stat = await this.client.statObject(this.bucket, key);
      const meta = stat.metaData as Record<string, unknown>;
      const sha256 =
        typeof meta.sha256 === 'string' && SHA256_HEX.test(meta.sha256) ? meta.sha256 : undefined;
      const contentType = typeof meta['content-type'] === 'string' ? meta['content-type'] : undefined;
      return {
        size: stat.size,
        ...(sha256 ? { sha256 } : {}),
        ...(contentType ? { contentType } : {}),
        lastModified: stat.lastModified,
      };
    } catch (err) {
      if (s3CodeOf(err) === 'NotFound' || s3CodeOf(err) === 'NoSuchKey') return null;
      throw translateMinioError(err, key);
    }
  }

  async delete(key: string): Promise<void> {
    this.assertOpen();
    assertValidKey(key);
    await this.ensureBucket();
    const versioning = await this.versioningFor(key);
    try {
      // Suspended still keeps the versions written while it was on.
      if (versioning === 'enabled' || versioning === 'suspended') await this.removeAllVersions(key);
      else await this.client.removeObject(this.bucket, key);
    } catch (err) {
      throw translateMinioError(err);
    }
  }

  async isAbsent(key: string): Promise<boolean> {
    this.assertOpen();
    assertValidKey(key);
    await this.ensureBucket();
    if ((await this.head(key)) !== null) return false;
    const versioning = await this.versioningFor(key);
    try {
      if (versioning === 'enabled' || versioning === 'suspended')
        return (await this.versionsOf(key)).length === 0;
      // Never versioned: the listing must agree with the stat (a stale or lying HEAD is not proof).
      for await (const item of this.client.listObjectsV2(this.bucket, key, true))
        if (item.name === key) return false;
      return true;
    } catch (err) {
      throw new DestructionUnconfirmedError(key, `listing refused (${s3CodeOf(err) ?? 'error'})`, {
        cause: err,
      });
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectListing> {
    this.assertOpen();
    assertValidPrefix(prefix);
    await this.ensureBucket();
    try {
      for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
        if (item.name) yield { key: item.name, size: item.size, lastModified: item.lastModified };
      }
    } catch (err) {
      throw translateMinioError(err);
    }
  }

  async health(): Promise<ObjectStoreHealth> {
    const base = { adapter: this.adapter, region: this.region };
    if (this.closed) return { ...base, ok: false, detail: 'closed' };
    try {
      await this.ensureBucket();
      return { ...base, ok: true };
    } catch (err) {
      return { ...base, ok: false, detail: `bucket unavailable (${s3CodeOf(err) ?? 'error'})` };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
  }

  /** Once per store; a failure (server down at start-up) is retried by the next call. */
  private ensureBucket(): Promise<void> {
    this.bucketReady ??= this.createBucketIfMissing()
      .then(() => this.inspectBucket())
      .catch((err: unknown) => {
        this.bucketReady = undefined;
        throw translateMinioError(err);
      });
    return this.bucketReady;
  }

  private async createBucketIfMissing(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.configuredRegion);
    } catch (err) {
      // Another node created it between our check and our request.
      if (!ALREADY_THERE.has(s3CodeOf(err) ?? '')) throw err;
    }
  }

  /** Region, versioning and Object Lock, as the bucket states them (see the file comment). */
  private async inspectBucket(): Promise<void> {
    const where = `S3 bucket ${this.bucket}`;
    const reported = await this.bucketLocation();
    const region =
      reported !== '' ? reported : this.trustUnreportedRegion ? this.configuredRegion : 'us-east-1';
    if (region.toLowerCase() !== this.configuredRegion.toLowerCase())
      throw new ObjectStoreMisconfiguredError(
        `${where} is in region ${region}, not S3_REGION ${this.configuredRegion}${reported === '' ? ' (the server reports no location; set S3_TRUST_UNREPORTED_REGION=true only if you know where it stores data)' : ''}`,
      );
    this.reportedRegion = region.toLowerCase();
    const versioning = await this.readVersioning();
    if (versioning === undefined)
      throw new ObjectStoreMisconfiguredError(`${where}: its versioning state cannot be read`);
    let lockXml = '';
    try {
      lockXml = await this.bucketSubresource('object-lock');
    } catch (err) {
      const code = s3CodeOf(err);
      if (code !== 'ObjectLockConfigurationNotFoundError' && code !== 'NotImplemented') {
        if (translateMinioError(err) instanceof ObjectStoreUnavailableError && code !== 'AccessDenied')
          throw err;
        throw new ObjectStoreMisconfiguredError(
          `${where}: its Object Lock configuration cannot be read (${code ?? 'error'})`,
        );
      }
    }
    const lockEnabled = /<ObjectLockEnabled>\s*Enabled\s*<\/ObjectLockEnabled>/.test(lockXml);
    const defaultMode = /<DefaultRetention>[\s\S]*?<Mode>\s*([A-Z]+)\s*<\/Mode>/.exec(lockXml)?.[1];
    if (lockEnabled && defaultMode)
      throw new ObjectStoreMisconfiguredError(
        `${where} has Object Lock with a default ${defaultMode} retention: payloads could not be destroyed when their retention ends`,
      );
  }

  /** A bucket subresource's XML, read by element (servers differ in the root they wrap it in). */
  private async bucketSubresource(query: string): Promise<string> {
    const res = await this.client.makeRequestAsync(
      { method: 'GET', bucketName: this.bucket, query },
      '',
      [200],
      this.configuredRegion,
    );
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** GetBucketLocation asked of the bucket itself (the client would answer S3_REGION without asking). */
  private async bucketLocation(): Promise<string> {
    const xml = await this.bucketSubresource('location');
    return /<LocationConstraint[^>]*>([^<]*)<\/LocationConstraint>/.exec(xml)?.[1]?.trim() ?? '';
  }

  /**
   * The versioning state, or undefined when the bucket will not say (unreachable servers throw). Read by
   * element: a `<Status>` other than Enabled or Suspended, or an answer that is not a versioning
   * configuration at all, is not taken for "never versioned" (docs/architecture.md §7: fail closed).
   */
  private async readVersioning(): Promise<VersioningState | undefined> {
    let xml: string;
    try {
      xml = await this.bucketSubresource('versioning');
    } catch (err) {
      const code = s3CodeOf(err);
      if (code === 'NotImplemented') return 'unsupported';
      const translated = translateMinioError(err);
      if (translated instanceof ObjectStoreUnavailableError && code !== 'AccessDenied') throw translated;
      return undefined;
    }
    const status = /<Status>\s*([^<]*?)\s*<\/Status>/.exec(xml)?.[1];
    if (status === 'Enabled') return 'enabled';
    if (status === 'Suspended') return 'suspended';
    if (status !== undefined) return undefined;
    // A server that ignores the subresource and lists the bucket instead (s3rver) has no versioning at all,
    // like one answering NotImplemented.
    if (/^(<\?xml[^>]*>\s*)?<ListBucketResult[\s>]/.test(xml.trim())) return 'unsupported';
    // No Status: a bucket never versioned answers an empty configuration (`<VersioningConfiguration/>`).
    return /<(\w+:)?\w*Versioning\w*[\s/>]/.test(xml) && !/<Error>/.test(xml) ? 'off' : undefined;
  }

  /** For a delete or its confirmation: an unreadable versioning state fails closed. */
  private async versioningFor(key: string): Promise<VersioningState> {
    let state: VersioningState | undefined;
    try {
      state = await this.readVersioning();
    } catch (err) {
      throw new DestructionUnconfirmedError(key, 'versioning state unreadable (store unavailable)', {
        cause: err,
      });
    }
    if (state === undefined) throw new DestructionUnconfirmedError(key, 'versioning state unreadable');
    return state;
  }

  private async recordChecksum(key: string, uploaded: Uploaded, contentType: string): Promise<void> {
    const source = new CopySourceOptions({
      Bucket: this.bucket,
      Object: key,
      ...(uploaded.versionId ? { VersionID: uploaded.versionId } : {}),
      // Only the object we wrote: if another put replaced it meanwhile, that one carries its own checksum.
      MatchETag: uploaded.etag,
    });
    const destination = new CopyDestinationOptions({
      Bucket: this.bucket,
      Object: key,
      MetadataDirective: 'REPLACE',
      UserMetadata: { sha256: uploaded.sha256 },
      Headers: { 'Content-Type': contentType },
    });
    try {
      await this.client.copyObject(source, destination);
    } catch (err) {
      if (s3CodeOf(err) === 'PreconditionFailed') return;
      throw translateMinioError(err, key);
    }
  }

  private async removeAllVersions(key: string): Promise<void> {
    const versions = await this.versionsOf(key);
    if (versions.length === 0) return;
    const failures = (await this.client.removeObjects(this.bucket, versions)).filter((r) => r);
    if (failures.length > 0)
      throw new DestructionUnconfirmedError(key, `S3 kept ${failures.length} of ${versions.length} versions`);
  }

  /** Every version and delete marker stored under exactly key. */
  private async versionsOf(key: string): Promise<{ name: string; versionId: string }[]> {
    const versions: { name: string; versionId: string }[] = [];
    // The listing is by prefix: `key` also matches `key2` and `key/x`, which must stay.
    for await (const v of this.client.listObjects(this.bucket, key, true, { IncludeVersion: true })) {
      const entry = v as { name?: string; versionId?: string | null };
      if (entry.name === key) versions.push({ name: key, versionId: entry.versionId ?? 'null' });
    }
    return versions;
  }

  private assertOpen(): void {
    if (this.closed) throw new ObjectStoreUnavailableError('object store is closed');
  }
}
