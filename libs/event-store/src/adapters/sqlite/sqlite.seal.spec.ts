import { GENESIS_HASH, NewEvent, RecordedEvent } from '../../envelope';
import { chainEvents, eventHash } from '../../hash-chain';
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

  it('refuses what JSON cannot hold or an envelope without ids', () => {
    const bad = (patch: Partial<NewEvent>) => () =>
      sealRows('s', 0, GENESIS_HASH, [{ ...events[0]!, ...patch }]);
    expect(bad({ data: { n: NaN } })).toThrow(TypeError);
    expect(bad({ data: [] as unknown as NewEvent['data'] })).toThrow(TypeError);
    expect(bad({ eventId: undefined as unknown as string })).toThrow(TypeError);
  });
});
