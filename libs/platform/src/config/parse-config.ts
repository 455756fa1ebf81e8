import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import {
  AccordConfig,
  CheckpointsConfig,
  ConfigError,
  FAULT_POINTS,
  FaultPoint,
  LogLevel,
  ObjectStoreConfig,
  SchedulerConfig,
  WebhooksConfig,
} from './accord-config';
import { parseDetectionConfig } from './detection-config';

export type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const KURRENTDB_SCHEMES = [
  'kurrentdb',
  'kurrentdb+discover',
  'kurrent',
  'kurrent+discover',
  'kdb',
  'kdb+discover',
  'esdb',
  'esdb+discover',
];
// RFC 9110 token characters: what a header name may contain.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-zA-Z-]+$/;
const MIN_SECRET_LENGTH = 32;

/**
 * Validates the environment into a configuration, or throws one ConfigError naming every bad variable.
 * Pure: no I/O, so every rule is unit-tested; loadConfig() does the file work (data dir, secret file).
 * An empty string counts as unset, because compose files pass `${VAR:-}` through.
 */
export function parseConfig(env: Env, cwd: string): AccordConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };

  const port = integer(get('PORT'), 'PORT', 3000, 1, 65535, problems);
  const host = get('HOST') ?? '127.0.0.1';
  if (isIP(host) === 0 && !/^[a-zA-Z0-9.-]+$/.test(host))
    problems.push(`HOST must be an IP address or host name (got ${quote(host)})`);

  const dataDirRaw = get('DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const logLevel = (get('LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${quote(logLevel)})`);

  const trustedProxies = list(get('TRUSTED_PROXIES') ?? 'loopback');
  const badProxy = trustedProxies.find((p) => !isProxyEntry(p));
  if (badProxy !== undefined || trustedProxies.length === 0) {
    problems.push(
      `TRUSTED_PROXIES must be a comma-separated list of IPs, CIDRs or ${PROXY_NAMES.join('/')} (got ${quote(badProxy ?? '')})`,
    );
  }

  const clientCountryHeader = (get('CLIENT_COUNTRY_HEADER') ?? 'x-client-country').toLowerCase();
  if (!HEADER_NAME.test(clientCountryHeader))
    problems.push(`CLIENT_COUNTRY_HEADER must be an HTTP header name (got ${quote(clientCountryHeader)})`);

  const ukStorageRegions = list(get('UK_STORAGE_REGIONS') ?? 'uk,eu-west-2,uk-london').map((r) =>
    r.toLowerCase(),
  );
  if (ukStorageRegions.length === 0) problems.push('UK_STORAGE_REGIONS must name at least one region');

  const kurrentdbUrl = get('KURRENTDB_URL');
  if (kurrentdbUrl !== undefined) {
    const scheme = /^([a-z+]+):\/\//.exec(kurrentdbUrl)?.[1];
    if (scheme === undefined || !KURRENTDB_SCHEMES.includes(scheme)) {
      // The value may hold a password, so name the scheme only.
      problems.push(
        `KURRENTDB_URL must be a kurrentdb:// or kurrentdb+discover:// connection string (got scheme ${quote(scheme ?? 'none')})`,
      );
    }
  }
  const mode = kurrentdbUrl !== undefined ? 'cluster' : 'embedded';

  const objectStore = parseObjectStore(get, dataDir, problems);
  const jobLockMs = integer(get('BULLMQ_LOCK_MS'), 'BULLMQ_LOCK_MS', 30_000, 1_000, 600_000, problems);
  const scheduler = parseScheduler(get('REDIS_URL'), jobLockMs, problems);

  const platformSecret = get('PLATFORM_SECRET');
  if (platformSecret !== undefined && platformSecret.length < MIN_SECRET_LENGTH) {
    problems.push(
      `PLATFORM_SECRET must be at least ${MIN_SECRET_LENGTH} characters (got ${platformSecret.length})`,
    );
  }
  if (platformSecret === undefined && mode === 'cluster') {
    // Every node must derive the same subject reference from the same identifier.
    problems.push('PLATFORM_SECRET must be set when KURRENTDB_URL is set (all nodes share it)');
  }

  const readYourWritesTimeoutMs = integer(
    get('READ_YOUR_WRITES_TIMEOUT_MS'),
    'READ_YOUR_WRITES_TIMEOUT_MS',
    5000,
    0,
    60000,
    problems,
  );

  const orphanGraceMs = integer(
    get('ORPHAN_GRACE_MS'),
    'ORPHAN_GRACE_MS',
    3_600_000,
    0,
    604_800_000,
    problems,
  );
  const orphanSweepIntervalMs = integer(
    get('ORPHAN_SWEEP_INTERVAL_MS'),
    'ORPHAN_SWEEP_INTERVAL_MS',
    600_000,
    100,
    86_400_000,
    problems,
  );
  const retentionSweepIntervalMs = integer(
    get('RETENTION_SWEEP_INTERVAL_MS'),
    'RETENTION_SWEEP_INTERVAL_MS',
    60_000,
    100,
    86_400_000,
    problems,
  );
  const checkpoints = parseCheckpoints(get, dataDir, problems);
  const webhooks = parseWebhooks(get, problems);
  const detection = parseDetectionConfig(get, problems);
  const fault = get('ACCORD_FAULT') as FaultPoint | undefined;
  if (fault !== undefined && !FAULT_POINTS.includes(fault))
    problems.push(`ACCORD_FAULT must be one of ${FAULT_POINTS.join(', ')} (got ${quote(fault)})`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    mode,
    http: { port, host, trustedProxies, clientCountryHeader },
    dataDir,
    logLevel,
    eventStore:
      kurrentdbUrl !== undefined
        ? { kind: 'kurrentdb', connectionString: kurrentdbUrl }
        : { kind: 'sqlite', file: join(dataDir, 'events.db') },
    readModels: { file: join(dataDir, 'read.db') },
    objectStore,
    scheduler,
    ukStorageRegions,
    platformSecret,
    readYourWritesTimeoutMs,
    documents: { orphanGraceMs, orphanSweepIntervalMs },
    retention: { sweepIntervalMs: retentionSweepIntervalMs },
    detection,
    webhooks,
    checkpoints,
    ...(fault !== undefined ? { fault } : {}),
  };
}

function parseCheckpoints(
  get: (name: string) => string | undefined,
  dataDir: string,
  problems: string[],
): CheckpointsConfig {
  const origin = get('ACCORD_LOG_ORIGIN') ?? 'accord.local/log';
  // A signed-note key name: no spaces, no '+'.
  if (/[\s+]/u.test(origin))
    problems.push(`ACCORD_LOG_ORIGIN must have no spaces or '+' (got ${quote(origin)})`);
  const intervalMs = integer(
    get('ACCORD_CHECKPOINT_INTERVAL_MS'),
    'ACCORD_CHECKPOINT_INTERVAL_MS',
    5000,
    0,
    86_400_000,
    problems,
  );
  const keySeed = get('ACCORD_CHECKPOINT_KEY');
  if (keySeed !== undefined && Buffer.from(keySeed, 'base64').length !== 32)
    problems.push('ACCORD_CHECKPOINT_KEY must be the base64 of a 32-byte Ed25519 seed');
  const keyFileRaw = get('ACCORD_CHECKPOINT_KEY_FILE');
  const keyFile =
    keyFileRaw === undefined ? undefined : isAbsolute(keyFileRaw) ? keyFileRaw : resolve(dataDir, keyFileRaw);
  return { origin, intervalMs, ...(keySeed ? { keySeed } : {}), ...(keyFile ? { keyFile } : {}) };
}

function parseObjectStore(
  get: (name: string) => string | undefined,
  dataDir: string,
  problems: string[],
): ObjectStoreConfig {
  const endpoint = get('S3_ENDPOINT');
  const s3Names = ['S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const;
  if (endpoint === undefined) {
    const stray = s3Names.filter((n) => get(n) !== undefined);
    if (stray.length > 0)
      problems.push(
        `S3_ENDPOINT must be set when ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set`,
      );
    // The embedded store is the node's own disk; running the node in the UK is the operator's statement.
    return { kind: 'filesystem', dir: join(dataDir, 'objects'), region: 'uk' };
  }
  if (!isHttpUrl(endpoint)) problems.push('S3_ENDPOINT must be an http:// or https:// URL');
  const missing = s3Names.filter((n) => get(n) === undefined);
  if (missing.length > 0) problems.push(`${missing.join(', ')} must be set when S3_ENDPOINT is set`);
  const bucket = get('S3_BUCKET') ?? '';
  if (bucket !== '' && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    problems.push(`S3_BUCKET must be a valid bucket name (got ${quote(bucket)})`);
  return {
    kind: 's3',
    endpoint,
    bucket,
    region: (get('S3_REGION') ?? '').toLowerCase(),
    accessKey: get('S3_ACCESS_KEY') ?? '',
    secretKey: get('S3_SECRET_KEY') ?? '',
  };
}

function parseWebhooks(get: (name: string) => string | undefined, problems: string[]): WebhooksConfig {
  const raw = get('ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST')?.toLowerCase();
  if (raw !== undefined && !['true', 'false', '1', '0'].includes(raw))
    problems.push(`ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST must be true or false (got ${quote(raw)})`);
  return {
    allowInsecureLocalhost: raw === 'true' || raw === '1',
    retryBaseMs: integer(
      get('ACCORD_WEBHOOK_RETRY_BASE_MS'),
      'ACCORD_WEBHOOK_RETRY_BASE_MS',
      10_000,
      1,
      3_600_000,
      problems,
    ),
    maxAttempts: integer(
      get('ACCORD_WEBHOOK_MAX_ATTEMPTS'),
      'ACCORD_WEBHOOK_MAX_ATTEMPTS',
      7,
      1,
      20,
      problems,
    ),
    pollIntervalMs: integer(
      get('ACCORD_WEBHOOK_POLL_INTERVAL_MS'),
      'ACCORD_WEBHOOK_POLL_INTERVAL_MS',
      1000,
      10,
      600_000,
      problems,
    ),
  };
}

function parseScheduler(redisUrl: string | undefined, lockMs: number, problems: string[]): SchedulerConfig {
  if (redisUrl === undefined) return { kind: 'in-process' };
  let ok = false;
  try {
    const u = new URL(redisUrl);
    ok = (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
  } catch {
    ok = false;
  }
  if (!ok) problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  return { kind: 'bullmq', redisUrl, lockMs };
}

function integer(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  if (raw === undefined) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer ${min}-${max} (got ${quote(raw)})`);
    return fallback;
  }
  return n;
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [ip, prefix, ...rest] = entry.split('/');
  const family = isIP(ip ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

function isHttpUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Quotes a value for an error line, truncated so a pasted blob cannot flood the terminal. */
function quote(value: string): string {
  const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(short);
}
