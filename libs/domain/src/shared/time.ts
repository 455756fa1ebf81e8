/** UTC calendar arithmetic. Everything the domain stores is an ISO-8601 UTC instant string. */

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * An ISO-8601 instant with an explicit offset (a local time without one would depend on the server's zone).
 * Every field must exist on the calendar and the clock: `Date` alone rolls 30 February over to 2 March and
 * 24:00 to the next day, and a breach discovered "on 30 February" would start its ICO clock on another day.
 */
export function parseInstant(value: string): Date | undefined {
  const m = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!m || !isCalendarDate(m[1]!, m[2]!, m[3]!)) return undefined;
  const [hour, minute, second, offsetHours, offsetMinutes] = [m[4], m[5], m[6], m[7], m[8]].map(Number);
  if (hour! > 23 || minute! > 59 || second! > 59 || offsetHours! > 23 || offsetMinutes! > 59)
    return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `YYYY-MM-DD` as the start of that UTC day; rejects impossible dates such as 2023-02-30. */
export function parseDateOnly(value: string): Date | undefined {
  const m = typeof value === 'string' ? DATE_ONLY.exec(value) : null;
  if (!m || !isCalendarDate(m[1]!, m[2]!, m[3]!)) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

function isCalendarDate(year: string, month: string, day: string): boolean {
  const [y, mo, d] = [Number(year), Number(month), Number(day)];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export function daysInUtcMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/** Calendar months: 31 January + 1 month is 28/29 February (clamped), as people read a review date. */
export function addMonthsUtc(date: Date, months: number): Date {
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const monthIndex = total - year * 12;
  const day = Math.min(date.getUTCDate(), daysInUtcMonth(year, monthIndex));
  const result = new Date(date.getTime());
  result.setUTCFullYear(year, monthIndex, day);
  return result;
}

export function addDaysUtc(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
