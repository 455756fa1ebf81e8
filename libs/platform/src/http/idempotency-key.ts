import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { eventIdsFor } from '@accord/event-store';
import { invalidIdempotencyKey } from './request-error';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Visible ASCII only, so the key is safe in logs and stable across client libraries' encodings. */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

export interface Idempotency {
  /** The client's key, if it sent one. */
  readonly key: string | undefined;
  /** Method, path and caller: the same key from another caller or on another resource is another request. */
  readonly scope: string;
  /** Ids for the events this request appends: derived from the key when there is one, fresh otherwise. */
  eventIds(count: number): string[];
}

/** Reads and checks the Idempotency-Key header of a request; throws a 400 problem if it is malformed. */
export function idempotencyOf(req: Request): Idempotency {
  const raw = req.headers[IDEMPOTENCY_KEY_HEADER];
  if (Array.isArray(raw)) throw invalidIdempotencyKey();
  if (raw !== undefined && !VALID_KEY.test(raw)) throw invalidIdempotencyKey();
  const key = raw;
  const scope = `${req.method} ${req.path} ${callerOf(req)}`;
  return { key, scope, eventIds: (count) => eventIdsFor(count, key, scope) };
}

/**
 * `@IdempotencyKey() idem: Idempotency` in a state-changing handler. docs/architecture.md §18.1: a client's
 * retry with the same key derives the same event ids, and the store answers it as the first request.
 */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): Idempotency => {
  return idempotencyOf(ctx.switchToHttp().getRequest<Request>());
});

/**
 * The authenticated caller, as the auth guard leaves it on `req.user` (Passport's convention); requests
 * without one share the scope `anonymous`.
 */
function callerOf(req: Request): string {
  const user = (req as Request & { user?: { userId?: unknown; id?: unknown } }).user;
  const id = user?.userId ?? user?.id;
  return typeof id === 'string' && id !== '' ? id : 'anonymous';
}
