import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import {
  buildCliPartnership,
  CliPartnership,
  FIXTURE_FILE,
  problemCode,
  seedAgreementBody,
  signAll,
} from './support/partnership';

/**
 * Issue 13 item 5 (docs/architecture.md §28): agreements entered as they are, with their particulars,
 * dates as signed and history, through the API and the CLI; the register shows and exports them.
 */
describe('agreements as they are', () => {
  let p: CliPartnership;
  const council = () => p.lead['staffordshire-cc']!;
  const store = () => p.world.api.app.get<EventStore>(EVENT_STORE);

  const particulars = {
    dataProtectionContacts: {
      'staffordshire-cc': { name: 'Data Protection Officer', email: 'dpo@staffordshire.gov.uk' },
      'staffordshire-police': { name: 'Information Manager', email: 'im@staffordshire.police.uk' },
    },
    dpiaReference: 'DPIA-2023-017',
    privacyNoticeUrls: { 'staffordshire-cc': 'https://www.staffordshire.gov.uk/privacy' },
    legalGateways: ['children-act-2004-s11', 'crime-and-disorder-act-1998-s115'],
    otherLegalGateways: ['Working Together to Safeguard Children 2023'],
    ratifiedOn: '2025-01-20',
    firstReviewDue: '2025-09-30',
    versionLabel: '2.3',
  };

  beforeAll(async () => {
    p = await buildCliPartnership('2025-02-03T09:00:00.000Z');
  });
  afterAll(() => p?.close());

  it('imports the Staffordshire fixture through the API with versions 1.0 and 1.1 and its dates intact', async () => {
    const f = p.fixture.agreement as unknown as Record<string, unknown>;
    const {
      versions,
      signatures,
      retentionNote: _note,
      ...terms
    } = f as {
      versions: { versionLabel: string; date: string; reasonForChange: string; ratified: string }[];
      signatures: { org: string; position: string; date: string }[];
      retentionNote: string;
    };
    const reply = await council().ok('POST', '/agreements/import', 201, {
      body: {
        source: 'Staffordshire SSCB ISA 2023 v1.1 (public document)',
        terms,
        versions: versions.map((v) => ({
          versionLabel: v.versionLabel,
          date: v.date,
          reasonForChange: v.reasonForChange,
          ratifiedOn: v.ratified,
        })),
        signatures: signatures.map((s) => ({ orgId: s.org, position: s.position, signedOn: s.date })),
      },
    });
    const id = reply.body.id as string;
    const shown = await council().ok('GET', `/agreements/${id}`, 200);
    expect(shown.body.imported).toMatchObject({
      source: 'Staffordshire SSCB ISA 2023 v1.1 (public document)',
    });
    expect(shown.body.versions.map((v: { versionLabel: string }) => v.versionLabel)).toEqual(['1.0', '1.1']);
    expect(shown.body.versions[0].terms.ratifiedOn).toBe('2023-06-20');
    expect(shown.body.versions[1].terms.ratifiedOn).toBe('2024-01-04');
    expect(shown.body.versions[1].reasonForChange).toBe('Working Together 2023 amendment');
    // The fixture's three signatures are dated 2023-09-19, before version 1.1 (2024-01-04): they signed 1.0.
    expect(shown.body.versions[0].signatures.map((s: { signedOn: string }) => s.signedOn)).toEqual([
      '2023-09-19',
      '2023-09-19',
      '2023-09-19',
    ]);
    expect(shown.body.versions[1].awaitingSignatureFrom).toHaveLength(11);
    const events = await store().readStream(`agreement-${id}`);
    expect(events.map((e) => e.type)).toEqual(['AgreementImported']);
    expect(events[0]!.data).toMatchObject({
      source: 'Staffordshire SSCB ISA 2023 v1.1 (public document)',
      importedBy: expect.any(String),
    });
  });

  it('an import whose every party signed is in force from its last signature, and reviewed as stated', async () => {
    const terms = {
      ...seedAgreementBody(),
      title: 'MASH agreement',
      parties: ['staffordshire-cc', 'staffordshire-police'],
      ...particulars,
      firstReviewDue: '2025-06-30',
    };
    const reply = await council().ok('POST', '/agreements/import', 201, {
      body: {
        source: 'MASH ISA 2.3, signed paper copy',
        terms,
        signatures: [
          { orgId: 'staffordshire-cc', signatory: 'A', position: 'DCS', signedOn: '2025-01-10' },
          { orgId: 'staffordshire-police', signatory: 'B', position: 'ACC', signedOn: '2025-01-14' },
        ],
      },
    });
    expect(reply.body).toMatchObject({
      status: 'active',
      activeVersion: 1,
      nextReviewDue: '2025-06-30T00:00:00.000Z',
    });
    const shown = await council().ok('GET', `/agreements/${reply.body.id}`, 200);
    expect(shown.body.firstActivatedAt).toBe('2025-01-14T00:00:00.000Z');
  });

  it('a signature dated as signed keeps signedOn apart from when it was recorded; a future date is refused', async () => {
    const draft = await council().ok('POST', '/agreements', 201, {
      body: { ...seedAgreementBody(), parties: ['staffordshire-cc', 'uhnm'], title: 'Hospital discharge' },
    });
    const path = `/agreements/${draft.body.id}/signatures`;
    const future = await council().request('POST', path, {
      body: { signatory: 'A', position: 'DCS', signedOn: '2025-02-04' },
    });
    expect(future.status).toBe(422);
    expect(problemCode(future)).toBe('agreement.signed-on-invalid');
    await council().ok('POST', path, 201, {
      body: { signatory: 'A', position: 'DCS', signedOn: '2025-01-28' },
    });
    const shown = await council().ok('GET', `/agreements/${draft.body.id}`, 200);
    expect(shown.body.versions[0].signatures[0]).toMatchObject({
      signedOn: '2025-01-28',
      signedAt: '2025-02-03T09:00:00.000Z',
    });
  });

  it('the first review follows the stated months, not six, when the agreement says so', async () => {
    const draft = await council().ok('POST', '/agreements', 201, {
      body: {
        ...seedAgreementBody(),
        parties: ['staffordshire-cc', 'mpft'],
        title: 'Perinatal mental health',
        firstReviewAfterMonths: 3,
      },
    });
    const [, last] = await signAll(p, draft.body.id, ['staffordshire-cc', 'mpft']);
    expect(last!.body.nextReviewDue).toBe('2025-05-03T09:00:00.000Z');
  });

  it('an unknown legal gateway is refused; the register shows contacts, gateways and DPIA, and exports CSV', async () => {
    const body = {
      ...seedAgreementBody(),
      title: 'Children and young people ISA',
      parties: ['staffordshire-cc', 'staffordshire-police'],
      ...particulars,
    };
    const bad = await council().request('POST', '/agreements', {
      body: { ...body, legalGateways: ['magna-carta'] },
    });
    expect(bad.status).toBe(422);
    expect(problemCode(bad)).toBe('agreement.legal-gateway-invalid');
    const draft = await council().ok('POST', '/agreements', 201, { body });
    await signAll(p, draft.body.id, ['staffordshire-cc', 'staffordshire-police']);
    const register = await p.world.client().ok('GET', '/register', 200);
    const entry = register.body.categories
      .flatMap((c: { agreements: { id: string }[] }) => c.agreements)
      .find((a: { id: string }) => a.id === draft.body.id);
    expect(entry).toMatchObject({
      versionLabel: '2.3',
      dpiaReference: 'DPIA-2023-017',
      ratifiedOn: '2025-01-20',
      dataProtectionContacts: [
        { orgId: 'staffordshire-cc', name: 'Data Protection Officer', email: 'dpo@staffordshire.gov.uk' },
        { orgId: 'staffordshire-police', name: 'Information Manager', email: 'im@staffordshire.police.uk' },
      ],
      legalGateways: [
        { code: 'children-act-2004-s11', label: expect.stringMatching(/^Children Act 2004 s11/) },
        {
          code: 'crime-and-disorder-act-1998-s115',
          label: expect.stringMatching(/^Crime and Disorder Act 1998 s115/),
        },
        { code: null, label: 'Working Together to Safeguard Children 2023' },
      ],
    });
    const html = await fetch(`${p.world.url}/register`, { headers: { accept: 'text/html' } });
    const page = await html.text();
    expect(page).toContain('DPIA-2023-017');
    expect(page).toContain('dpo@staffordshire.gov.uk');
    expect(page).toContain('Children Act 2004 s11');
    const csv = await fetch(`${p.world.url}/register`, { headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe(
      'category,id,title,tier,version,leadOrganisation,otherOrganisations,purposes,legalGateways,dpiaReference,' +
        'dataProtectionContacts,ratifiedOn,reviewDue,reviewOverdue,endsOn',
    );
    const row = lines.find((l) => l.includes(draft.body.id))!;
    expect(row).toContain('DPIA-2023-017');
    expect(row).toContain('staffordshire-cc: Data Protection Officer <dpo@staffordshire.gov.uk>');
    expect(row).toContain('2.3');
  });

  it('CLI: agreements import --file takes the fixture; draft --file refuses an unknown field', async () => {
    const run = await p.accord('staffordshire-cc', 'agreements', 'import', '--file', FIXTURE_FILE);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[0-9a-f-]{36} draft, version 2 awaiting signatures\n$/);
    const id = run.stdout.split(' ')[0]!;
    const shown = await council().ok('GET', `/agreements/${id}`, 200);
    expect(shown.body.versions.map((v: { versionLabel: string }) => v.versionLabel)).toEqual(['1.0', '1.1']);
    expect(shown.body.imported.source).toMatch(/version 1\.1/);

    const file = join(p.dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ ...seedAgreementBody(), reviewIntervalMonth: 24 }));
    const refused = await p.accord('staffordshire-cc', 'agreements', 'draft', '--file', file);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/reviewIntervalMonth/);
  });
});
