import { ReadYourWrites } from '@accord/platform';
import { ApiClient } from '../authz/world';
import {
  buildDocumentsPartnership,
  codeOf,
  documentEvents,
  DocumentsPartnership,
  openContent,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from './support/documents-partnership';

const OUTSIDER = 'probation';
const NHS = '9434765919';

/**
 * A record with no holes (issue 12 §2): every refused attempt on a document is recorded, metadata reads
 * included; and a subject search never returns a document the searching organisation is not a party to.
 */
describe('documents: every refusal recorded, no inference by subject', () => {
  let p: DocumentsPartnership;
  let documentId: string;
  let outsider: ApiClient;

  const settle = () => p.world.api.app.get(ReadYourWrites).catchUp();
  const subjectSearch = (client: ApiClient) =>
    client.ok('GET', `/audit/subjects/history?scheme=nhs-number&value=${NHS}`, 200);

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    const reply = await share(
      p.practitioner,
      shareMetadata(p, { subjects: [{ scheme: 'nhs-number', value: NHS }] }),
      'x',
    );
    if (reply.status !== 201) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
    documentId = reply.body.documentId;
    outsider = await p.practitionerOf(OUTSIDER);
  }, 60_000);
  afterAll(() => p?.close());

  it('a refused metadata read is an AccessDenied with its reason; the answer is the same 404 as for an unknown id', async () => {
    const before = (await documentEvents(p, documentId)).length;
    const refused = await outsider.get(`/documents/${documentId}`);
    expect({ status: refused.status, code: codeOf(refused) }).toEqual({
      status: 404,
      code: 'document.not-found',
    });
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    await p.world.asAdmin.ok('POST', '/me/access-agreement', 200, { body: { version: 1 } });
    const admin = await p.world.asAdmin.get(`/documents/${documentId}`);
    expect(admin.status).toBe(403);
    const added = (await documentEvents(p, documentId)).slice(before);
    expect(added.map((e) => [e.type, e.data['reason'], e.data['orgId'] ?? null])).toEqual([
      ['AccessDenied', 'metadata.not-a-party', OUTSIDER],
      ['AccessDenied', 'metadata.role-not-permitted', null],
    ]);
    // A party still reads it, and that read is not an event.
    await (await p.practitionerOf(POLICE)).ok('GET', `/documents/${documentId}`, 200);
    expect(await documentEvents(p, documentId)).toHaveLength(before + 2);
    const unknown = await outsider.get('/documents/00000000-0000-7000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(await documentEvents(p, '00000000-0000-7000-8000-000000000000')).toEqual([]);
  });

  it("an outsider's refused open shows in the document's history for its parties, never in the outsider's subject search", async () => {
    const opened = await openContent(outsider, documentId);
    expect(opened.status).toBe(404);
    await settle();
    const found = await subjectSearch(p.lead[OUTSIDER]!);
    expect(found.body.items).toEqual([]);
    const csv = await p.lead[OUTSIDER]!.ok(
      'GET',
      `/audit/subjects/history?scheme=nhs-number&value=${NHS}`,
      200,
      {
        headers: { accept: 'text/csv' },
      },
    );
    expect(String(csv.body)).not.toContain(documentId);

    const party = await subjectSearch(p.lead[SENDER]!);
    const refusals = (party.body.items as { type: string; documentId: string; orgId: string }[]).filter(
      (e) => e.type === 'AccessDenied' && e.orgId === OUTSIDER,
    );
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.every((e) => e.documentId === documentId)).toBe(true);
    const history = await p.lead[POLICE]!.ok('GET', `/audit/documents/${documentId}/history`, 200);
    expect(
      history.body.items.some(
        (e: { type: string; orgId: string }) => e.type === 'AccessDenied' && e.orgId === OUTSIDER,
      ),
    ).toBe(true);
  });
});
