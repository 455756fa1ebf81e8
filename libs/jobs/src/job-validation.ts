import { InvalidJobDataError, InvalidJobError } from './errors';
import { JobData, RegisterOptions } from './scheduler.port';

export interface ResolvedJobOptions {
  concurrency: number;
  attempts: number;
  backoffMs: number;
}

export const DEFAULT_JOB_OPTIONS: ResolvedJobOptions = { concurrency: 1, attempts: 3, backoffMs: 1000 };

/** Lower-case, dotted or dashed (`retention-sweep`, `retention.destroy-payload`): also a BullMQ queue name. */
const JOB_NAME = /^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*$/;
const JOB_ID = /^[A-Za-z0-9._:-]{1,200}$/;
/** BullMQ keeps integer ids for its own counter and refuses them as custom ids. */
const INTEGER = /^-?\d+$/;
const DATA_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const MAX_DATA_KEYS = 32;
/** Ids and codes are short; a long string is a sign that content is being smuggled into a job. */
const MAX_STRING = 512;

export function assertJobName(name: string): void {
  if (typeof name !== 'string' || name.length > 64 || !JOB_NAME.test(name))
    throw new InvalidJobError('a job name is 1..64 of lower-case letters, digits, dots and dashes');
}

export function assertJobId(id: string): void {
  if (typeof id !== 'string' || !JOB_ID.test(id) || INTEGER.test(id))
    throw new InvalidJobError('a job id is 1..200 of [A-Za-z0-9._:-] and not a bare integer');
}

export function assertInteger(label: string, ms: number, min: number): void {
  if (!Number.isSafeInteger(ms) || ms < min)
    throw new InvalidJobError(`${label} must be an integer >= ${min}`);
}

/** Copies data into a frozen plain object of primitives, or throws naming the offending key (never its value). */
export function checkedJobData(data: unknown): JobData {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new InvalidJobDataError('job data is a plain object');
  const proto: unknown = Object.getPrototypeOf(data);
  if (proto !== Object.prototype && proto !== null)
    throw new InvalidJobDataError('job data is a plain object');
  const entries = Object.entries(data);
  if (entries.length > MAX_DATA_KEYS) throw new InvalidJobDataError(`more than ${MAX_DATA_KEYS} keys`);
  const copy: Record<string, string | number | boolean> = {};
  for (const [key, value] of entries) {
    if (!DATA_KEY.test(key)) throw new InvalidJobDataError('keys are identifiers of up to 64 characters');
    if (typeof value === 'string') {
      if (value.length > MAX_STRING)
        throw new InvalidJobDataError(`${key}: longer than ${MAX_STRING} characters`);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new InvalidJobDataError(`${key}: not a finite number`);
    } else if (typeof value !== 'boolean') {
      throw new InvalidJobDataError(`${key}: ${describe(value)} is not a string, number or boolean`);
    }
    copy[key] = value;
  }
  return Object.freeze(copy);
}

export function resolveJobOptions(options: RegisterOptions = {}): ResolvedJobOptions {
  const resolved = { ...DEFAULT_JOB_OPTIONS, ...definedOnly(options) };
  assertInteger('concurrency', resolved.concurrency, 1);
  assertInteger('attempts', resolved.attempts, 1);
  assertInteger('backoffMs', resolved.backoffMs, 0);
  return resolved;
}

/** The wait after attempt `failedAttempt` failed: backoffMs, then doubling (BullMQ's exponential backoff). */
export function backoffDelay(backoffMs: number, failedAttempt: number): number {
  return Math.round(backoffMs * 2 ** (failedAttempt - 1));
}

function definedOnly(options: RegisterOptions): RegisterOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
