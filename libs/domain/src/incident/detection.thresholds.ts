/** Configurable thresholds of the detection rules (ACCORD_DETECT_* in docs/operations.md). */
export interface DetectionThresholds {
  /** `denials-burst`: this many refused opens by one user ... */
  denials: number;
  /** ... within this many minutes (a sliding window). */
  denialWindowMinutes: number;
  /** `unusual-volume`: a day's opens reaching max(volumeMinimum, volumeFactor x the user's daily average). */
  volumeFactor: number;
  volumeMinimum: number;
  /** How many previous days the daily average looks back over. */
  volumeHistoryDays: number;
}

export const DEFAULT_DETECTION_THRESHOLDS: Readonly<DetectionThresholds> = Object.freeze({
  denials: 5,
  denialWindowMinutes: 10,
  volumeFactor: 3,
  volumeMinimum: 20,
  volumeHistoryDays: 30,
});
