import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from '@accord/platform';

/** One failed check of a request body (`validation-failed`), as the validation pipe lists them. */
@ApiSchema({ name: 'ProblemFieldError' })
export class ProblemFieldErrorDto {
  @ApiProperty({ description: 'JSON Pointer (RFC 6901) into the request body', example: '/parties/0' })
  pointer!: string;
  @ApiProperty({ example: 'parties must contain at least 2 elements' }) detail!: string;
}

/**
 * The body of every error response, as ProblemDetailsFilter (libs/platform) writes it. Kept beside the
 * decorators that reference it so that a route cannot document an error without this schema.
 */
@ApiSchema({
  name: 'Problem',
  description:
    'RFC 9457 problem details. Refusals may add extension members (for example `agreementId`); ' +
    'the standard members are always present.',
})
export class ProblemDto {
  @ApiProperty({
    description: 'Identifies the refusal; the last segment is its stable code',
    example: `${PROBLEM_TYPE_BASE}validation-failed`,
  })
  type!: string;
  @ApiProperty({ example: 'Validation failed' }) title!: string;
  @ApiProperty({ type: 'integer', example: 400 }) status!: number;
  @ApiProperty({ example: 'The request does not match the expected shape.' }) detail!: string;
  @ApiProperty({ description: 'The request path, without its query', example: '/organisations' })
  instance!: string;
  @ApiProperty({ description: 'Quote it when reporting a fault; also in the x-correlation-id header' })
  correlationId!: string;
  @ApiPropertyOptional({ type: [ProblemFieldErrorDto], description: 'validation-failed only: each field' })
  errors?: ProblemFieldErrorDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request or failed validation (validation-failed lists each field)',
  401: 'No valid bearer token (auth.unauthenticated)',
  403: 'Role, organisation, suspension or access agreement forbids it',
  404: 'Not found',
  409: 'Conflicts with the current state',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Breaks a domain rule (the problem type names it)',
};

/** A status, or a status with the problem codes it stands for on this route. */
export type ProblemStatus = number | [status: number, description: string];

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } };

/** One documented error response: the shared Problem schema as application/problem+json. */
export function ApiProblem(
  status: number | 'default',
  description: string,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto, ProblemFieldErrorDto),
    ApiResponse({ status, description, content: problemContent }),
  );
}

/**
 * Every status not listed (a 5xx, a 429, a 406...) still answers a Problem: `default` says so, so a
 * generated client types every error body, not only the listed ones.
 */
const anyOtherProblem = (): MethodDecorator & ClassDecorator =>
  ApiProblem('default', 'Any other error, as a problem (a 5xx answers only the correlation id)');

const problemsFor = (statuses: ProblemStatus[]): (MethodDecorator & ClassDecorator)[] => {
  const byStatus = new Map<number, string>();
  for (const s of statuses) {
    const [status, description] = Array.isArray(s) ? s : [s, DESCRIPTIONS[s] ?? 'Error'];
    // Two refusals with one status (a route's own 403 beside the common one) share the response.
    byStatus.set(status, byStatus.has(status) ? `${byStatus.get(status)}; ${description}` : description);
  }
  return [...byStatus]
    .map(([status, description]) => ApiProblem(status, description))
    .concat(anyOtherProblem());
};

/** Documents the problem+json answers of an authenticated route (RFC 9457 bodies with a correlationId). */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(), ...problemsFor([401, ...statuses]));
}

/**
 * A route that needs no token (`@Public()`): `security: []` overrides the document's bearer default.
 * `summary: undefined` keeps ApiOperation from writing its default empty summary over the route's own,
 * whichever order the decorators are listed in.
 */
export function ApiPublicRoute(...statuses: ProblemStatus[]): MethodDecorator {
  return applyDecorators(ApiOperation({ summary: undefined, security: [] }), ...problemsFor(statuses));
}
