import {
  chainEvents,
  eventLeafHash,
  GENESIS_HASH,
  NewEvent,
  RecordedEvent,
  rootFromLeaves,
} from '@accord/event-store';
import { exportHeaderLine, ExportVerifier } from './audit-file-verifier';

const event = (type: string, data: NewEvent['data'] = {}): NewEvent => ({
  eventId: `e-${Math.random().toString(16).slice(2)}`,
  type,
  data,
  meta: { occurredAt: '2025-03-03T09:00:00.000Z', actor: { system: 'test' }, correlationId: 'c' },
});

/** Two streams of three events each, interleaved in the global log as the store would number them. */
function log(): RecordedEvent[] {
  const a = chainEvents('document-a', 0, GENESIS_HASH, [
    event('DocumentShared'),
    event('DocumentAccessed'),
    event('AccessDenied', { reason: 'open.not-a-recipient' }),
  ]);
  const b = chainEvents('agreement-b', 0, GENESIS_HASH, [
    event('AgreementDrafted'),
    event('AgreementSigned'),
    event('AgreementActivated'),
  ]);
  return [a[0]!, b[0]!, a[1]!, b[1]!, a[2]!, b[2]!].map((e, i) => ({ ...e, position: i + 1 }));
}

const lines = (events: RecordedEvent[]) => events.map((e) => JSON.stringify(e));

function verify(text: string[], complete = false) {
  const v = new ExportVerifier({ complete });
  for (const line of text) v.checkLine(line);
  return v.result();
}

describe('offline verification of an exported log', () => {
  it('a whole export verifies: every event checked, every stream from its genesis', () => {
    expect(verify(lines(log()), true)).toMatchObject({
      ok: true,
      eventsChecked: 6,
      streams: 2,
      continuedStreams: 0,
      gaps: 0,
    });
  });

  it('one changed byte in an event names that event, its stream, revision and line', () => {
    const text = lines(log());
    text[2] = text[2]!.replace('"DocumentAccessed"', '"DocumentAccesseD"');
    expect(verify(text).firstBadEvent).toMatchObject({
      line: 3,
      reason: 'hash-mismatch',
      streamId: 'document-a',
      revision: 1,
      position: 3,
    });
  });

  it('an event rewritten with a recomputed hash breaks the next link of its chain', () => {
    const events = log();
    const [forged] = chainEvents('document-a', 1, events[0]!.meta.hash, [
      event('DocumentAccessed', { forged: true }),
    ]);
    events[2] = { ...forged!, position: 3 };
    expect(verify(lines(events)).firstBadEvent).toMatchObject({ reason: 'prev-hash-mismatch', revision: 2 });
  });

  it('an export that starts after a position reports its streams as continued from their prevHash, and passes', () => {
    const all = log();
    const events = all.slice(2);
    const result = verify(lines(events));
    expect(result).toMatchObject({ ok: true, eventsChecked: 4, continuedStreams: 2 });
    expect(result.continued[0]).toEqual({
      streamId: 'document-a',
      firstRevision: 1,
      prevHash: all[0]!.meta.hash,
    });
    expect(verify(lines(events), true).ok).toBe(false);
  });

  it('a removed event is a gap: tolerated in a partial export, a failure in a complete one', () => {
    const events = log().filter((e) => e.position !== 3);
    const firstGap = { line: 4, streamId: 'document-a', from: 0, to: 2 };
    expect(verify(lines(events))).toMatchObject({ ok: true, gaps: 1, firstGap });
    expect(verify(lines(events), true)).toMatchObject({ ok: false, gaps: 1, firstGap });
  });

  it("a removed event fails without --complete when the export's first line states the whole log; not an organisation's", () => {
    const events = lines(log().filter((e) => e.position !== 3));
    const header = (scope: string, after: number) => exportHeaderLine({ scope, after, logHead: 6 }).trimEnd();
    expect(verify([header('platform', 0), ...events])).toMatchObject({
      ok: false,
      wholeLog: true,
      eventsChecked: 5,
      firstGap: { line: 5 },
    });
    expect(verify([header('organisation', 0), ...events])).toMatchObject({ ok: true, wholeLog: false });
    expect(verify([header('platform', 2), ...events])).toMatchObject({ ok: true, wholeLog: false });
    // Its last events cut off: it ends before the head the header states; not so with a limit.
    const all = lines(log());
    expect(verify([header('platform', 0), ...all.slice(0, 4)])).toMatchObject({
      ok: false,
      cutShort: { lastPosition: 4, logHead: 6 },
    });
    expect(verify([header('platform', 2), ...all.slice(2)]).ok).toBe(true);
    const limited = exportHeaderLine({ scope: 'platform', after: 0, logHead: 6, limit: 4 }).trimEnd();
    expect(verify([limited, ...all.slice(0, 4)]).ok).toBe(true);
    expect(verify([header('organisation', 0), ...all.slice(0, 4)]).ok).toBe(true);
    // A header anywhere but the first line is not one.
    expect(verify([...events, header('platform', 0)]).firstBadEvent?.reason).toBe('malformed');
  });

  it('reordered, repeated or unreadable lines fail', () => {
    const events = log();
    expect(verify(lines([events[1]!, events[0]!])).firstBadEvent?.reason).toBe('position-order');
    expect(verify(lines([...events, { ...events[4]!, position: 7 }])).firstBadEvent?.reason).toBe(
      'revision-gap',
    );
    expect(verify([...lines(events).slice(0, 2), '{"eventId":']).firstBadEvent).toMatchObject({
      line: 3,
      reason: 'malformed',
    });
  });
});

describe('offline verification of an export against a signed checkpoint (issue 12)', () => {
  const events = log();
  const checkpointOf = (es: RecordedEvent[]) => ({
    origin: 'accord.test/log',
    size: es.length,
    root: rootFromLeaves(es.map(eventLeafHash)),
  });
  const against = (text: string[], checkpoint: ReturnType<typeof checkpointOf>) => {
    const v = new ExportVerifier({ complete: true, checkpoint });
    for (const line of text) v.checkLine(line);
    return v.result();
  };

  it('an export holding the checkpoint has its root at its size, and may run on past it', () => {
    expect(against(lines(events), checkpointOf(events))).toMatchObject({
      ok: true,
      checkpoint: { size: 6, ok: true },
    });
    expect(against(lines(events), checkpointOf(events.slice(0, 4)))).toMatchObject({
      ok: true,
      checkpoint: { ok: true },
    });
  });

  it('fails with its last lines removed, with two streams swapped in order, or started part-way', () => {
    const cp = checkpointOf(events);
    // Every chain in the shortened file still verifies: only the checkpoint sees what is missing.
    expect(verify(lines(events.slice(0, 4)), true)).toMatchObject({ ok: true });
    expect(against(lines(events.slice(0, 4)), cp)).toMatchObject({
      ok: false,
      checkpoint: { ok: false, reason: 'export-shorter-than-checkpoint' },
    });
    const swapped = [events[1]!, events[0]!, ...events.slice(2)].map((e, i) => ({ ...e, position: i + 1 }));
    expect(verify(lines(swapped), true)).toMatchObject({ ok: true });
    expect(against(lines(swapped), cp)).toMatchObject({ ok: false, checkpoint: { reason: 'root-mismatch' } });
    expect(against(lines(events.slice(2)), cp)).toMatchObject({
      ok: false,
      checkpoint: { reason: 'export-not-from-start' },
    });
  });
});
