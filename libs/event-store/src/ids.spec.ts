import { ACCORD_NAMESPACE, eventIdsFor, uuidv5, uuidv7 } from './ids';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('ids', () => {
  it('makes UUID v7 with version 7, the RFC 9562 variant and the time in its first 48 bits', () => {
    const at = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    const id = uuidv7(at);
    expect(id).toMatch(UUID);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('makes v7 ids that sort by creation time and never repeat', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 10_000 }, () => uuidv7())).size).toBe(10_000);
  });

  it('makes UUID v5 as RFC 9562 appendix A.4 does', () => {
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(uuidv5('x')).toBe(uuidv5('x', ACCORD_NAMESPACE));
  });

  it('derives the same event ids from the same idempotency key, so a retried request is recognised', () => {
    const ids = eventIdsFor(3, 'key-1', 'POST /documents');
    expect(eventIdsFor(3, 'key-1', 'POST /documents')).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id[14]).toBe('5');
  });

  it('derives different ids for another key or another scope', () => {
    const ids = eventIdsFor(2, 'key-1', 'a');
    expect(eventIdsFor(2, 'key-2', 'a')).not.toContain(ids[0]);
    expect(eventIdsFor(2, 'key-1', 'b')).not.toContain(ids[0]);
  });

  it('makes fresh v7 ids when there is no idempotency key', () => {
    const [a, b] = [eventIdsFor(2), eventIdsFor(2)];
    expect(a[0]![14]).toBe('7');
    expect(new Set([...a, ...b]).size).toBe(4);
  });
});
