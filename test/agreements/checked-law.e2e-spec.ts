import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildCliPartnership,
  CliPartnership,
  problemCode,
  seedAgreementBody,
  signAll,
} from './support/partnership';

/**
 * Issue 13 item 7, checked law, through the API and the CLI: Schedule 1 conditions for Article 9, a tier-2
 * agreement within its parent, clause 6.0 (no party outside the UK) and list options that lose nothing.
 */
describe('checked law (docs/architecture.md §8.3, §8.4)', () => {
  let p: CliPartnership;
  let parentId: string;
  const council = () => p.lead['staffordshire-cc']!;
  const twoParty = (overrides: Record<string, unknown> = {}) => ({
    ...seedAgreementBody(),
    title: 'Multi-agency safeguarding hub',
    parties: ['staffordshire-cc', 'staffordshire-police'],
    ...overrides,
  });

  beforeAll(async () => {
    p = await buildCliPartnership('2025-02-03T09:00:00.000Z');
    await p.world.asAdmin.ok('POST', '/organisations', 201, {
      body: { id: 'gendarmerie-nord', name: 'Gendarmerie du Nord', kind: 'police', jurisdiction: 'FR' },
    });
    p.lead['gendarmerie-nord'] = p.world.client((await p.world.enrol('gendarmerie-nord', 'ig-lead')).token);
    const parent = await council().ok('POST', '/agreements', 201, { body: seedAgreementBody() });
    parentId = parent.body.id;
    await signAll(p, parentId);
  });
  afterAll(() => p?.close());

  it.each([
    ['(g) without a Part 2 condition', ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-g']],
    ['(h) without Part 1 para 2', ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-h', 'dpa2018-sch1-pt2-para18']],
  ])('Article 9(2)%s: 422 agreement.schedule1-condition-required', async (_case, lawfulBases) => {
    const reply = await council().request('POST', '/agreements', {
      body: twoParty({ lawfulBases, dataCategories: ['name', 'health'] }),
    });
    expect(reply.status).toBe(422);
    expect(problemCode(reply)).toBe('agreement.schedule1-condition-required');
  });

  it('Article 9(2)(h) with Schedule 1 Part 1 para 2 is accepted', async () => {
    await council().ok('POST', '/agreements', 201, {
      body: twoParty({
        lawfulBases: ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-h', 'dpa2018-sch1-pt1-para2'],
        dataCategories: ['name', 'health'],
      }),
    });
  });

  it.each([
    ['retention longer than the parent (P10Y under P1Y)', { retentionPeriod: 'P10Y' }, 'retentionPeriod'],
    [
      'a lawful basis the parent lacks',
      { lawfulBases: [...seedAgreementBody().lawfulBases, 'uk-gdpr-art6-1-a'] },
      'lawfulBases',
    ],
  ])('a tier-2 agreement with %s: 422 agreement.outside-parent-scope', async (_case, overrides, field) => {
    const reply = await council().request('POST', '/agreements', {
      body: twoParty({ tier: 2, parentId, ...overrides }),
    });
    expect(reply.status).toBe(422);
    expect(problemCode(reply)).toBe('agreement.outside-parent-scope');
    expect(reply.body).toMatchObject({ field });
  });

  it('a tier-2 purpose names the parent purpose it narrows, and the agreement shows it', async () => {
    const [first] = seedAgreementBody().purposes;
    const unnamed = await council().request('POST', '/agreements', {
      body: twoParty({ tier: 2, parentId, purposes: ['child protection conferences'] }),
    });
    expect(unnamed.status).toBe(422);
    expect(problemCode(unnamed)).toBe('agreement.purpose-narrows-invalid');
    const drafted = await council().ok('POST', '/agreements', 201, {
      body: twoParty({
        tier: 2,
        parentId,
        purposes: [{ text: 'child protection conferences', narrows: first }, first],
      }),
    });
    const shown = await council().ok('GET', `/agreements/${drafted.body.id}`, 200);
    expect(shown.body.terms.purposes).toEqual(['child protection conferences', first]);
    expect(shown.body.terms.purposeNarrows).toEqual({ 'child protection conferences': first });
  });

  it('clause 6.0: a party outside the UK is refused at draft, with the clause named, and never on the register', async () => {
    const reply = await council().request('POST', '/agreements', {
      body: twoParty({ parties: ['staffordshire-cc', 'gendarmerie-nord'] }),
    });
    expect(reply.status).toBe(422);
    expect(problemCode(reply)).toBe('agreement.party-outside-uk-clause-6-0');
    expect(reply.body).toMatchObject({ organisations: ['gendarmerie-nord'], clause: '6.0' });
    expect(reply.body.detail).toMatch(/clause 6\.0/);
    const register = await p.world.client().ok('GET', '/register', 200);
    expect(JSON.stringify(register.body)).not.toContain('gendarmerie');
  });

  it('clause 6.0 through the CLI: draft --file says why', async () => {
    const file = join(p.dir, 'french.json');
    writeFileSync(file, JSON.stringify(twoParty({ parties: ['staffordshire-cc', 'gendarmerie-nord'] })));
    const run = await p.accord('staffordshire-cc', 'agreements', 'draft', '--file', file);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/clause 6\.0/i);
  });

  it('breach report --category name health stores both; an unknown category is refused by the server', async () => {
    const base = ['breach', 'report', '--discovered-at', '2025-02-03T08:00:00Z', '--description', 'x'];
    const run = await p.accord(
      'staffordshire-cc',
      ...base,
      '--severity',
      'low',
      '--category',
      'name',
      'health',
      '--category',
      'race',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const id = run.stdout.split(' ')[0]!;
    const breach = await council().ok('GET', `/breaches/${id}`, 200);
    expect(breach.body.dataCategories).toEqual(['name', 'health', 'race']);
    const bad = await p.accord('staffordshire-cc', ...base, '--severity', 'low', '--category', 'shoe-size');
    expect(bad.code).not.toBe(0);
  });
});
