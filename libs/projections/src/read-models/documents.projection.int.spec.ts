import type { NewEvent } from '@accord/event-store';
import { newEvent, tempStore } from '../testing/projection-test-kit';
import { Projector } from '../projector';
import { openReadDb } from '../read-db';
import type { ReadDb } from '../projection';
import { documentsProjection } from './documents.projection';
import { documentIdForObject, findDocument, listDocumentRecords } from './documents.queries';

const REF_A = 'a'.repeat(64);
const REF_B = 'b'.repeat(64);

const shared = (
  id: string,
  sender: string,
  recipients: string[],
  subjectRefs: string[],
  agreementId = 'ag-1',
) =>
  newEvent('DocumentShared', {
    agreementId,
    agreementVersion: 1,
    senderOrg: sender,
    recipients,
    purpose: 'early help',
    dataCategories: ['name'],
    subjectRefs,
    nature: 'fact',
    title: `Referral ${id}`,
    objectKey: `documents/${id}.u1`,
    size: 10,
    sha256: 'c'.repeat(64),
    recipientFingerprints: ['f1'],
    storageRegion: 'uk',
    sharedAt: `2024-02-0${id.slice(-1)}T09:00:00.000Z`,
    retainUntil: '2030-02-01T09:00:00.000Z',
    mode: 'server-encrypted',
  });

describe('documents projection and queries', () => {
  let env: ReturnType<typeof tempStore>;
  let projector: Projector;
  let db: ReadDb;

  beforeEach(async () => {
    env = tempStore();
    projector = new Projector({ store: env.store, db: env.readDb, projections: [documentsProjection] });
    await projector.start();
    db = openReadDb(env.readDb);
  });
  afterEach(async () => {
    await projector.stop();
    db.close();
    await env.cleanup();
  });

  async function append(streamId: string, ...events: NewEvent[]): Promise<void> {
    const { position } = await env.store.append(streamId, events, 'any');
    await projector.waitFor(position, 10_000);
  }

  it('lists only what an organisation sent or received, filtered by agreement and subject, newest first', async () => {
    await append('document-d1', shared('d1', 'council', ['police'], [REF_A]));
    await append('document-d2', shared('d2', 'police', ['trust'], [REF_B]));
    await append('document-d3', shared('d3', 'trust', ['council', 'police'], [REF_A, REF_B], 'ag-2'));
    const ids = (filter: Parameters<typeof listDocumentRecords>[1]) =>
      listDocumentRecords(db, filter).map((d) => d.id);
    expect(ids({ orgId: 'council' })).toEqual(['d3', 'd1']);
    expect(ids({ orgId: 'police' })).toEqual(['d3', 'd2', 'd1']);
    expect(ids({ orgId: 'outsider' })).toEqual([]);
    expect(ids({ orgId: 'police', agreementId: 'ag-1' })).toEqual(['d2', 'd1']);
    expect(ids({ orgId: 'police', subjectRef: REF_B })).toEqual(['d3', 'd2']);
    expect(findDocument(db, 'd3')).toMatchObject({
      recipients: ['council', 'police'],
      subjectRefs: [REF_A, REF_B],
      state: 'active',
    });
    expect(documentIdForObject(db, 'documents/d2.u1')).toBe('d2');
  });

  it("stays held, or restricted, while any organisation holds or restricts it: one party's release or lift does not end another's", async () => {
    await append('document-d9', shared('d9', 'council', ['police'], [REF_A]));
    const hold = (type: string, orgId: string) => newEvent(type, { reason: 'claim', orgId });
    await append('document-d9', hold('LegalHoldPlaced', 'police'), hold('LegalHoldPlaced', 'council'));
    expect(findDocument(db, 'd9')).toMatchObject({ legalHold: true, state: 'held' });
    await append('document-d9', hold('LegalHoldReleased', 'council'));
    expect(findDocument(db, 'd9')).toMatchObject({ legalHold: true, state: 'held' });
    await append('document-d9', hold('LegalHoldReleased', 'police'));
    expect(findDocument(db, 'd9')).toMatchObject({ legalHold: false, state: 'active' });
    const restriction = (type: string, orgId: string) => newEvent(type, { reason: 'art 18', orgId });
    await append('document-d9', restriction('ProcessingRestricted', 'police'));
    await append('document-d9', restriction('ProcessingRestricted', 'council'));
    expect(findDocument(db, 'd9')).toMatchObject({ restricted: true, state: 'restricted' });
    await append('document-d9', restriction('RestrictionLifted', 'council'));
    expect(findDocument(db, 'd9')).toMatchObject({ restricted: true, state: 'restricted' });
    await append('document-d9', restriction('RestrictionLifted', 'police'));
    expect(findDocument(db, 'd9')).toMatchObject({ restricted: false, state: 'active' });
  });

  it('follows hold, restriction, destruction and erasure; erasure drops the title and subject references', async () => {
    await append('document-d1', shared('d1', 'council', ['police'], [REF_A]));
    await append('document-d1', newEvent('LegalHoldPlaced', { reason: 'litigation', orgId: 'council' }));
    expect(findDocument(db, 'd1')).toMatchObject({ legalHold: true, state: 'held' });
    await append('document-d1', newEvent('ProcessingRestricted', { reason: 'art 18' }));
    expect(findDocument(db, 'd1')!.state).toBe('restricted');
    await append(
      'document-d1',
      newEvent('RestrictionLifted', { reason: 'done' }),
      newEvent('LegalHoldReleased', { reason: 'done', orgId: 'council' }),
    );
    expect(findDocument(db, 'd1')!.state).toBe('active');
    await append('document-d1', newEvent('PayloadDestroyed', { objectKey: 'documents/d1.u1' }));
    expect(findDocument(db, 'd1')).toMatchObject({ payloadDestroyed: true, state: 'destroyed' });
    await append('document-d1', newEvent('DocumentErased', { requestId: 'r-1' }));
    expect(findDocument(db, 'd1')).toMatchObject({
      erased: true,
      state: 'erased',
      title: '',
      subjectRefs: [],
    });
  });

  it('a supersession links the old document to its correction both ways, by id only', async () => {
    await append('document-d1', shared('d1', 'council', ['police'], [REF_A]));
    await append('document-d2', shared('d2', 'council', ['police'], [REF_A]));
    expect(findDocument(db, 'd1')).toMatchObject({ supersededBy: null, supersedes: null });
    await append(
      'document-d1',
      newEvent('DocumentSuperseded', {
        supersededBy: 'd2',
        requestId: 'r-1',
        agreementId: 'ag-1',
        recipients: ['police'],
      }),
    );
    expect(findDocument(db, 'd1')).toMatchObject({ supersededBy: 'd2', supersedes: null, state: 'active' });
    expect(findDocument(db, 'd2')).toMatchObject({ supersededBy: null, supersedes: 'd1' });
    const listed = listDocumentRecords(db, { orgId: 'police' });
    expect(listed.map((d) => [d.id, d.supersededBy, d.supersedes])).toEqual([
      ['d2', null, 'd1'],
      ['d1', 'd2', null],
    ]);
    // An erasure drops personal data; the links are ids and stay.
    await append('document-d1', newEvent('DocumentErased', { requestId: 'r-2' }));
    expect(findDocument(db, 'd1')).toMatchObject({ title: '', supersededBy: 'd2' });
  });

  it('skips a malformed hand-appended share instead of stalling every read model', async () => {
    await append('document-bad', newEvent('DocumentShared', { title: 'no other fields' }));
    await append('document-d1', shared('d1', 'council', ['police'], []));
    expect(findDocument(db, 'bad')).toBeUndefined();
    expect(findDocument(db, 'd1')).toBeDefined();
  });
});
