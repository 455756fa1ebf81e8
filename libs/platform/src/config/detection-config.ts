/**
 * Thresholds of the security-incident rules (issue 7). The same shape as the domain's DetectionThresholds,
 * declared here so configuration stays free of the domain.
 */
export interface DetectionConfig {
  /** ACCORD_DETECT_DENIALS (default 5): refused opens by one user ... */
  denials: number;
  /** ACCORD_DETECT_DENIAL_WINDOW_MINUTES (default 10): ... within this many minutes. */
  denialWindowMinutes: number;
  /** ACCORD_DETECT_VOLUME_FACTOR (default 3): a day's opens this many times the user's daily average ... */
  volumeFactor: number;
  /** ACCORD_DETECT_VOLUME_MIN (default 20): ... and at least this many. */
  volumeMinimum: number;
  /** ACCORD_DETECT_VOLUME_HISTORY_DAYS (default 30): the days the average looks back over. */
  volumeHistoryDays: number;
}
