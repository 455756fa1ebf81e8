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

/** Parses the ACCORD_DETECT_* variables, pushing one phrase per bad variable onto `problems`. */
export function parseDetectionConfig(
  get: (name: string) => string | undefined,
  problems: string[],
): DetectionConfig {
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
  const denials = whole('ACCORD_DETECT_DENIALS', 5, 1, 10_000);
  const denialWindowMinutes = whole('ACCORD_DETECT_DENIAL_WINDOW_MINUTES', 10, 1, 10_080);
  const factorRaw = get('ACCORD_DETECT_VOLUME_FACTOR');
  let volumeFactor = 3;
  if (factorRaw !== undefined) {
    const f = /^\d+(\.\d+)?$/.test(factorRaw) ? Number(factorRaw) : NaN;
    if (!(f >= 1 && f <= 100))
      problems.push(
        `ACCORD_DETECT_VOLUME_FACTOR must be a number 1-100 (got ${JSON.stringify(factorRaw.slice(0, 60))})`,
      );
    else volumeFactor = f;
  }
  return {
    denials,
    denialWindowMinutes,
    volumeFactor,
    volumeMinimum: whole('ACCORD_DETECT_VOLUME_MIN', 20, 1, 1_000_000),
    volumeHistoryDays: whole('ACCORD_DETECT_VOLUME_HISTORY_DAYS', 30, 1, 366),
  };
}
