import { ProjectorHost } from '@accord/platform';
import { ApiClient } from '../authz/world';
import { buildPartnership, Partnership, seedAgreementBody, signAll } from './support/partnership';

/**
 * Read models are disposable: dropped and replayed from the event log they answer every read exactly as
 * before, because nothing in them depends on when or how often they were built (status and overdue flags
 * are computed at read time from stored dates).
 */
describe('agreement read models rebuilt from zero', () => {
  let p: Partnership;

  beforeAll(async () => {
    p = await buildPartnership('2023-05-22T09:00:00.000Z');
    const council = p.lead['staffordshire-cc']!;
    const seed = (await council.ok('POST', '/agreements', 201, { body: seedAgreementBody() })).body.id;
    p.clock.set('2023-09-19T10:00:00.000Z');
    await signAll(p, seed);
    const child = await council.ok('POST', '/agreements', 201, {
      body: {
        ...seedAgreementBody(),
        title: 'MASH',
        tier: 2,
        parentId: seed,
        parties: ['staffordshire-cc', 'uhnm'],
      },
    });
    await signAll(p, child.body.id, ['staffordshire-cc', 'uhnm']);
    await p.lead['uhnm']!.ok('POST', `/agreements/${child.body.id}/suspension`, 201, {
      body: { reason: 'audit' },
    });
    p.clock.set('2024-01-04T09:00:00.000Z');
    await council.ok('POST', `/agreements/${seed}/amendments`, 201, {
      body: { changes: { retentionPeriod: 'P2Y' }, reasonForChange: 'Working Together 2023 amendment' },
    });
    await signAll(p, seed, p.fixture.agreement.parties.slice(0, 4));
    const other = await council.ok('POST', '/agreements', 201, {
      body: {
        ...seedAgreementBody(),
        title: 'Early help',
        category: 'Learning and Education',
        parties: ['staffordshire-cc', 'mpft'],
      },
    });
    await signAll(p, other.body.id, ['staffordshire-cc', 'mpft']);
    await p.lead['mpft']!.ok('POST', `/agreements/${other.body.id}/termination`, 201, {
      body: { effectiveAt: '2024-02-01' },
    });
    p.clock.set('2024-03-25T09:00:00.000Z');
  });
  afterAll(() => p?.close());

  async function everyRead(): Promise<Record<string, unknown>> {
    const anonymous = p.world.client();
    const auditor = p.world.client(p.world.orgs.own.users.auditor.token);
    const readers: [string, ApiClient][] = [
      ['council', p.lead['staffordshire-cc']!],
      ['uhnm', p.lead['uhnm']!],
      ['practitioner', p.practitioner],
      ['auditor', auditor],
    ];
    const out: Record<string, unknown> = {};
    const { body: all } = await auditor.ok('GET', '/agreements', 200);
    for (const [name, client] of readers) {
      out[`${name} list`] = (await client.ok('GET', '/agreements', 200)).body;
      // Auditors have no inbox (403, with a fresh correlation id each time).
      if (name !== 'auditor') out[`${name} inbox`] = (await client.ok('GET', '/notifications', 200)).body;
    }
    for (const { id } of all.items as { id: string }[]) {
      out[`detail ${id}`] = (await auditor.ok('GET', `/agreements/${id}`, 200)).body;
    }
    out['register json'] = (await anonymous.ok('GET', '/register', 200)).body;
    out['register html'] = (
      await anonymous.ok('GET', '/register', 200, { headers: { accept: 'text/html' } })
    ).body;
    return out;
  }

  it('answers every agreement, register and inbox read identically after a rebuild', async () => {
    const before = await everyRead();
    expect(Object.keys(before).filter((k) => k.startsWith('detail'))).toHaveLength(3);
    expect(JSON.stringify(before)).toContain('"reviewOverdue":true');
    const result = await p.world.api.app.get(ProjectorHost).projector.rebuild();
    expect(result.events).toBeGreaterThan(40);
    expect(await everyRead()).toEqual(before);
  });
});
