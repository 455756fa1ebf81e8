import { MinioObjectStore, MinioObjectStoreOptions } from './minio.object-store';

/**
 * The S3 settings as libs/platform's configuration holds them (S3_ENDPOINT, S3_BUCKET, S3_REGION,
 * S3_ACCESS_KEY, S3_SECRET_KEY). Declared here, not imported: adapters do not depend on the platform.
 */
export interface S3Settings {
  /** http(s)://host[:port], e.g. http://minio:9000 */
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
  /** S3_TRUST_UNREPORTED_REGION: a server that reports no bucket location is taken to be in `region`. */
  trustUnreportedRegion?: boolean;
}

/** Client options from an endpoint URL; the port defaults to the scheme's (80 or 443). */
export function minioOptionsFromS3Settings(settings: S3Settings): MinioObjectStoreOptions {
  let url: URL;
  try {
    url = new URL(settings.endpoint);
  } catch {
    throw new TypeError('S3 endpoint is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError('S3 endpoint must be http(s)');
  // The client addresses buckets from the host's root; a path or credentials in the URL would be ignored silently.
  if (url.pathname !== '/' || url.search !== '' || url.username !== '' || url.password !== '')
    throw new TypeError('S3 endpoint must be scheme://host[:port] only');
  const useSSL = url.protocol === 'https:';
  return {
    endPoint: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (useSSL ? 443 : 80) : Number(url.port),
    useSSL,
    bucket: settings.bucket,
    region: settings.region,
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    ...(settings.trustUnreportedRegion ? { trustUnreportedRegion: true } : {}),
  };
}

/** The S3 adapter for the platform's configuration (cluster mode). */
export function createMinioObjectStore(
  settings: S3Settings,
  tuning: Pick<MinioObjectStoreOptions, 'partSize' | 'uploadConcurrency'> = {},
): MinioObjectStore {
  return new MinioObjectStore({ ...minioOptionsFromS3Settings(settings), ...tuning });
}
