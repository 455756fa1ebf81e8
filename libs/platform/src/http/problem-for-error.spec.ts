import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '@accord/event-store';
import { problemForError } from './problem-for-error';
import { malformedJson, validationFailed } from './request-error';

class AgreementNotActive extends Error {
  readonly code = 'agreement.not-active';
  readonly status = 409;
  readonly title = 'Agreement not active';
  readonly detail = 'Every party must sign version 2 first.';
  readonly extra = { agreementId: 'a-1', version: 2 };
}

describe('problemForError', () => {
  it('an error with a code and a status is rendered from them, whatever its class', () => {
    expect(problemForError(new AgreementNotActive('x'))).toEqual({
      status: 409,
      code: 'agreement.not-active',
      title: 'Agreement not active',
      detail: 'Every party must sign version 2 first.',
      extra: { agreementId: 'a-1', version: 2 },
      serverFault: false,
    });
  });

  it('a coded error with no detail uses its message, and no title falls back to the status title', () => {
    const e = Object.assign(new Error('stream has no events'), { code: 'document.not-found', status: 404 });
    expect(problemForError(e)).toMatchObject({
      status: 404,
      code: 'document.not-found',
      title: 'Not found',
      detail: 'stream has no events',
    });
  });

  it('a coded error with a 5xx status is a server fault whose detail and extras are withheld', () => {
    const e = Object.assign(new Error('disk /var/x full'), {
      code: 'storage.full',
      status: 507,
      extra: { path: '/var/x' },
    });
    const p = problemForError(e);
    expect(p).toMatchObject({ status: 507, serverFault: true, extra: undefined });
    expect(p.detail).not.toContain('/var/x');
  });

  it('a wrong expected revision is a 409 concurrency conflict, never a 500', () => {
    expect(problemForError(new WrongExpectedRevisionError('agreement-1', 3, 4))).toMatchObject({
      status: 409,
      code: 'concurrency-conflict',
    });
  });

  it('an event id reused for a different event means the Idempotency-Key was reused: 422', () => {
    expect(problemForError(new DuplicateEventIdError('e-1'))).toMatchObject({
      status: 422,
      code: 'idempotency-key-reused',
    });
  });

  it('an unavailable event store is a 503 with Retry-After', () => {
    expect(problemForError(new EventStoreUnavailableError('connection refused'))).toMatchObject({
      status: 503,
      code: 'service-unavailable',
      retryAfterSeconds: 1,
      serverFault: true,
    });
  });

  it("Nest's 404 for an unknown route becomes not-found without repeating the path", () => {
    const p = problemForError(new NotFoundException('Cannot GET /documents/943 476 5919'));
    expect(p).toMatchObject({ status: 404, code: 'not-found', title: 'Not found' });
    expect(p.detail).not.toContain('943');
  });

  it("an HttpException's own 4xx message is kept; a list of messages is joined", () => {
    expect(problemForError(new BadRequestException('Validation failed (uuid is expected)')).detail).toBe(
      'Validation failed (uuid is expected)',
    );
    expect(problemForError(new BadRequestException(['a is wrong', 'b is wrong'])).detail).toBe(
      'a is wrong; b is wrong',
    );
    expect(problemForError(new HttpException('slow down', 429))).toMatchObject({
      status: 429,
      code: 'too-many-requests',
    });
  });

  it('a 5xx HttpException leaks nothing of its message', () => {
    const p = problemForError(new InternalServerErrorException('SELECT * FROM users failed'));
    expect(p).toMatchObject({ status: 500, code: 'internal', serverFault: true });
    expect(p.detail).not.toContain('SELECT');
  });

  it('an unexpected error is a 500 that says nothing about it', () => {
    const p = problemForError(new TypeError("Cannot read properties of undefined (reading 'nhsNumber')"));
    expect(p).toMatchObject({ status: 500, code: 'internal', title: 'Internal error', serverFault: true });
    expect(p.detail).not.toMatch(/nhsNumber|undefined/);
    expect(problemForError('a thrown string')).toMatchObject({ status: 500, code: 'internal' });
    expect(problemForError(undefined)).toMatchObject({ status: 500, code: 'internal' });
  });

  it('a body-parser syntax error that reaches the filter untranslated is malformed-json, without the quoted body', () => {
    const e = Object.assign(new SyntaxError('Unexpected token \'s\', "secret nhs 943" is not valid JSON'), {
      type: 'entity.parse.failed',
      status: 400,
      expose: true,
    });
    const p = problemForError(e);
    expect(p).toMatchObject({ status: 400, code: 'malformed-json' });
    expect(p.detail).not.toContain('943');
  });

  it('other body-parser client errors keep their 4xx status', () => {
    const e = Object.assign(new Error('unsupported charset "UTF-7"'), {
      type: 'charset.unsupported',
      status: 415,
      expose: true,
    });
    expect(problemForError(e)).toMatchObject({ status: 415, code: 'unsupported-media-type' });
  });

  it("the platform's own request errors carry their code and extras", () => {
    expect(problemForError(malformedJson())).toMatchObject({ status: 400, code: 'malformed-json' });
    const errors = [{ pointer: '/name', detail: 'name must be a string' }];
    expect(problemForError(validationFailed(errors))).toMatchObject({
      status: 400,
      code: 'validation-failed',
      extra: { errors },
    });
  });
});
