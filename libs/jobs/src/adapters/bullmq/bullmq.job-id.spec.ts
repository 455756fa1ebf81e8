import { decodeJobId, encodeJobId } from './bullmq.job-id';

describe('BullMQ job ids', () => {
  it('carries no ":" into BullMQ, which refuses most custom ids containing one', () => {
    expect(encodeJobId('retention:doc-1')).toBe('retention%3Adoc-1');
    expect(encodeJobId('a:b:c:d')).not.toContain(':');
  });

  it('round-trips every id the port accepts, so handlers see the id they enqueued', () => {
    for (const id of ['retention:doc-1', 'plain', 'a:b:c', '::', 'x.y_z-1:2'])
      expect(decodeJobId(encodeJobId(id))).toBe(id);
  });

  it('keeps distinct ids distinct', () => {
    const ids = ['a:b', 'a-b', 'a_b', 'a.b', 'a3Ab', 'a::b', 'a:3Ab'];
    expect(new Set(ids.map(encodeJobId)).size).toBe(ids.length);
  });

  it('leaves BullMQ scheduler iteration ids alone', () => {
    expect(decodeJobId('repeat:retention-sweep:1700000000000')).toBe('repeat:retention-sweep:1700000000000');
  });
});
