import { applyDecorators, Injectable, PipeTransform, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { EventMetaInput } from '@accord/event-store';
import { Clock, Idempotency, PROBLEM_CONTENT_TYPE } from '@accord/platform';
import { eventMetaFor, type Caller } from '../auth';

/** What a state-changing handler needs from its request: the events' metadata and the Idempotency-Key. */
export interface WriteContext {
  meta: EventMetaInput;
  idempotency: Idempotency;
}

export function writeContext(
  caller: Caller,
  req: Request,
  clock: Clock,
  idempotency: Idempotency,
): WriteContext {
  return { meta: eventMetaFor(caller, req, clock), idempotency };
}

/**
 * A pipe for aggregate ids that are UUIDs: anything else cannot name a stream of ours and reads as not found
 * (the aggregate's own not-found error), before any I/O.
 */
export function UuidIdPipe(notFound: () => Error): Type<PipeTransform<string, string>> {
  @Injectable()
  class IdPipe implements PipeTransform<string, string> {
    transform(value: string): string {
      if (typeof value !== 'string' || !/^[0-9a-fA-F-]{36}$/.test(value)) throw notFound();
      return value.toLowerCase();
    }
  }
  return IdPipe;
}

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { type: 'object' } } } });

/**
 * OpenAPI for a state-changing route: bearer auth, Idempotency-Key, the 400/401 every such route answers,
 * the aggregate's own 403 and 404 problems, then the route's refusals.
 */
export function writeRouteDecorator(forbidden: string, notFound: string) {
  return (...refusals: [number, string][]): MethodDecorator =>
    applyDecorators(
      ApiBearerAuth(),
      ApiHeader({
        name: 'Idempotency-Key',
        required: false,
        description: 'A retry with the same key appends nothing twice and answers as the first request',
      }),
      problem(400, 'validation-failed: the body does not match the expected shape'),
      problem(401, 'auth.unauthenticated'),
      problem(403, forbidden),
      problem(404, notFound),
      ...refusals.map(([status, description]) => problem(status, description)),
    );
}
