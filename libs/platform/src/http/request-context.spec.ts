import { correlationIdFrom, currentRequestContext, runInRequestContext } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlation id', () => {
  it("a caller's safe correlation id is kept, so a trace spans systems", () => {
    expect(correlationIdFrom('req-2026.11:abc_1')).toBe('req-2026.11:abc_1');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['log injection', 'x\n{"level":"fatal"}'],
    ['too long', 'a'.repeat(129)],
    ['with spaces', 'a b'],
  ])('a %s correlation id is replaced by a new uuid', (_, header) => {
    expect(correlationIdFrom(header)).toMatch(UUID);
  });

  it('the context follows the request through asynchronous work', async () => {
    const seen = await runInRequestContext({ correlationId: 'c-1' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return currentRequestContext()?.correlationId;
    });
    expect(seen).toBe('c-1');
    expect(currentRequestContext()).toBeUndefined();
  });
});
