import {
  buildCliPartnership,
  CliPartnership,
  problemCode,
  seedAgreementBody,
  signAll,
} from './support/partnership';

/** Issue 13 item 6 (docs/architecture.md §28): withdrawal, joining and termination as the lead's act. */
describe('parties over time', () => {
  let p: CliPartnership;
  const three = ['staffordshire-cc', 'staffordshire-police', 'uhnm'];
  const council = () => p.lead['staffordshire-cc']!;

  async function activeAgreement(parties = three, extra: Record<string, unknown> = {}): Promise<string> {
    const { body } = await council().ok('POST', '/agreements', 201, {
      body: { ...seedAgreementBody(), title: 'Three-party ISA', parties, ...extra },
    });
    await signAll(p, body.id, parties);
    return body.id as string;
  }

  beforeAll(async () => {
    p = await buildCliPartnership('2025-02-03T09:00:00.000Z');
  });
  afterAll(() => p?.close());

  it('a party withdraws with notice; the others carry on; the last but one leaving ends it', async () => {
    const id = await activeAgreement();
    const police = await p.lead['staffordshire-police']!.ok('POST', `/agreements/${id}/withdrawal`, 201, {
      body: { effectiveAt: '2025-03-01' },
    });
    expect(police.body).toMatchObject({ status: 'active', terminationEffectiveAt: null });
    const again = await p.lead['staffordshire-police']!.request('POST', `/agreements/${id}/withdrawal`, {
      body: { effectiveAt: '2025-04-01' },
    });
    expect(again.status).toBe(409);
    expect(problemCode(again)).toBe('agreement.already-withdrawn');
    const lead = await council().request('POST', `/agreements/${id}/withdrawal`, {
      body: { effectiveAt: '2025-03-01' },
    });
    expect(problemCode(lead)).toBe('agreement.lead-cannot-withdraw');
    // uhnm's termination notice is its withdrawal; with one party left, the agreement ends then.
    const last = await p.lead['uhnm']!.ok('POST', `/agreements/${id}/termination`, 201, {
      body: { effectiveAt: '2025-03-15' },
    });
    expect(last.body).toMatchObject({ terminationEffectiveAt: '2025-03-15T00:00:00.000Z' });
    const shown = await council().ok('GET', `/agreements/${id}`, 200);
    expect(shown.body.withdrawals).toEqual([
      { orgId: 'staffordshire-police', effectiveAt: '2025-03-01T00:00:00.000Z' },
      { orgId: 'uhnm', effectiveAt: '2025-03-15T00:00:00.000Z' },
    ]);
    expect(shown.body.termination).toEqual({
      noticeServedBy: 'uhnm',
      effectiveAt: '2025-03-15T00:00:00.000Z',
    });
  });

  it('the notice the terms state is enforced', async () => {
    const id = await activeAgreement(three, { noticePeriodDays: 90 });
    const short = await p.lead['uhnm']!.request('POST', `/agreements/${id}/withdrawal`, {
      body: { effectiveAt: '2025-03-01' },
    });
    expect(short.status).toBe(422);
    expect(problemCode(short)).toBe('agreement.effective-date-invalid');
    expect(short.body.earliest).toBe('2025-05-04');
  });

  it('a new party joins by a joining version every party signs, the joiner included', async () => {
    const id = await activeAgreement(['staffordshire-cc', 'staffordshire-police']);
    const joining = await council().ok('POST', `/agreements/${id}/joining`, 201, { body: { orgId: 'mpft' } });
    expect(joining.body).toMatchObject({ status: 'active', activeVersion: 1, pendingVersion: 2 });
    const shown = await council().ok('GET', `/agreements/${id}`, 200);
    expect(shown.body.versions[1]).toMatchObject({
      reasonForChange: 'mpft joins the agreement',
      awaitingSignatureFrom: ['staffordshire-cc', 'staffordshire-police', 'mpft'],
    });
    const [, , last] = await signAll(p, id, ['staffordshire-cc', 'staffordshire-police', 'mpft']);
    expect(last!.body).toMatchObject({ status: 'active', activeVersion: 2, pendingVersion: null });
    const twice = await council().request('POST', `/agreements/${id}/joining`, { body: { orgId: 'mpft' } });
    expect(problemCode(twice)).toBe('agreement.already-a-party');
  });

  it('CLI: agreements join and agreements withdraw', async () => {
    const id = await activeAgreement(['staffordshire-cc', 'staffordshire-police']);
    const join = await p.accord('staffordshire-cc', 'agreements', 'join', id, '--org', 'nscht');
    expect(join).toMatchObject({ code: 0, stderr: '' });
    expect(join.stdout).toBe(`${id} active, version 1 in force, version 2 awaiting signatures\n`);
    await signAll(p, id, ['staffordshire-cc', 'staffordshire-police', 'nscht']);
    const out = await p.accord('nscht', 'agreements', 'withdraw', id, '--effective-at', '2025-06-30');
    expect(out).toMatchObject({ code: 0, stderr: '' });
    const shown = await council().ok('GET', `/agreements/${id}`, 200);
    expect(shown.body.withdrawals).toEqual([{ orgId: 'nscht', effectiveAt: '2025-06-30T00:00:00.000Z' }]);
  });

  it('the public register stops naming a party, and publishing its contact, once its withdrawal takes effect', async () => {
    const id = await activeAgreement(three, {
      title: 'Register of a withdrawal',
      dataProtectionContacts: {
        'staffordshire-cc': { name: 'Data Protection Officer', email: 'dpo@staffordshire.gov.uk' },
        'staffordshire-police': { name: 'Information Manager', email: 'im@staffordshire.police.uk' },
      },
    });
    await p.lead['staffordshire-police']!.ok('POST', `/agreements/${id}/withdrawal`, 201, {
      body: { effectiveAt: '2025-03-01' },
    });
    const entryOf = async () => {
      const register = await p.world.client().ok('GET', '/register', 200);
      return register.body.categories
        .flatMap((c: { agreements: { id: string }[] }) => c.agreements)
        .find((a: { id: string }) => a.id === id);
    };
    const before = await entryOf();
    expect(before.otherOrganisations.map((o: { id: string }) => o.id)).toEqual([
      'staffordshire-police',
      'uhnm',
    ]);
    const now = new Date(p.clock.now());
    try {
      p.clock.set('2025-03-02T09:00:00.000Z');
      const after = await entryOf();
      expect(after.otherOrganisations.map((o: { id: string }) => o.id)).toEqual(['uhnm']);
      expect(after.dataProtectionContacts.map((c: { orgId: string }) => c.orgId)).toEqual([
        'staffordshire-cc',
      ]);
      const csv = await (await fetch(`${p.world.url}/register`, { headers: { accept: 'text/csv' } })).text();
      const row = csv.split('\r\n').find((l) => l.includes(id))!;
      expect(row).not.toMatch(/police/i);
      const html = await (
        await fetch(`${p.world.url}/register`, { headers: { accept: 'text/html' } })
      ).text();
      expect(html).not.toContain('im@staffordshire.police.uk');
    } finally {
      p.clock.set(now.toISOString());
    }
  });
});
