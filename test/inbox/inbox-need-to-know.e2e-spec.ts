import { ApiClient } from '../authz/world';
import {
  buildDocumentsPartnership,
  DocumentsPartnership,
  openContent,
  POLICE,
  share,
  shareMetadata,
} from '../documents/support/documents-partnership';

/**
 * GET /inbox and need-to-know (docs/architecture.md §24, §27): a member removed from a document's addressed
 * team no longer sees its entries, and a page still holds `limit` entries when that many are left to show.
 */
describe('inbox: a member removed from an addressed team', () => {
  let p: DocumentsPartnership;
  let officer: { userId: string; client: ApiClient };
  let team: string;
  const ids: Record<string, string> = {};
  const police = () => p.lead[POLICE]!;
  const membership = (method: 'PUT' | 'DELETE') =>
    police().ok(method, `/organisations/${POLICE}/teams/${team}/members/${officer.userId}`, 200);
  async function shareAs(title: string, teams?: string[]): Promise<string> {
    const overrides = { title, ...(teams ? { recipientTeams: { [POLICE]: teams } } : {}) };
    const reply = await share(p.practitioner, shareMetadata(p, overrides), 'case note');
    if (reply.status !== 201) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
    return reply.body.documentId as string;
  }
  const inbox = async (query = '') =>
    (await officer.client.ok('GET', `/inbox${query}`, 200)).body as {
      items: { documentId: string; read: boolean }[];
      unread: number;
      nextAfter: string | null;
    };
  const documentIds = async () =>
    ((await officer.client.ok('GET', '/documents', 200)).body.items as { id: string }[]).map((d) => d.id);

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    const u = await p.world.enrol(POLICE, 'practitioner');
    officer = { userId: u.userId, client: p.world.client(u.token) };
    team = (
      await police().ok('POST', `/organisations/${POLICE}/teams`, 201, { body: { name: 'Missing persons' } })
    ).body.id;
    await membership('PUT');
    // Oldest first: `opened` (to the team alone, opened at once, so read), `first`, `addressed` (to the team
    // alone), `last`. The inbox shows the unread newest first, then the read.
    ids['opened'] = await shareAs('Missing persons only, opened', [team]);
    expect((await openContent(officer.client, ids['opened'])).status).toBe(200);
    ids['first'] = await shareAs('Whole force, first');
    ids['addressed'] = await shareAs('Missing persons only', [team]);
    ids['last'] = await shareAs('Whole force, last');
  });
  afterAll(() => p?.close());

  it('before the removal, the team-addressed document is listed', async () => {
    const all = await inbox();
    expect(all.items.map((i) => i.documentId)).toEqual([
      ids['last'],
      ids['addressed'],
      ids['first'],
      ids['opened'],
    ]);
    expect(all.unread).toBe(3);
  });

  it('after it, a page of `limit` entries is full when that many remain, and the count leaves it out', async () => {
    await membership('DELETE');
    const first = await inbox('?limit=2');
    expect(first.items.map((i) => i.documentId)).toEqual([ids['last'], ids['first']]);
    expect(first.nextAfter).toBeNull();
    expect(first.unread).toBe(2);
    const one = await inbox('?limit=1');
    expect(one.items.map((i) => i.documentId)).toEqual([ids['last']]);
    const rest = await inbox(`?limit=1&after=${one.nextAfter}`);
    expect(rest.items.map((i) => i.documentId)).toEqual([ids['first']]);
    expect(rest.nextAfter).toBeNull();
    // Exactly what the documents list shows the officer, no more.
    const listed = await documentIds();
    expect(listed).not.toContain(ids['addressed']);
    expect(listed).not.toContain(ids['opened']);
  });

  it('re-added to the team, the entry is back as the officer left it, as in the documents list', async () => {
    await membership('PUT');
    const all = await inbox();
    expect(all.items.map((i) => [i.documentId, i.read])).toEqual([
      [ids['last'], false],
      [ids['addressed'], false],
      [ids['first'], false],
      [ids['opened'], true],
    ]);
    expect(all.unread).toBe(3);
    expect(await documentIds()).toEqual(expect.arrayContaining([ids['addressed'], ids['opened']]));
  });
});
