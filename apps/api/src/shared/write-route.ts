import { applyDecorators, Injectable, PipeTransform, Type } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import type { EventMetaInput } from '@accord/event-store';
import { Clock, Idempotency } from '@accord/platform';
import { eventMetaFor, otherOrganisation, type Caller } from '../auth';
import { ApiProblems } from './api-problem.decorator';

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

/** A command a caller sends for their own organisation, answered with `R`. */
export abstract class OrganisationRequest<R> extends Command<R> {
  constructor(
    readonly caller: Caller,
    readonly context: WriteContext,
  ) {
    super();
  }

  /** The time of the request, the same instant as the events' `occurredAt`. */
  get now(): Date {
    return new Date(this.context.meta.occurredAt);
  }

  /** The organisation the caller acts for; a caller of none (the platform admin) is refused. */
  get orgId(): string {
    if (this.caller.orgId === null) throw otherOrganisation();
    return this.caller.orgId;
  }
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

/**
 * OpenAPI for a state-changing route: bearer auth, Idempotency-Key, the 400/401 every such route answers,
 * the aggregate's own 403 and 404 problems, then the route's refusals.
 */
export function writeRouteDecorator(forbidden: string, notFound: string) {
  return (...refusals: [number, string][]): MethodDecorator =>
    applyDecorators(
      ApiHeader({
        name: 'Idempotency-Key',
        required: false,
        description: 'A retry with the same key appends nothing twice and answers as the first request',
      }),
      ApiProblems(
        [400, 'validation-failed: the body does not match the expected shape'],
        [403, forbidden],
        [404, notFound],
        ...refusals,
      ),
    );
}
