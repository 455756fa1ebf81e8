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
