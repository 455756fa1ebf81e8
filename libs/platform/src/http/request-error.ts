/**
 * An error about the request itself (not the domain): malformed JSON, a bad header, failed validation.
 * Same shape as the domain's errors (a stable `code` and a `status`), so the one filter renders both.
 */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'RequestError';
  }
}

export interface FieldError {
  /** JSON Pointer (RFC 6901) into the request body, e.g. `/parties/0`. */
  pointer: string;
  detail: string;
}

export const malformedJson = (): RequestError =>
  new RequestError('malformed-json', 400, 'Malformed JSON', 'The request body is not valid JSON.');

export const payloadTooLarge = (limit: string): RequestError =>
  new RequestError(
    'payload-too-large',
    413,
    'Payload too large',
    `The request body is larger than ${limit}.`,
  );

export const validationFailed = (errors: FieldError[]): RequestError =>
  new RequestError(
    'validation-failed',
    400,
    'Validation failed',
    'The request does not match the expected shape.',
    { errors },
  );

export const invalidIdempotencyKey = (): RequestError =>
  new RequestError(
    'invalid-idempotency-key',
    400,
    'Invalid Idempotency-Key',
    'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
  );
