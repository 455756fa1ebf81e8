import { ApiClient } from '../authz/world';
import { buildPartnership, Partnership, seedAgreementBody, signAll } from './support/partnership';

interface Item {
  id: string;
  kind: string;
  createdAt: string;
  agreementId: string;
  title: string;
  message: string;
}

/** Each organisation's inbox: asked to sign, told of activation and termination, reminded of reviews. */
describe('the notifications inbox', () => {
  let p: Partnership;
  let id: string;
  const inbox = async (client: ApiClient): Promise<Item[]> =>
    (await client.ok('GET', '/notifications', 200)).body.items;
  const kinds = async (client: ApiClient) => (await inbox(client)).map((i) => i.kind);

  beforeAll(async () => {
    p = await buildPartnership('2023-05-22T09:00:00.000Z');
    id = (await p.lead['staffordshire-cc']!.ok('POST', '/agreements', 201, { body: seedAgreementBody() }))
      .body.id;
  });
  afterAll(() => p?.close());

  it("a draft asks every party's IG leads to sign version 1; practitioners are not asked", async () => {
    for (const org of p.fixture.agreement.parties) {
      const items = await inbox(p.lead[org]!);
      expect(items).toEqual([
        {
          id: expect.stringMatching(new RegExp(`:${org}$`)),
          kind: 'signature-requested',
          createdAt: '2023-05-22T09:00:00.000Z',
          agreementId: id,
          title: p.fixture.agreement.title,
          message: "Version 1 was drafted and awaits your organisation's signature.",
        },
      ]);
    }
    expect(await inbox(p.practitioner)).toEqual([]);
    expect(await inbox(p.world.client(p.world.orgs.own.users['ig-lead'].token))).toEqual([]);
  });

  it('activation is news for every user of every party', async () => {
    p.clock.set('2023-09-19T10:00:00.000Z');
    await signAll(p, id);
    expect(await kinds(p.lead['cafcass']!)).toEqual(['agreement-activated', 'signature-requested']);
    expect(await inbox(p.practitioner)).toEqual([
      expect.objectContaining({
        kind: 'agreement-activated',
        createdAt: '2023-09-19T10:00:00.000Z',
        message: 'Every party signed version 1: the agreement is in force.',
      }),
    ]);
  });

  it('the review reminders fall due 30 days before and on the due date, for IG leads only', async () => {
    p.clock.set('2024-02-18T09:59:59.999Z');
    expect(await kinds(p.lead['uhnm']!)).not.toContain('review-due-in-30-days');
    p.clock.set('2024-02-18T10:00:00.000Z');
    const [first] = await inbox(p.lead['uhnm']!);
    expect(first).toEqual({
      id: `${id}:review:2024-03-19T10:00:00.000Z:review-due-in-30-days:uhnm`,
      kind: 'review-due-in-30-days',
      createdAt: '2024-02-18T10:00:00.000Z',
      agreementId: id,
      title: p.fixture.agreement.title,
      message: "The agreement's review is due on 2024-03-19.",
    });
    p.clock.set('2024-04-01T09:00:00.000Z');
    expect((await kinds(p.lead['uhnm']!)).slice(0, 2)).toEqual(['review-due', 'review-due-in-30-days']);
    expect(await kinds(p.practitioner)).toEqual(['agreement-activated']);
  });

  it('a recorded review closes the cycle: its reminders leave the inbox', async () => {
    await p.lead['staffordshire-cc']!.ok('POST', `/agreements/${id}/reviews`, 201, { body: {} });
    expect(await kinds(p.lead['uhnm']!)).toEqual(['agreement-activated', 'signature-requested']);
  });

  it('an amendment asks again; notice of termination reaches every user', async () => {
    await p.lead['staffordshire-cc']!.ok('POST', `/agreements/${id}/amendments`, 201, {
      body: { changes: { retentionPeriod: 'P7Y' }, reasonForChange: 'Working Together 2023 amendment' },
    });
    const [asked] = await inbox(p.lead['mpft']!);
    expect(asked).toMatchObject({
      kind: 'signature-requested',
      message:
        "Version 2 was proposed as an amendment and awaits your organisation's signature. Version 1 governs shares until every party has signed.",
    });
    await p.lead['staffordshire-cc']!.ok('POST', `/agreements/${id}/termination`, 201, {
      body: { effectiveAt: '2024-12-31' },
    });
    const [news] = await inbox(p.practitioner);
    expect(news).toMatchObject({
      kind: 'agreement-terminated',
      message: 'Notice of termination was served by staffordshire-cc; the agreement ends on 2024-12-31.',
    });
  });

  it('limit bounds the answer, newest first', async () => {
    const { body } = await p.lead['mpft']!.ok('GET', '/notifications?limit=1', 200);
    expect(body.items.map((i: Item) => i.kind)).toEqual(['agreement-terminated']);
  });

  it('admins and auditors have no inbox: 403', async () => {
    expect((await p.world.asAdmin.get('/notifications')).status).toBe(403);
    expect((await p.world.client(p.world.orgs.own.users.auditor.token).get('/notifications')).status).toBe(
      403,
    );
  });
});
