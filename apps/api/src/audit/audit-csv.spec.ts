import type { AuditEntry } from '@accord/projections';
import { historyCsv } from './audit-csv';

const entry = (over: Partial<AuditEntry> & { details?: Record<string, unknown> } = {}): AuditEntry =>
  ({
    position: 7,
    occurredAt: '2025-03-03T10:00:00.000Z',
    type: 'AccessDenied',
    documentId: 'd1',
    agreementId: null,
    organisationId: null,
    userId: null,
    actor: { userId: 'u1', orgId: 'o1', role: 'practitioner', system: null },
    orgId: 'o1',
    details: {},
    ...over,
  }) as unknown as AuditEntry;

const HEADER =
  'position,occurredAt,type,documentId,agreementId,organisationId,userId,actorUserId,actorOrgId,actorRole,' +
  'actorSystem,actorTokenIssuer,orgId,reason,destination,clientCountry,recipients,details';

const BEFORE_REASON = '7,2025-03-03T10:00:00.000Z,AccessDenied,d1,,,,u1,o1,practitioner,,,o1,';

/** The reason column: after the thirteen known cells, before the three empty ones and the details. */
const reasonCell = (reason: string): string => {
  const csv = historyCsv([entry({ details: { reason } })]);
  const rest = csv.slice(csv.indexOf('\r\n') + 2);
  expect(rest.startsWith(BEFORE_REASON)).toBe(true);
  const after = rest.slice(BEFORE_REASON.length);
  return after.slice(0, after.indexOf(',,,'));
};

describe('audit history as CSV', () => {
  it('writes a header and one CRLF-terminated row per entry (RFC 4180)', () => {
    expect(historyCsv([entry()])).toBe(
      `${HEADER}\r\n7,2025-03-03T10:00:00.000Z,AccessDenied,d1,,,,u1,o1,practitioner,,,o1,,,,,{}\r\n`,
    );
    expect(historyCsv([])).toBe(`${HEADER}\r\n`);
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['＝1+1', "'＝1+1"],
  ])('prefixes a cell a spreadsheet would run as a formula: %j', (reason, cell) => {
    expect(reasonCell(reason)).toBe(cell);
  });

  it('quotes cells holding a comma, a quote or a line break, and doubles the quotes', () => {
    expect(reasonCell('late, "urgent"\nreferral')).toBe('"late, ""urgent""\nreferral"');
    expect(reasonCell('plain words')).toBe('plain words');
  });

  it('leaves a negative number alone and writes nothing for a missing value', () => {
    const [, row] = historyCsv([entry({ position: -1 as never, documentId: null })]).split('\r\n');
    expect(row!.startsWith('-1,2025-03-03T10:00:00.000Z,AccessDenied,,')).toBe(true);
  });

  it('joins recipients with ";" and keeps the client country', () => {
    const csv = historyCsv([entry({ details: { recipients: ['a', 'b'], client: { country: 'GB' } } })]);
    expect(csv.split('\r\n')[1]).toContain(',GB,a;b,');
  });
});
