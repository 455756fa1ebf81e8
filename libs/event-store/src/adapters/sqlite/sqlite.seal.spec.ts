import { createHash } from 'node:crypto';
import { GENESIS_HASH, NewEvent, RecordedEvent } from '../../envelope';
import { chainEvents, eventHash } from '../../hash-chain';
import { referenceCanonicalJson } from '../../testing/canonical-reference';
import { picker, random } from '../../testing/random';
import { sealRows } from './sqlite.seal';

const events: NewEvent[] = [
  {
    eventId: '01900000-0000-7000-8000-000000000001',
    type: 'DocumentShared',
    data: { z: 1, a: [1.5, 'é', null, { y: true, b: 'q"uote\\' }], '10': 'x', '9': -0, emoji: '😀' },
    meta: {
      occurredAt: '2025-01-02T03:04:05.678Z',
      actor: { userId: 'u', orgId: 'o', role: 'practitioner' },
      correlationId: 'c',
      causationId: undefined,
      client: { ip: '192.0.2.1', country: 'GB' },
    },
  },
  {
    eventId: '01900000-0000-7000-8000-000000000002',
    type: 'DocumentAccessed',
    data: {},
    // A caller's stray hash must be neither hashed nor kept.
    meta: {
      occurredAt: '2025-01-02T03:04:06Z',
      actor: { system: 'retention' },
      correlationId: 'd',
      hash: 'x',
    } as NewEvent['meta'],
  },
];

function fromRows(
  streamId: string,
  rows: ReturnType<typeof sealRows>['rows'],
): Omit<RecordedEvent, 'position'>[] {
  return rows.map(([eventId, revision, type, data, meta]) => ({
    eventId,
    type,
    streamId,
    revision,
    data: JSON.parse(data),
    meta: JSON.parse(meta),
  }));
}

describe('sealRows (the SQLite adapter serialising each event once)', () => {
  it('gives every event the hash chainEvents gives it, for a new stream and a continued one', () => {
    for (const [first, prev] of [
      [0, GENESIS_HASH],
      [7, 'ab'.repeat(32)],
    ] as const) {
      const sealed = chainEvents('document-é', first, prev, events);
      const { rows, lastHash } = sealRows('document-é', first, prev, events);
      expect(rows.map((r) => JSON.parse(r[4]).hash)).toEqual(sealed.map((e) => e.meta.hash));
      expect(lastHash).toBe(sealed[1]!.meta.hash);
    }
  });

  it('stores JSON that reads back as the sealed events and re-verifies with eventHash', () => {
    const { rows } = sealRows('document-1', 0, GENESIS_HASH, events);
    const read = fromRows('document-1', rows);
    expect(read).toEqual(JSON.parse(JSON.stringify(chainEvents('document-1', 0, GENESIS_HASH, events))));
    for (const e of read) expect(eventHash(e)).toBe(e.meta.hash);
    expect(read[1]!.meta.prevHash).toBe(read[0]!.meta.hash);
  });

  it('seals random batches as the definition does, written plainly: every column and hash, byte for byte', () => {
    // canonicalJson and sealRows are built for speed (shapes kept per key sequence, strings appended with
    // their quotes folded in, texts flattened early): compared here with canonical JSON written plainly and
    // SHA-256 by createHash, on events whose ids, types, keys and values need escaping or recur in shape.
    const rnd = random(202612);
    const pick = picker(rnd);
    const texts = [
      '',
      'plain',
      'q"uote',
      'back\\slash',
      '\u0000',
      '\ud800',
      '\ud83d\ude00',
      'é€',
      '10',
      '__proto__',
    ];
    const keys = ['agreementId', 'title', 'b', '9', '10', 'é', 'a"q', 'hash', 'prevHash'];
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 2 || r < 0.5)
        return pick([pick(texts), 'x'.repeat(200), 1.5, -0, 7, null, true, undefined]);
      if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      return object(depth + 1);
    };
    const object = (depth: number): Record<string, unknown> => {
      const obj: Record<string, unknown> = {};
      for (const k of keys) {
        if (rnd() < 0.4)
          Object.defineProperty(obj, k, { value: value(depth), enumerable: true, writable: true });
      }
      return obj;
    };
    for (let batch = 0; batch < 300; batch++) {
      const streamId = pick(['document-1', 'document-é"', 'document-\ud800']);
      const first = pick([0, 1, 1000]);
      const prev = pick([GENESIS_HASH, 'ab'.repeat(32)]);
      const events = Array.from({ length: 1 + Math.floor(rnd() * 6) }, (_, i) => ({
        eventId: pick(['01900000-0000-7000-8000-00000000000' + i, 'id"' + i, 'é' + i]),
        type: pick(['DocumentShared', 'Type\\With"Escapes', '\ud83d\ude00']),
        data: object(0),
        meta: { ...object(0), occurredAt: '2025-01-02T03:04:05.678Z', correlationId: pick(texts) },
      })) as unknown as NewEvent[];
      const { rows, lastHash } = sealRows(streamId, first, prev, events);
      let p = prev;
      events.forEach((e, i) => {
        const meta: Record<string, unknown> = { ...e.meta, prevHash: p };
        delete meta.hash;
        const body = referenceCanonicalJson({
          data: e.data,
          eventId: e.eventId,
          meta,
          revision: first + i,
          streamId,
          type: e.type,
        });
        const hash = createHash('sha256')
          .update(p + body, 'utf8')
          .digest('hex');
        const storedMeta = referenceCanonicalJson(meta).slice(0, -1) + ',"hash":"' + hash + '"}';
        expect(rows[i]).toEqual([
          e.eventId,
          first + i,
          e.type,
          referenceCanonicalJson(e.data),
          storedMeta,
          body,
          hash,
        ]);
        p = hash;
      });
      expect(lastHash).toBe(p);
    }
  });

  it('refuses what JSON cannot hold or an envelope without ids', () => {
    const bad = (patch: Partial<NewEvent>) => () =>
      sealRows('s', 0, GENESIS_HASH, [{ ...events[0]!, ...patch }]);
    expect(bad({ data: { n: NaN } })).toThrow(TypeError);
    expect(bad({ data: [] as unknown as NewEvent['data'] })).toThrow(TypeError);
    expect(bad({ eventId: undefined as unknown as string })).toThrow(TypeError);
  });
});
