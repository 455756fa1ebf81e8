import { applyDecorators, Injectable, PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { fail } from '@accord/domain';
import { Clock, Idempotency, PROBLEM_CONTENT_TYPE } from '@accord/platform';
import { eventMetaFor, type Caller } from '../auth';
import type { WriteContext } from './agreement-writer';

/** Agreement ids are UUIDs; anything else cannot name a stream of ours and reads as not found. */
@Injectable()
export class AgreementIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[0-9a-fA-F-]{36}$/.test(value)) throw fail('agreement.not-found');
    return value.toLowerCase();
  }
}

export function writeContext(
  caller: Caller,
  req: Request,
  clock: Clock,
  idempotency: Idempotency,
): WriteContext {
  return { meta: eventMetaFor(caller, req, clock), idempotency };
}

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { type: 'object' } } } });

/** OpenAPI for a state-changing agreement route: bearer auth, Idempotency-Key, the problems it answers. */
export function AgreementWrite(...refusals: [number, string][]): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'A retry with the same key appends nothing twice and answers as the first request',
    }),
    problem(400, 'validation-failed: the body does not match the expected shape'),
    problem(401, 'auth.unauthenticated'),
    problem(403, 'auth.forbidden-role, auth.other-organisation, agreement.not-a-party'),
    problem(404, 'agreement.not-found'),
    ...refusals.map(([status, description]) => problem(status, description)),
  );
}
