import { ReadYourWrites } from '@accord/platform';
import { ApiClient } from '../authz/world';
import {
  buildDocumentsPartnership,
  documentEvents,
  DocumentsPartnership,
  HOSPITAL,
  openContent,
  POLICE,
  share,
  shareMetadata,
} from './support/documents-partnership';

/**
 * A record with no holes (issue 12 §2): any number of concurrent opens of one document each get a real
 * answer and are each recorded exactly once; a lost optimistic-concurrency race is never the client's 409.
 */
describe('documents: concurrent opens', () => {
  let p: DocumentsPartnership;
  let documentId: string;
  let recipient: ApiClient;
  let outsider: ApiClient;

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    const reply = await share(p.practitioner, shareMetadata(p, { recipients: [POLICE, HOSPITAL] }), 'body');
    if (reply.status !== 201) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
    documentId = reply.body.documentId;
    recipient = await p.practitionerOf(POLICE);
    outsider = await p.practitionerOf('probation');
  }, 60_000);
  afterAll(() => p?.close());

  it('100 parallel opens by recipients and 100 by a non-party: 200s and 404s, 100 DocumentAccessed and 100 AccessDenied', async () => {
    const hospital = await p.practitionerOf(HOSPITAL);
    const before = await documentEvents(p, documentId);
    const attempts = [
      ...Array.from({ length: 100 }, (_, i) => openContent(i % 2 ? recipient : hospital, documentId)),
      ...Array.from({ length: 100 }, () => openContent(outsider, documentId)),
    ];
    const replies = await Promise.all(attempts);
    const statuses = replies.map((r) => r.status);
    expect(statuses.slice(0, 100)).toEqual(Array(100).fill(200));
    expect(statuses.slice(100)).toEqual(Array(100).fill(404));
    for (const r of replies.slice(0, 100)) expect(r.bytes.length).toBeGreaterThan(0);

    const added = (await documentEvents(p, documentId)).slice(before.length);
    const count = (type: string) => added.filter((e) => e.type === type).length;
    expect({ accessed: count('DocumentAccessed'), denied: count('AccessDenied'), all: added.length }).toEqual(
      {
        accessed: 100,
        denied: 100,
        all: 200,
      },
    );
    // Each request recorded once: one event per request id.
    expect(new Set(added.map((e) => e.meta.correlationId)).size).toBe(200);
    expect(
      added.filter((e) => e.type === 'AccessDenied').every((e) => e.data.reason === 'open.not-a-recipient'),
    ).toBe(true);
    await p.world.api.app.get(ReadYourWrites).catchUp();
  }, 120_000);

  it('a restriction that lands among concurrent opens wins: every open recorded after it is refused', async () => {
    const before = (await documentEvents(p, documentId)).length;
    const opens = Array.from({ length: 40 }, () => openContent(recipient, documentId));
    await p.store.append(
      `document-${documentId}`,
      [
        {
          eventId: crypto.randomUUID(),
          type: 'ProcessingRestricted',
          data: { orgId: POLICE, requestId: 'test', reason: 'concurrency test' },
          meta: {
            actor: { userId: 'test', orgId: POLICE, role: 'ig-lead' },
            occurredAt: new Date().toISOString(),
            correlationId: crypto.randomUUID(),
          },
        },
      ],
      'any',
    );
    const replies = await Promise.all(opens);
    expect(replies.every((r) => r.status === 200 || r.status === 403)).toBe(true);
    const added = (await documentEvents(p, documentId)).slice(before);
    const at = added.findIndex((e) => e.type === 'ProcessingRestricted');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(added.slice(at + 1).every((e) => e.type === 'AccessDenied')).toBe(true);
    expect(added.slice(0, at).every((e) => e.type === 'DocumentAccessed')).toBe(true);
    expect(added.filter((e) => e.type !== 'ProcessingRestricted')).toHaveLength(40);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(at);
  }, 120_000);
});
