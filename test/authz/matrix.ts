import type { ApiClient, Reply, World, WorldUser } from './world';

/**
 * The authorisation matrix: every endpoint x every caller x own/other organisation, with the exact status
 * expected. Rows live per feature in rows/<feature>.rows.ts, each exporting `rows: MatrixRow[]`; the spec
 * loads every such file and fails if the OpenAPI document lists an operation with no row.
 */
export type Side = 'own' | 'other';
export type OrgRoleKey = 'ig-lead' | 'practitioner' | 'auditor';
export type CallerKey = 'admin' | `${OrgRoleKey}:${Side}` | 'anonymous';

export const CALLER_KEYS: readonly CallerKey[] = [
  'admin',
  'ig-lead:own',
  'ig-lead:other',
  'practitioner:own',
  'practitioner:other',
  'auditor:own',
  'auditor:other',
  'anonymous',
];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who calls, and on whose organisation's resource. */
export interface Call {
  key: CallerKey;
  /** The caller's user, undefined for `anonymous`. Org callers always belong to `world.orgs.own`. */
  user: WorldUser | undefined;
  /**
   * The organisation whose resource the request addresses: `other` only for the `:other` keys, so
   * `ig-lead:other` is an IG lead of `own` acting on `other`'s resource. Admin and anonymous use `own`.
   */
  side: Side;
  /** An HTTP client acting as the caller (with its token, or none). */
  client: ApiClient;
}

export interface MatrixRequest {
  /** The concrete path, query included. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface MatrixRow<P = unknown> {
  method: HttpMethod;
  /** The OpenAPI path template, exactly as in /docs-json (`/organisations/{org}/keys`). */
  path: string;
  /** Tells rows of the same operation apart (e.g. "on oneself"). */
  variant?: string;
  /**
   * Runs before each call, as the admin or anyone the row needs, and returns fixtures for `request`. Rows
   * that change state must make fresh data here, so no call depends on another's leftovers.
   */
  prepare?: (world: World, call: Call) => Promise<P>;
  request: (world: World, call: Call, prepared: P) => MatrixRequest;
  /** The exact status for every caller key (use `expectStatuses` to write it briefly). */
  expect: Record<CallerKey, number>;
  /** The operation is deliberately absent from OpenAPI (e.g. /metrics). */
  undocumented?: boolean;
  /** Optional extra assertion on the reply (e.g. the problem type). */
  check?: (reply: Reply, call: Call) => void;
}

type Shorthand = Partial<Record<CallerKey | OrgRoleKey | 'others', number>>;

/**
 * `expectStatuses({ admin: 201, 'ig-lead:own': 201, others: 403, anonymous: 401 })`: a bare role sets both
 * its sides, `others` every key not named. Throws if a key is left without a status.
 */
export function expectStatuses(shorthand: Shorthand): Record<CallerKey, number> {
  const out = {} as Record<CallerKey, number>;
  for (const key of CALLER_KEYS) {
    const role = key.split(':')[0] as OrgRoleKey;
    const status = shorthand[key] ?? (key.includes(':') ? shorthand[role] : undefined) ?? shorthand.others;
    if (status === undefined) throw new Error(`no expected status for ${key}`);
    out[key] = status;
  }
  return out;
}

/** The same status for every authenticated caller, 401 for anonymous. */
export const anyAuthenticated = (status: number) => expectStatuses({ others: status, anonymous: 401 });

/** A public route: the same status for everyone. */
export const everyone = (status: number) => expectStatuses({ others: status });

/** A row whatever its fixtures' type (MatrixRow is invariant in P, so arrays of rows need this). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMatrixRow = MatrixRow<any>;

/** A rows/<feature>.rows.ts module. */
export interface RowsModule {
  rows: AnyMatrixRow[];
}

export function rowName(row: Pick<MatrixRow, 'method' | 'path' | 'variant'>): string {
  return `${row.method} ${row.path}${row.variant ? ` (${row.variant})` : ''}`;
}

/** Typed helper for writing a row whose prepare() returns fixtures. */
export function row<P>(definition: MatrixRow<P>): MatrixRow<P> {
  return definition;
}
