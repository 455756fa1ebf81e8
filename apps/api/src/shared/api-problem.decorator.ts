import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request or failed validation (validation-failed lists each field)',
  401: 'No valid bearer token (auth.unauthenticated)',
  403: 'Role, organisation, suspension or access agreement forbids it',
  404: 'Not found',
  409: 'Conflicts with the current state',
  422: 'Breaks a domain rule (the problem type names it)',
};

/** Documents the problem+json answers of an authenticated route (RFC 9457 bodies with a correlationId). */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ...[...new Set([401, ...statuses])].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { type: 'object' } } },
      }),
    ),
  );
}
