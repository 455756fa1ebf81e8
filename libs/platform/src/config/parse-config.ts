import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { AccordConfig, ConfigError } from './accord-config';
import { EnvVars, envSchema, ValidEnv } from './env.schema';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment into a configuration, or throws one ConfigError naming every bad variable.
 * The rules are one zod schema (env.schema.ts); this maps its typed result onto the configuration's shape.
 * Pure: no I/O, so every rule is unit-tested; loadConfig() does the file work (data dir, secret file).
 * An empty string counts as unset, because compose files pass `${VAR:-}` through.
 */
export function parseConfig(env: Env, cwd: string): AccordConfig {
  const vars = normalise(env);
  const parsed = envSchema(vars).safeParse(vars);
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error.issues));
  return toConfig(parsed.data, cwd);
}

function normalise(env: Env): EnvVars {
  const vars: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    const v = value?.trim();
    if (v !== undefined && v !== '') vars[name] = v;
  }
  return vars;
}

/** One phrase per bad variable (its first problem), in the schema's order. */
function problemsOf(issues: readonly z.core.$ZodIssue[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const issue of issues) {
    const name = String(issue.path[0] ?? '');
    if (seen.has(name)) continue;
    seen.add(name);
    problems.push(issue.message);
  }
  return problems;
}

function toConfig(e: ValidEnv, cwd: string): AccordConfig {
  const dataDir = isAbsolute(e.DATA_DIR) ? e.DATA_DIR : resolve(cwd, e.DATA_DIR);
  const cluster = e.KURRENTDB_URL !== undefined || e.POSTGRES_URL !== undefined;
  return {
    mode: cluster ? 'cluster' : 'embedded',
    http: {
      port: e.PORT,
      host: e.HOST,
      trustedProxies: e.TRUSTED_PROXIES,
      clientCountryHeader: e.CLIENT_COUNTRY_HEADER,
    },
    dataDir,
    logLevel: e.LOG_LEVEL,
    eventStore:
      e.KURRENTDB_URL !== undefined
        ? { kind: 'kurrentdb', connectionString: e.KURRENTDB_URL }
        : e.POSTGRES_URL !== undefined
          ? { kind: 'postgres', connectionString: e.POSTGRES_URL }
          : { kind: 'sqlite', file: join(dataDir, 'events.db') },
    readModels: { file: join(dataDir, 'read.db') },
    objectStore:
      e.S3_ENDPOINT !== undefined
        ? {
            kind: 's3',
            endpoint: e.S3_ENDPOINT,
            bucket: e.S3_BUCKET ?? '',
            region: e.S3_REGION ?? '',
            accessKey: e.S3_ACCESS_KEY ?? '',
            secretKey: e.S3_SECRET_KEY ?? '',
            ...(e.S3_TRUST_UNREPORTED_REGION ? { trustUnreportedRegion: true } : {}),
          }
        : // The embedded store is the node's own disk; running the node in the UK is the operator's statement.
          { kind: 'filesystem', dir: join(dataDir, 'objects'), region: 'uk' },
    scheduler:
      e.REDIS_URL !== undefined
        ? { kind: 'bullmq', redisUrl: e.REDIS_URL, lockMs: e.BULLMQ_LOCK_MS }
        : { kind: 'in-process' },
    ukStorageRegions: e.UK_STORAGE_REGIONS,
    platformSecret: e.PLATFORM_SECRET,
    readYourWritesTimeoutMs: e.READ_YOUR_WRITES_TIMEOUT_MS,
    documents: { orphanGraceMs: e.ORPHAN_GRACE_MS, orphanSweepIntervalMs: e.ORPHAN_SWEEP_INTERVAL_MS },
    retention: { sweepIntervalMs: e.RETENTION_SWEEP_INTERVAL_MS },
    health: { readyMaxLag: e.READY_MAX_LAG },
    checkpoints: {
      origin: e.ACCORD_LOG_ORIGIN,
      intervalMs: e.ACCORD_CHECKPOINT_INTERVAL_MS,
      ...(e.ACCORD_CHECKPOINT_KEY !== undefined ? { keySeed: e.ACCORD_CHECKPOINT_KEY } : {}),
      ...(e.ACCORD_CHECKPOINT_KEY_FILE !== undefined
        ? {
            keyFile: isAbsolute(e.ACCORD_CHECKPOINT_KEY_FILE)
              ? e.ACCORD_CHECKPOINT_KEY_FILE
              : resolve(dataDir, e.ACCORD_CHECKPOINT_KEY_FILE),
          }
        : {}),
    },
    detection: {
      denials: e.ACCORD_DETECT_DENIALS,
      denialWindowMinutes: e.ACCORD_DETECT_DENIAL_WINDOW_MINUTES,
      volumeFactor: e.ACCORD_DETECT_VOLUME_FACTOR,
      volumeMinimum: e.ACCORD_DETECT_VOLUME_MIN,
      volumeHistoryDays: e.ACCORD_DETECT_VOLUME_HISTORY_DAYS,
    },
    abuse: {
      authFailuresPerIp: e.ACCORD_AUTH_FAILURE_BURST_PER_IP,
      authFailuresPerToken: e.ACCORD_AUTH_FAILURE_BURST_PER_TOKEN,
      authFailureWindowSeconds: e.ACCORD_AUTH_FAILURE_WINDOW_SECONDS,
      uploadBytesPerDay: e.ACCORD_UPLOAD_QUOTA_BYTES_PER_DAY,
      uploadMaxConcurrent: e.ACCORD_UPLOAD_MAX_CONCURRENT,
    },
    webhooks: {
      allowInsecureLocalhost: e.ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST,
      retryBaseMs: e.ACCORD_WEBHOOK_RETRY_BASE_MS,
      maxAttempts: e.ACCORD_WEBHOOK_MAX_ATTEMPTS,
      pollIntervalMs: e.ACCORD_WEBHOOK_POLL_INTERVAL_MS,
    },
    sessions: { idleMs: e.SESSION_IDLE_MINUTES * 60_000, absoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000 },
    web: e.WEB_DIST_DIR !== undefined ? { distDir: resolve(cwd, e.WEB_DIST_DIR) } : {},
    ...(e.SMTP_URL !== undefined
      ? {
          mail: {
            smtpUrl: e.SMTP_URL,
            from: e.MAIL_FROM ?? '',
            publicUrl: (e.ACCORD_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
            retryBaseMs: e.ACCORD_EMAIL_RETRY_BASE_MS,
            maxAttempts: e.ACCORD_EMAIL_MAX_ATTEMPTS,
            pollIntervalMs: e.ACCORD_EMAIL_POLL_INTERVAL_MS,
          },
        }
      : {}),
    ...(e.ACCORD_FAULT !== undefined ? { fault: e.ACCORD_FAULT as AccordConfig['fault'] } : {}),
  };
}
