import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentCommand, DocumentShared } from '@accord/domain';
import { EventMetaInput, SqliteEventStore, uuidv7 } from '@accord/event-store';
import { activeAgreement, stateOf } from '../../../../libs/domain/src/testing/agreement-examples';
import { AccessDecisions } from './access-decisions';

const NOW = '2024-02-01T09:00:00.000Z';
const meta = (i: number): EventMetaInput => ({
  occurredAt: NOW,
  actor: { userId: `u-${i}`, orgId: 'police', role: 'practitioner' },
  correlationId: `request-${i}`,
});
const open = (orgId: string): DocumentCommand => ({
  type: 'OpenDocument',
  data: {
    user: { userId: 'u', orgId, role: 'practitioner' },
    agreement: stateOf(activeAgreement()),
    client: { ip: '127.0.0.1', country: 'GB' },
  },
  metadata: { now: new Date(NOW) },
});
const shared: DocumentShared = {
  type: 'DocumentShared',
  data: {
    agreementId: 'agreement-1',
    agreementVersion: 1,
    senderOrg: 'council',
    recipients: ['police'],
    purpose: 'early help assessment',
    dataCategories: ['name'],
    subjectRefs: [],
    nature: 'fact',
    title: 'Referral',
    objectKey: 'documents/x.u1',
    size: 120,
    sha256: 'a'.repeat(64),
    recipientFingerprints: ['fpr-police'],
    storageRegion: 'uk',
    sharedAt: NOW,
    retainUntil: '2030-02-01T09:00:00.000Z',
    mode: 'server-encrypted',
  },
};

/**
 * Two api nodes deciding opens of one document on one event store: their rounds race, and a lost race
 * decides again, so no request fails and each is recorded once; a restriction appended by a third writer in
 * the middle is seen by every decision recorded after it.
 */
describe('AccessDecisions across writers', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-access-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('200 opens split over two nodes, with a restriction landing among them: 200 records, none lost, the restriction wins', async () => {
    const id = uuidv7();
    const streamId = `document-${id}`;
    await store.append(streamId, [{ eventId: uuidv7(), ...shared, meta: meta(0) }], 'no-stream');
    const nodes = [new AccessDecisions(store), new AccessDecisions(store)];
    const outcomes = Array.from({ length: 200 }, (_, i) =>
      nodes[i % 2]!.decide(id, open(i % 4 === 3 ? 'probation' : 'police'), meta(i + 1)),
    );
    const restrict = new Promise<void>((resolve) => setTimeout(resolve, 5)).then(() =>
      store.append(
        streamId,
        [{ eventId: uuidv7(), type: 'ProcessingRestricted', data: { reason: 'test' }, meta: meta(999) }],
        'any',
      ),
    );
    const settled = await Promise.allSettled([...outcomes, restrict]);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);

    const events = (await store.readStream(streamId)).slice(1);
    const decisions = events.filter((e) => e.type !== 'ProcessingRestricted');
    expect(decisions).toHaveLength(200);
    expect(new Set(decisions.map((e) => e.meta.correlationId)).size).toBe(200);
    const at = events.findIndex((e) => e.type === 'ProcessingRestricted');
    for (const e of events.slice(at + 1)) expect(e.type).toBe('AccessDenied');
    for (const e of events.slice(0, at).filter((x) => x.data['orgId'] === 'police'))
      expect(e.type).toBe('DocumentAccessed');
    for (const e of decisions.filter((x) => x.data['orgId'] === 'probation'))
      expect(e.data['reason']).toBe('open.not-a-recipient');
  });
});
