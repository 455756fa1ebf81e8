/**
 * The configuration every process runs with, validated once at start-up (see parse-config.ts) and frozen.
 * Each port's adapter is chosen here: a set variable switches a port from its embedded default to cluster
 * mode, so `npm start` with an empty environment is the whole product on one machine.
 */
import type { AbuseConfig } from './abuse-config';
import type { DetectionConfig } from './detection-config';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type EventStoreConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'kurrentdb'; connectionString: string }
  | { kind: 'postgres'; connectionString: string };

export type ObjectStoreConfig =
  | { kind: 'filesystem'; dir: string; region: string }
  | {
      kind: 's3';
      endpoint: string;
      bucket: string;
      region: string;
      accessKey: string;
      secretKey: string;
      /** S3_TRUST_UNREPORTED_REGION (default false): see libs/object-store minio.object-store.ts. */
      trustUnreportedRegion?: boolean;
    };

export type SchedulerConfig =
  | { kind: 'in-process' }
  /** lockMs: how long a job's lock lasts without renewal, so how soon a crashed worker's jobs run again. */
  | { kind: 'bullmq'; redisUrl: string; lockMs: number };

export interface HttpConfig {
  port: number;
  host: string;
  /** Express `trust proxy` entries: IPs, CIDRs or the names loopback, linklocal, uniquelocal. */
  trustedProxies: readonly string[];
  /** Lower-case header a trusted proxy uses to state the client's country (ISO 3166-1 alpha-2). */
  clientCountryHeader: string;
}

export interface DocumentsConfig {
  /**
   * An object no DocumentShared points at, older than this, is a failed upload's leftover and is deleted
   * (ORPHAN_GRACE_MS, default one hour). Longer than any upload takes: a share still streaming is never swept.
   */
  orphanGraceMs: number;
  /** How often the api looks for such objects (ORPHAN_SWEEP_INTERVAL_MS, default ten minutes). */
  orphanSweepIntervalMs: number;
}

/** Email through SMTP (SMTP_URL, MAIL_FROM; docs/architecture.md §27). */
export interface MailConfig {
  /** smtp:// or smtps:// with optional credentials; never logged. */
  smtpUrl: string;
  from: string;
  /** Base of the links in emails (ACCORD_PUBLIC_URL, default http://localhost:PORT), without a trailing slash. */
  publicUrl: string;
  retryBaseMs: number;
  maxAttempts: number;
  pollIntervalMs: number;
}

/** Signed breach webhooks (issue 7): how the api's dispatcher delivers and retries. */
export interface WebhooksConfig {
  /**
   * Accept http://127.0.0.1, http://[::1] and http://localhost webhook URLs (ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST,
   * default false): tests and local receivers only. Every other URL must be https.
   */
  allowInsecureLocalhost: boolean;
  /** First retry delay; later ones are multiples of it (ACCORD_WEBHOOK_RETRY_BASE_MS, default 10 s). */
  retryBaseMs: number;
  /** Attempts in all, the first included, before a delivery is abandoned (ACCORD_WEBHOOK_MAX_ATTEMPTS, default 7). */
  maxAttempts: number;
  /** How often the dispatcher looks for due deliveries (ACCORD_WEBHOOK_POLL_INTERVAL_MS, default 1 s). */
  pollIntervalMs: number;
}

export interface HealthConfig {
  /**
   * GET /health/ready answers 503 while the read models are more than this many positions behind the event
   * store's head (READY_MAX_LAG, default 1000; SQLite positions count events, KurrentDB's count log bytes).
   */
  readyMaxLag: number;
}

export interface RetentionConfig {
  /** How often the retention sweep looks for documents past retainUntil (RETENTION_SWEEP_INTERVAL_MS, default 60 s). */
  sweepIntervalMs: number;
}

/**
 * The verifiable log's checkpoints (issue 12): the api signs one every `intervalMs` while the log grows.
 * The Ed25519 key is ACCORD_CHECKPOINT_KEY (base64 of a 32-byte seed), or the file ACCORD_CHECKPOINT_KEY_FILE
 * holding that, or else DATA_DIR/checkpoint-key, generated on first start (0600).
 */
export interface CheckpointsConfig {
  /** ACCORD_LOG_ORIGIN (default `accord.local/log`): the log's name in every checkpoint, and its key name. */
  origin: string;
  /** ACCORD_CHECKPOINT_INTERVAL_MS (default 5000; 0: only on demand). */
  intervalMs: number;
  keySeed?: string;
  keyFile?: string;
}

/**
 * Test-only fault injection (ACCORD_FAULT), for the crash suites: `after-object-put` makes the api exit
 * with code 137 (as if SIGKILLed) right after a document's object is stored and before its event is
 * appended; `destroy-after-expired` and `destroy-after-delete` make the process running a retention destroy
 * job exit after its RetentionExpired and after the object's deletion. Never set it in production.
 */
export type FaultPoint = 'after-object-put' | 'destroy-after-expired' | 'destroy-after-delete';
export const FAULT_POINTS: readonly FaultPoint[] = [
  'after-object-put',
  'destroy-after-expired',
  'destroy-after-delete',
];

export interface SessionsConfig {
  /** A session unused this long ends (default 30 minutes). */
  idleMs: number;
  /** A session ends this long after sign-in whatever its use (default 8 hours). */
  absoluteMs: number;
}

export interface AccordConfig {
  /**
   * `cluster` once the event store is shared (KURRENTDB_URL or POSTGRES_URL); informs logs and which process
   * hosts what.
   */
  mode: 'embedded' | 'cluster';
  http: HttpConfig;
  /** Absolute path of the node's data directory. */
  dataDir: string;
  logLevel: LogLevel;
  eventStore: EventStoreConfig;
  readModels: { file: string };
  objectStore: ObjectStoreConfig;
  scheduler: SchedulerConfig;
  /** Object-store regions accepted as UK storage (lower case). */
  ukStorageRegions: readonly string[];
  /**
   * HMAC key for subject references. Undefined only between parsing and loading: loadConfig() fills it from
   * PLATFORM_SECRET or, in embedded mode, from DATA_DIR/secret.
   */
  platformSecret: string | undefined;
  /** How long a write waits for the read models to reach its position before answering anyway. */
  readYourWritesTimeoutMs: number;
  documents: DocumentsConfig;
  retention: RetentionConfig;
  webhooks: WebhooksConfig;
  health: HealthConfig;
  checkpoints: CheckpointsConfig;
  /** Security-incident detection thresholds (ACCORD_DETECT_*). */
  detection: DetectionConfig;
  /** Throttling and upload quotas (ACCORD_AUTH_FAILURE_*, ACCORD_UPLOAD_*). */
  abuse: AbuseConfig;
  /** Browser sessions (docs/architecture.md §34): SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS. */
  sessions: SessionsConfig;
  /** The web app's built files (WEB_DIST_DIR); unset: dist/web beside the running code. */
  web: { distDir?: string };
  /** Email notifications (docs/architecture.md §27); absent when SMTP_URL is unset, and then nothing is sent. */
  mail?: MailConfig;
  /** Unset in every real deployment; see FaultPoint. */
  fault?: FaultPoint;
}

/** A loaded configuration: the secret is always present. */
export type LoadedConfig = Readonly<AccordConfig & { platformSecret: string }>;

/** Injection token for the loaded configuration. */
export const ACCORD_CONFIG = Symbol('ACCORD_CONFIG');

/** Thrown by parseConfig; `problems` are one phrase per bad variable, each naming it. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}
