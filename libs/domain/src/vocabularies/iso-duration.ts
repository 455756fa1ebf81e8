import { addMonthsUtc } from '../shared/time';

/**
 * ISO-8601 durations as used for retention periods: `P6Y`, `P30D`, `PT1M`, `P1Y2M3DT4H5M6S`, `P2W`. Seconds
 * may carry a fraction (`PT0.5S`). Years and months are calendar units, added before days and time, so
 * `P1M` from 31 January lands on the last day of February.
 */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,3})?)S)?)?$/;

/** Guards against a duration that would overflow a Date (±275,760 years from 1970). */
const MAX_COMPONENT = 100_000_000;

export function parseIsoDuration(value: unknown): IsoDuration | undefined {
  if (typeof value !== 'string') return undefined;
  const m = PATTERN.exec(value.trim().toUpperCase());
  if (!m) return undefined;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]!.replace(',', '.')));
  const d: IsoDuration = {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    hours: n(5),
    minutes: n(6),
    seconds: n(7),
  };
  return Object.values(d).every((v) => Number.isFinite(v) && v <= MAX_COMPONENT) ? d : undefined;
}

export function isIsoDuration(value: unknown): boolean {
  return parseIsoDuration(value) !== undefined;
}

export function isZeroDuration(d: IsoDuration): boolean {
  return Object.values(d).every((v) => v === 0);
}

/** Adds in UTC; returns undefined when the result falls outside the range a Date can hold. */
export function addIsoDuration(from: Date, duration: IsoDuration | string): Date | undefined {
  const d = typeof duration === 'string' ? parseIsoDuration(duration) : duration;
  if (!d) return undefined;
  const calendar = addMonthsUtc(from, d.years * 12 + d.months);
  const ms =
    (((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60_000 + Math.round(d.seconds * 1000);
  const result = new Date(calendar.getTime() + ms);
  return Number.isNaN(result.getTime()) ? undefined : result;
}
