import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, validationFailed } from './request-error';

/**
 * DTO validation at the edge: unknown properties are refused (whitelist), and failures answer 400
 * validation-failed listing each field by JSON Pointer. class-validator's messages name the property and
 * the rule, never the value sent.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(fieldErrors(errors)),
  });
}

export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const pointer = `${parent}/${escapePointer(e.property)}`;
    for (const detail of Object.values(e.constraints ?? {})) out.push({ pointer, detail });
    if (e.children?.length) out.push(...fieldErrors(e.children, pointer));
  }
  return out;
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
