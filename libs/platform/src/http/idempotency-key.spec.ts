import type { Request } from 'express';
import { idempotencyOf } from './idempotency-key';
import { RequestError } from './request-error';

function request(
  headers: Record<string, string | string[]>,
  extra: Partial<Request> & { user?: unknown } = {},
): Request {
  return { headers, method: 'POST', path: '/agreements/a-1/signatures', ...extra } as unknown as Request;
}

function rejection(headers: Record<string, string | string[]>): unknown {
  try {
    idempotencyOf(request(headers));
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('Idempotency-Key', () => {
  it('a retry with the same key, route and caller derives the same event ids', () => {
    const first = idempotencyOf(request({ 'idempotency-key': 'k-1' }, { user: { userId: 'u-1' } } as never));
    const retry = idempotencyOf(request({ 'idempotency-key': 'k-1' }, { user: { userId: 'u-1' } } as never));
    expect(first.key).toBe('k-1');
    expect(retry.eventIds(2)).toEqual(first.eventIds(2));
    expect(new Set(first.eventIds(2)).size).toBe(2);
  });

  it('the same key from another caller or on another resource is another request', () => {
    const mine = idempotencyOf(
      request({ 'idempotency-key': 'k-1' }, { user: { userId: 'u-1' } } as never),
    ).eventIds(1);
    const theirs = idempotencyOf(
      request({ 'idempotency-key': 'k-1' }, { user: { userId: 'u-2' } } as never),
    ).eventIds(1);
    const elsewhere = idempotencyOf(
      request({ 'idempotency-key': 'k-1' }, {
        user: { userId: 'u-1' },
        path: '/agreements/a-2/signatures',
      } as never),
    ).eventIds(1);
    expect(theirs).not.toEqual(mine);
    expect(elsewhere).not.toEqual(mine);
  });

  it('without a key every call gets fresh ids', () => {
    const idem = idempotencyOf(request({}));
    expect(idem.key).toBeUndefined();
    expect(idem.eventIds(1)).not.toEqual(idem.eventIds(1));
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a space', 'a b'],
    ['with a control character', 'a\u0007b'],
    ['non-ASCII', 'clé'],
  ])('a key that is %s is refused with a 400 invalid-idempotency-key', (_, key) => {
    expect(rejection({ 'idempotency-key': key })).toMatchObject({
      code: 'invalid-idempotency-key',
      status: 400,
    });
    expect(rejection({ 'idempotency-key': key })).toBeInstanceOf(RequestError);
  });

  it('255 visible ASCII characters are accepted', () => {
    expect(idempotencyOf(request({ 'idempotency-key': '~'.repeat(255) })).key).toHaveLength(255);
  });

  it('two Idempotency-Key headers are refused rather than one picked', () => {
    expect(rejection({ 'idempotency-key': ['a', 'b'] })).toMatchObject({ code: 'invalid-idempotency-key' });
  });
});
