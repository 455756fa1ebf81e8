/** RFC 9457 problem details: the body of every error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://accord.example/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path, without its query (which may carry a subject identifier). */
  instance: string;
  correlationId: string;
  [extension: string]: unknown;
}

export const problemType = (code: string): string => PROBLEM_TYPE_BASE + code;

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'correlationId']);

/** Extension members may add to the problem but never replace its standard members. */
export function withExtensions(problem: Problem, extra: unknown): Problem {
  if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) return problem;
  const out: Problem = { ...problem };
  for (const [k, v] of Object.entries(extra)) if (!RESERVED.has(k) && v !== undefined) out[k] = v;
  return out;
}

/** Codes and titles for statuses Nest or Express raise on their own (unknown route, a thrown HttpException). */
export const STATUS_CODES: Record<number, [string, string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthenticated', 'Authentication required'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  406: ['not-acceptable', 'Not acceptable'],
  408: ['request-timeout', 'Request timeout'],
  409: ['conflict', 'Conflict'],
  410: ['gone', 'Gone'],
  411: ['length-required', 'Length required'],
  412: ['precondition-failed', 'Precondition failed'],
  413: ['payload-too-large', 'Payload too large'],
  414: ['uri-too-long', 'URI too long'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['unprocessable-content', 'Unprocessable content'],
  428: ['precondition-required', 'Precondition required'],
  429: ['too-many-requests', 'Too many requests'],
  500: ['internal', 'Internal error'],
  501: ['not-implemented', 'Not implemented'],
  503: ['service-unavailable', 'Service unavailable'],
};

export function codeAndTitleFor(status: number): [string, string] {
  return STATUS_CODES[status] ?? (status >= 500 ? STATUS_CODES[500]! : [`http-${status}`, 'Request failed']);
}
