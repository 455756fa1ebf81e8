import { applyDecorators, Injectable, PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { breachFail } from '@accord/domain';
import { Clock, Idempotency, PROBLEM_CONTENT_TYPE } from '@accord/platform';
import { eventMetaFor, type Caller } from '../auth';
import type { BreachWriteContext } from './breach.commands';

/** Breach ids are UUIDs; anything else cannot name a stream of ours and reads as not found. */
@Injectable()
export class BreachIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[0-9a-fA-F-]{36}$/.test(value)) throw breachFail('breach.not-found');
    return value.toLowerCase();
  }
}

export function breachContext(
  caller: Caller,
  req: Request,
  clock: Clock,
  idempotency: Idempotency,
): BreachWriteContext {
  return { meta: eventMetaFor(caller, req, clock), idempotency };
}

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { type: 'object' } } } });

/** OpenAPI for a state-changing breach route: bearer auth, Idempotency-Key, the problems it answers. */
export function BreachWrite(...refusals: [number, string][]): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'A retry with the same key appends nothing twice and answers as the first request',
    }),
    problem(400, 'validation-failed: the body does not match the expected shape'),
    problem(401, 'auth.unauthenticated'),
    problem(403, 'auth.forbidden-role, breach.not-reporter, breach.not-a-party'),
    problem(404, 'breach.not-found'),
    ...refusals.map(([status, description]) => problem(status, description)),
  );
}
