import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  /** Echoed in `x-correlation-id`, written on every log line and problem, and into appended events' meta. */
  readonly correlationId: string;
  /** Told the log position of each append made for the request (log-position.ts sets the answer's header). */
  readonly appended?: (position: number) => void;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** The context of the request being handled, if any (undefined in start-up code and jobs). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

// A caller's id is reused only if it cannot smuggle anything into our logs: short, no spaces, no controls.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller-supplied correlation id if it is safe to log, else makes a new one. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}
