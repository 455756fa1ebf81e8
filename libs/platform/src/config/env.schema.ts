import { z } from 'zod';
import { FAULT_POINTS, LogLevel } from './accord-config';

/** The process environment after normalising: trimmed, and an empty value is unset (compose passes `${VAR:-}`). */
export type EnvVars = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const satisfies LogLevel[];
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;
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
const POSTGRES_SCHEMES = ['postgres', 'postgresql'];
// RFC 9110 token characters: what a header name may contain.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-zA-Z-]+$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const MIN_SECRET_LENGTH = 32;
const S3_NAMES = ['S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const;

/** Quotes a value for an error line, truncated so a pasted blob cannot flood the terminal. */
export function quote(value: string | undefined): string {
  const v = value ?? '';
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
}

export function list(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** What Express `trust proxy` takes: an address, a CIDR, or one of its names for a range. */
const PROXY_ENTRY = z.union([z.enum(PROXY_NAMES), z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);
const isProxyEntry = (entry: string): boolean => PROXY_ENTRY.safeParse(entry).success;

/**
 * The schema of every variable a process reads, in the order problems are reported. Messages are built
 * here, one per variable, beginning with its name; `vars` is the normalised environment, so a message
 * quotes what the operator wrote (never a value that may be secret: connection strings, keys, the secret).
 */
export function envSchema(vars: EnvVars) {
  const got = (name: string) => ` (got ${quote(vars[name])})`;
  /** A whole number in [min, max], `fallback` when unset. */
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const error = () => `${name} must be an integer ${min}-${max}${got(name)}`;
    return z
      .string()
      .regex(/^\d+$/, { error })
      .transform(Number)
      .pipe(z.number({ error }).int({ error }).min(min, { error }).max(max, { error }))
      .default(fallback);
  };
  /** true/false (or 1/0), `false` when unset. */
  const boolean = (name: string) =>
    z
      .string()
      .transform((b) => b.toLowerCase())
      .pipe(
        z.enum(['true', 'false', '1', '0'], {
          error: (iss) => `${name} must be true or false (got ${quote(String(iss.input))})`,
        }),
      )
      .transform((b) => b === 'true' || b === '1')
      .default(false);

  return z
    .object({
      PORT: integer('PORT', 3000, 1, 65535),
      HOST: z
        .union([z.ipv4(), z.ipv6(), z.hostname()], {
          error: () => `HOST must be an IP address or host name${got('HOST')}`,
        })
        .default('127.0.0.1'),
      DATA_DIR: z.string().default('./data'),
      LOG_LEVEL: z
        .string()
        .transform((l) => l.toLowerCase())
        .pipe(
          z.enum(LOG_LEVELS, {
            error: () =>
              `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${quote(vars.LOG_LEVEL?.toLowerCase())})`,
          }),
        )
        .default('info'),
      TRUSTED_PROXIES: z
        .string()
        .default('loopback')
        .transform(list)
        .superRefine((entries, ctx) => {
          const bad = entries.find((p) => !isProxyEntry(p));
          if (bad !== undefined || entries.length === 0)
            ctx.addIssue({
              code: 'custom',
              message: `TRUSTED_PROXIES must be a comma-separated list of IPs, CIDRs or ${PROXY_NAMES.join('/')} (got ${quote(bad)})`,
            });
        }),
      CLIENT_COUNTRY_HEADER: z
        .string()
        .transform((h) => h.toLowerCase())
        .pipe(
          z.string().regex(HEADER_NAME, {
            error: (iss) =>
              `CLIENT_COUNTRY_HEADER must be an HTTP header name (got ${quote(String(iss.input))})`,
          }),
        )
        .default('x-client-country'),
      UK_STORAGE_REGIONS: z
        .string()
        .default('uk,eu-west-2,uk-london')
        .transform((r) => list(r).map((region) => region.toLowerCase()))
        .pipe(z.array(z.string()).min(1, { error: 'UK_STORAGE_REGIONS must name at least one region' })),
      KURRENTDB_URL: z
        .string()
        .refine((u) => KURRENTDB_SCHEMES.includes(/^([a-z+]+):\/\//.exec(u)?.[1] ?? ''), {
          // The value may hold a password, so name the scheme only.
          error: () =>
            `KURRENTDB_URL must be a kurrentdb:// or kurrentdb+discover:// connection string (got scheme ${quote(
              /^([a-z+]+):\/\//.exec(vars.KURRENTDB_URL ?? '')?.[1] ?? 'none',
            )})`,
        })
        .optional(),
      POSTGRES_URL: z
        .string()
        .refine((u) => POSTGRES_SCHEMES.includes(/^([a-z+]+):\/\//.exec(u)?.[1] ?? ''), {
          // The value may hold a password, so name the scheme only.
          error: () =>
            `POSTGRES_URL must be a postgres:// or postgresql:// connection string (got scheme ${quote(
              /^([a-z+]+):\/\//.exec(vars.POSTGRES_URL ?? '')?.[1] ?? 'none',
            )})`,
        })
        .optional(),
      S3_ENDPOINT: z
        .url({ protocol: /^https?$/, error: 'S3_ENDPOINT must be an http:// or https:// URL' })
        .optional(),
      S3_BUCKET: z
        .string()
        .regex(BUCKET_NAME, { error: () => `S3_BUCKET must be a valid bucket name${got('S3_BUCKET')}` })
        .optional(),
      S3_REGION: z
        .string()
        .transform((r) => r.toLowerCase())
        .optional(),
      S3_ACCESS_KEY: z.string().optional(),
      S3_SECRET_KEY: z.string().optional(),
      // The operator vouches for S3_REGION where the server reports no location (s3rver; MinIO without
      // MINIO_SITE_REGION): by S3's rules an unreported location is us-east-1 (docs/architecture.md §18.6).
      S3_TRUST_UNREPORTED_REGION: boolean('S3_TRUST_UNREPORTED_REGION'),
      BULLMQ_LOCK_MS: integer('BULLMQ_LOCK_MS', 30_000, 1_000, 600_000),
      REDIS_URL: z
        .url({ protocol: /^rediss?$/, hostname: /./, error: 'REDIS_URL must be a redis:// or rediss:// URL' })
        .optional(),
      PLATFORM_SECRET: z
        .string()
        .min(MIN_SECRET_LENGTH, {
          error: (iss) =>
            `PLATFORM_SECRET must be at least ${MIN_SECRET_LENGTH} characters (got ${String(iss.input).length})`,
        })
        .optional(),
      READ_YOUR_WRITES_TIMEOUT_MS: integer('READ_YOUR_WRITES_TIMEOUT_MS', 5000, 0, 60_000),
      ORPHAN_GRACE_MS: integer('ORPHAN_GRACE_MS', 3_600_000, 0, 604_800_000),
      ORPHAN_SWEEP_INTERVAL_MS: integer('ORPHAN_SWEEP_INTERVAL_MS', 600_000, 100, 86_400_000),
      RETENTION_SWEEP_INTERVAL_MS: integer('RETENTION_SWEEP_INTERVAL_MS', 60_000, 100, 86_400_000),
      READY_MAX_LAG: integer('READY_MAX_LAG', 1000, 0, 2 ** 40),
      // The verifiable log's checkpoints (docs/architecture.md §6). The origin is a signed-note key name.
      ACCORD_LOG_ORIGIN: z
        .string()
        .regex(/^[^\s+]+$/u, {
          error: () => `ACCORD_LOG_ORIGIN must have no spaces or '+'${got('ACCORD_LOG_ORIGIN')}`,
        })
        .default('accord.local/log'),
      ACCORD_CHECKPOINT_INTERVAL_MS: integer('ACCORD_CHECKPOINT_INTERVAL_MS', 5000, 0, 86_400_000),
      // A secret: never quoted back.
      ACCORD_CHECKPOINT_KEY: z
        .string()
        .refine((k) => Buffer.from(k, 'base64').length === 32, {
          error: 'ACCORD_CHECKPOINT_KEY must be the base64 of a 32-byte Ed25519 seed',
        })
        .optional(),
      ACCORD_CHECKPOINT_KEY_FILE: z.string().optional(),
      ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST: boolean('ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST'),
      ACCORD_WEBHOOK_RETRY_BASE_MS: integer('ACCORD_WEBHOOK_RETRY_BASE_MS', 10_000, 1, 3_600_000),
      ACCORD_WEBHOOK_MAX_ATTEMPTS: integer('ACCORD_WEBHOOK_MAX_ATTEMPTS', 7, 1, 20),
      ACCORD_WEBHOOK_POLL_INTERVAL_MS: integer('ACCORD_WEBHOOK_POLL_INTERVAL_MS', 1000, 10, 600_000),
      // Email (docs/architecture.md §27): off unless SMTP_URL is set. The URL may hold a password, so only its scheme is named.
      SMTP_URL: z
        .url({
          protocol: /^smtps?$/,
          hostname: /./,
          error: () =>
            `SMTP_URL must be an smtp:// or smtps:// URL (got scheme ${quote(
              /^([a-z+]+):/.exec(vars.SMTP_URL ?? '')?.[1] ?? 'none',
            )})`,
        })
        .optional(),
      MAIL_FROM: z.email({ error: () => `MAIL_FROM must be an email address${got('MAIL_FROM')}` }).optional(),
      ACCORD_PUBLIC_URL: z
        .url({ protocol: /^https?$/, error: 'ACCORD_PUBLIC_URL must be an http:// or https:// URL' })
        .optional(),
      ACCORD_EMAIL_RETRY_BASE_MS: integer('ACCORD_EMAIL_RETRY_BASE_MS', 30_000, 1, 3_600_000),
      ACCORD_EMAIL_MAX_ATTEMPTS: integer('ACCORD_EMAIL_MAX_ATTEMPTS', 7, 1, 20),
      ACCORD_EMAIL_POLL_INTERVAL_MS: integer('ACCORD_EMAIL_POLL_INTERVAL_MS', 5000, 10, 600_000),
      ACCORD_DETECT_DENIALS: integer('ACCORD_DETECT_DENIALS', 5, 1, 10_000),
      ACCORD_DETECT_DENIAL_WINDOW_MINUTES: integer('ACCORD_DETECT_DENIAL_WINDOW_MINUTES', 10, 1, 10_080),
      ACCORD_DETECT_VOLUME_FACTOR: z
        .string()
        .regex(/^\d+(\.\d+)?$/, { error: () => volumeFactorProblem(vars) })
        .transform(Number)
        .pipe(
          z
            .number()
            .min(1, { error: () => volumeFactorProblem(vars) })
            .max(100, { error: () => volumeFactorProblem(vars) }),
        )
        .default(3),
      ACCORD_DETECT_VOLUME_MIN: integer('ACCORD_DETECT_VOLUME_MIN', 20, 1, 1_000_000),
      ACCORD_DETECT_VOLUME_HISTORY_DAYS: integer('ACCORD_DETECT_VOLUME_HISTORY_DAYS', 30, 1, 366),
      // Throttling and upload quotas (docs/operations.md): defaults suit production; suites that make many
      // requests raise them through the environment.
      ACCORD_AUTH_FAILURE_BURST_PER_IP: integer('ACCORD_AUTH_FAILURE_BURST_PER_IP', 50, 1, 1_000_000),
      ACCORD_AUTH_FAILURE_BURST_PER_TOKEN: integer('ACCORD_AUTH_FAILURE_BURST_PER_TOKEN', 10, 1, 1_000_000),
      ACCORD_AUTH_FAILURE_WINDOW_SECONDS: integer('ACCORD_AUTH_FAILURE_WINDOW_SECONDS', 60, 1, 86_400),
      ACCORD_UPLOAD_QUOTA_BYTES_PER_DAY: integer(
        'ACCORD_UPLOAD_QUOTA_BYTES_PER_DAY',
        50 * 1024 ** 3,
        1,
        Number.MAX_SAFE_INTEGER,
      ),
      ACCORD_UPLOAD_MAX_CONCURRENT: integer('ACCORD_UPLOAD_MAX_CONCURRENT', 8, 1, 10_000),
      // Browser sessions (docs/architecture.md §34): idle and absolute time-outs.
      SESSION_IDLE_MINUTES: integer('SESSION_IDLE_MINUTES', 30, 1, 1440),
      SESSION_ABSOLUTE_HOURS: integer('SESSION_ABSOLUTE_HOURS', 8, 1, 168),
      // The built web app (index.html and assets/); unset: dist/web of the installation.
      WEB_DIST_DIR: z.string().optional(),
      ACCORD_FAULT: z
        .enum(FAULT_POINTS as [string, ...string[]], {
          error: () => `ACCORD_FAULT must be one of ${FAULT_POINTS.join(', ')}${got('ACCORD_FAULT')}`,
        })
        .optional(),
    })
    .superRefine(
      (_, ctx) => {
        // Rules between variables read the environment itself, so they are reported even beside bad values.
        const set = (name: string) => vars[name] !== undefined;
        if (!set('S3_ENDPOINT')) {
          const stray = S3_NAMES.filter(set);
          if (stray.length > 0)
            ctx.addIssue({
              code: 'custom',
              path: ['S3_ENDPOINT'],
              message: `S3_ENDPOINT must be set when ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set`,
            });
        } else {
          const missing = S3_NAMES.filter((n) => !set(n));
          if (missing.length > 0)
            ctx.addIssue({
              code: 'custom',
              path: [missing[0]!],
              message: `${missing.join(', ')} must be set when S3_ENDPOINT is set`,
            });
        }
        if (set('KURRENTDB_URL') && set('POSTGRES_URL'))
          ctx.addIssue({
            code: 'custom',
            path: ['POSTGRES_URL'],
            message:
              'POSTGRES_URL and KURRENTDB_URL are both set: the event store is one engine, set one of them',
          });
        if (set('SMTP_URL') && !set('MAIL_FROM'))
          ctx.addIssue({
            code: 'custom',
            path: ['MAIL_FROM'],
            message: 'MAIL_FROM must be set when SMTP_URL is set',
          });
        const shared = ['KURRENTDB_URL', 'POSTGRES_URL'].find(set);
        if (shared && !set('PLATFORM_SECRET'))
          // Every node must derive the same subject reference from the same identifier.
          ctx.addIssue({
            code: 'custom',
            path: ['PLATFORM_SECRET'],
            message: `PLATFORM_SECRET must be set when ${shared} is set (all nodes share it)`,
          });
      },
      { when: () => true },
    );
}

function volumeFactorProblem(vars: EnvVars): string {
  return `ACCORD_DETECT_VOLUME_FACTOR must be a number 1-100 (got ${quote(vars.ACCORD_DETECT_VOLUME_FACTOR)})`;
}

/** The validated environment: every variable typed, every default applied. */
export type ValidEnv = z.output<ReturnType<typeof envSchema>>;
