import { RecordedEvent } from '../../envelope';
import { PageDecoder, toLazyRecorded, toRecorded } from './sqlite.decode';
import { EventRow } from './sqlite.schema';

function row(position: number): EventRow {
  return [
    position,
    `00000000-0000-7000-8000-${String(position).padStart(12, '0')}`,
    'document-1',
    position - 1,
    'ThingHappened',
    JSON.stringify({ n: position, note: 'é ✓', nested: { a: [1, null] } }),
    JSON.stringify({ occurredAt: '2025-01-02T03:04:05.678Z', prevHash: 'p', hash: 'h' }),
  ];
}

const page = (from: number, size = 10): EventRow[] => Array.from({ length: size }, (_, i) => row(from + i));

/** Whether data is still an undecoded accessor rather than a plain value. */
const isLazy = (e: RecordedEvent): boolean => Object.getOwnPropertyDescriptor(e, 'data')!.get !== undefined;

describe('SQLite row decoding', () => {
  it('gives a lazily decoded event that spreads, serialises, clones and compares as the decoded one', () => {
    const eager = toRecorded(row(1));
    const lazy = toLazyRecorded(row(1));
    expect(isLazy(lazy)).toBe(true);
    expect(Object.keys(lazy).sort()).toEqual(Object.keys(eager).sort());
    expect(lazy).toEqual(eager);
    expect({ ...lazy }).toEqual(eager);
    expect(JSON.parse(JSON.stringify(lazy))).toEqual(eager);
    expect(structuredClone(lazy)).toEqual(eager);
    expect(lazy.data).toBe(lazy.data);
    lazy.data = { replaced: true };
    lazy.meta = { ...eager.meta, hash: 'x' };
    expect([lazy.data, lazy.meta.hash]).toEqual([{ replaced: true }, 'x']);
  });

  it('decodes pages lazily while their reader leaves data and meta alone', () => {
    const decoder = new PageDecoder();
    for (let p = 0; p < 20; p++) {
      const events = decoder.decode(page(p * 10 + 1));
      expect(events.every(isLazy)).toBe(true);
      for (const e of events.slice(0, 5)) expect(e.type).toBe('ThingHappened');
    }
  });

  it('decodes up front once its reader reads most events, probing lazily again now and then', () => {
    const decoder = new PageDecoder();
    const lazyPages: number[] = [];
    for (let p = 0; p < 40; p++) {
      const events = decoder.decode(page(p * 10 + 1));
      if (events.every(isLazy)) lazyPages.push(p);
      else expect(events.some(isLazy)).toBe(false);
      for (const e of events.slice(0, 6)) expect(e.data.n).toBe(e.position);
    }
    expect(lazyPages).toEqual([0, 16, 32]);
  });

  it('decodes every page up front when its reader says it reads every event, even one it has not read yet', () => {
    // A rebuild gathers many pages before applying any: the adaptive probe would never see them read.
    const decoder = new PageDecoder('eager');
    for (let p = 0; p < 20; p++) {
      const events = decoder.decode(page(p * 10 + 1));
      expect(events.some(isLazy)).toBe(false);
      expect(events.map((e) => e.data.n)).toEqual(events.map((e) => e.position));
    }
  });

  it('leaves a row that no longer parses to fail where it is read, in a page decoded up front too', () => {
    const decoder = new PageDecoder();
    for (const e of decoder.decode(page(1))) expect(e.meta.hash).toBe('h');
    const rows = page(11);
    rows[3] = [...rows[3]!.slice(0, 5), '{"n":', rows[3]![6]] as EventRow;
    const events = decoder.decode(rows);
    expect(isLazy(events[0]!)).toBe(false);
    expect(events[3]!.type).toBe('ThingHappened');
    expect(() => events[3]!.data).toThrow(SyntaxError);
    expect(events[4]!.data.n).toBe(15);
  });
});
