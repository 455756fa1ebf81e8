import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, validationFailed } from './request-error';

/**
 * DTO validation at the edge: unknown properties are refused (whitelist), and failures answer 400
 * validation-failed listing each field by JSON Pointer. class-validator's messages name the property and
 * the rule, never the value sent.
 */
export function createValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
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

/**
 * Most GETs come with no query at all, and class-transformer plus class-validator then spend their work
 * finding that `{}` makes a DTO with no property set (docs/architecture.md §37.7). The answer for an empty
 * value depends only on the class (its rules and transforms are fixed at load), so the first empty value of
 * each class runs the whole pipe, and once that gave an instance with no property, later empty values get a
 * fresh instance directly. A class for which `{}` fails (a required field) or gains a property (a transform's
 * default) is never remembered: each empty value runs the whole pipe.
 */
class EdgeValidationPipe extends ValidationPipe {
  private readonly emptyPasses = new WeakSet<object>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype as (new () => object) | undefined;
    if (metatype === undefined || !isEmptyPlainObject(value) || !this.toValidate(metadata))
      return super.transform(value, metadata);
    if (this.emptyPasses.has(metatype)) return new metatype();
    const entity: unknown = await super.transform(value, metadata);
    if (entity instanceof metatype && Reflect.ownKeys(entity).length === 0) this.emptyPasses.add(metatype);
    return entity;
  }
}

function isEmptyPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Reflect.ownKeys(value).length === 0;
}
