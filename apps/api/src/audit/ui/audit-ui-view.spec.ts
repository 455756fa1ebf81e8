import type { AuditEntry } from '@accord/projections';
import { accessesPerDay, renderAccessChart } from './audit-ui-chart.html';
import { UiRefused } from './audit-ui.guard';
import { asOfOf, SearchForm, searchFormOf } from './audit-ui.queries';

const form = (fields: Partial<SearchForm>): SearchForm => ({ ...searchFormOf({}), ...fields });

const access = (occurredAt: string, orgId: string | null, type = 'DocumentAccessed'): AuditEntry => ({
  position: 1,
  eventId: 'e',
  type,
  occurredAt,
  streamId: 'document-d',
  documentId: 'd',
  agreementId: null,
  organisationId: null,
  userId: null,
  actor: { userId: 'u', orgId: 'actor-org', role: 'practitioner', system: null },
  orgId,
  details: {},
});

describe('the audit view: as of', () => {
  it('reads the datetime-local picker as UTC, to the second', () => {
    expect(asOfOf(form({ asOfTime: '2025-03-03T10:00' }))).toBe('2025-03-03T10:00Z');
    expect(asOfOf(form({ asOfTime: '2025-03-03T10:00:30' }))).toBe('2025-03-03T10:00:30Z');
    expect(asOfOf(form({ asOfTime: '2025-03-03T10:00:30+01:00' }))).toBe('2025-03-03T10:00:30+01:00');
  });

  it('takes a log position instead, and nothing for now', () => {
    expect(asOfOf(form({ asOfPosition: '42' }))).toBe('42');
    expect(asOfOf(form({}))).toBeUndefined();
  });

  it.each([
    [{ asOfTime: 'yesterday' }],
    [{ asOfTime: '2025-13-45T99:99' }],
    [{ asOfPosition: '-1' }],
    [{ asOfPosition: '1.5' }],
    [{ asOfTime: '2025-03-03T10:00', asOfPosition: '4' }],
  ])('refuses %j with 400', (fields) => {
    const error = (() => {
      try {
        asOfOf(form(fields));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UiRefused);
    expect((error as UiRefused).status).toBe(400);
  });

  it('keeps only string query fields, trimmed and bounded', () => {
    expect(searchFormOf({ kind: ['a', 'b'], value: `  ${'v'.repeat(600)} ` })).toMatchObject({
      kind: '',
      value: 'v'.repeat(500),
    });
  });
});

describe('the audit view: accesses per day per organisation', () => {
  it("counts only opens, per UTC day and the opener's organisation", () => {
    const counts = accessesPerDay([
      access('2025-03-03T23:59:59.000Z', 'police'),
      access('2025-03-04T00:00:00.000Z', 'police'),
      access('2025-03-04T09:00:00.000Z', 'police'),
      access('2025-03-04T10:00:00.000Z', 'uhnm'),
      access('2025-03-04T10:00:00.000Z', 'uhnm', 'AccessDenied'),
      access('2025-03-05T10:00:00.000Z', null),
    ]);
    expect(counts.days).toEqual(['2025-03-03', '2025-03-04', '2025-03-05']);
    expect(counts.orgs).toEqual(['actor-org', 'police', 'uhnm']);
    expect(Object.fromEntries(counts.counts)).toEqual({
      '2025-03-03 police': 1,
      '2025-03-04 police': 2,
      '2025-03-04 uhnm': 1,
      '2025-03-05 actor-org': 1,
    });
  });

  it('draws one bar per day and organisation with opens, its height proportional, every label escaped', () => {
    const html = renderAccessChart([
      access('2025-03-04T09:00:00.000Z', '<b>x</b>'),
      access('2025-03-04T09:00:00.000Z', '<b>x</b>'),
      access('2025-03-04T09:00:00.000Z', 'police'),
    ]);
    const heights = [...html.matchAll(/<rect x="\d+" y="\d+" width="\d+" height="(\d+)"/g)].map((m) => m[1]);
    expect(heights).toEqual(['160', '80']);
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;: 2 accesses');
  });

  it('says so in words when nothing was opened', () => {
    expect(renderAccessChart([access('2025-03-04T09:00:00.000Z', 'police', 'DocumentShared')])).toContain(
      'No document was opened',
    );
  });
});
