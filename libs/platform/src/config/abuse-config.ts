/**
 * Limits that keep one client or one partner from exhausting the platform (issue 12, docs/operations.md).
 * Defaults suit production; test suites that make many requests raise them through the environment.
 */
export interface AbuseConfig {
  /** ACCORD_AUTH_FAILURE_BURST_PER_IP (default 50): failed authentications from one client IP per window. */
  authFailuresPerIp: number;
  /** ACCORD_AUTH_FAILURE_BURST_PER_TOKEN (default 10): failed authentications per token prefix per window. */
  authFailuresPerToken: number;
  /** ACCORD_AUTH_FAILURE_WINDOW_SECONDS (default 60): the window those bursts are counted over. */
  authFailureWindowSeconds: number;
  /** ACCORD_UPLOAD_QUOTA_BYTES_PER_DAY (default 50 GiB): payload bytes one organisation may upload per UTC day. */
  uploadBytesPerDay: number;
  /** ACCORD_UPLOAD_MAX_CONCURRENT (default 8): uploads one organisation may have streaming at once. */
  uploadMaxConcurrent: number;
}

/** Parses the ACCORD_AUTH_* and ACCORD_UPLOAD_* variables, pushing one phrase per bad variable onto `problems`. */
export function parseAbuseConfig(get: (name: string) => string | undefined, problems: string[]): AbuseConfig {
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer ${min}-${max} (got ${JSON.stringify(raw.slice(0, 60))})`);
      return fallback;
    }
    return n;
  };
  return {
    authFailuresPerIp: whole('ACCORD_AUTH_FAILURE_BURST_PER_IP', 50, 1, 1_000_000),
    authFailuresPerToken: whole('ACCORD_AUTH_FAILURE_BURST_PER_TOKEN', 10, 1, 1_000_000),
    authFailureWindowSeconds: whole('ACCORD_AUTH_FAILURE_WINDOW_SECONDS', 60, 1, 86_400),
    uploadBytesPerDay: whole('ACCORD_UPLOAD_QUOTA_BYTES_PER_DAY', 50 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    uploadMaxConcurrent: whole('ACCORD_UPLOAD_MAX_CONCURRENT', 8, 1, 10_000),
  };
}
