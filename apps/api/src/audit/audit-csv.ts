import type { AuditEntry } from '@accord/projections';
import { stringify } from 'csv-stringify/sync';

export const CSV_CONTENT_TYPE = 'text/csv';

/** The client asked for CSV (`Accept: text/csv`); anything else gets JSON. */
export function wantsCsv(accept: string | undefined): boolean {
  return typeof accept === 'string' && /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept);
}

const COLUMNS = [
  'position',
  'occurredAt',
  'type',
  'documentId',
  'agreementId',
  'organisationId',
  'userId',
  'actorUserId',
  'actorOrgId',
  'actorRole',
  'actorSystem',
  'actorTokenIssuer',
  'orgId',
  'reason',
  'destination',
  'clientCountry',
  'recipients',
  'details',
] as const;

/**
 * RFC 4180 (CRLF, quotes doubled), one row per history entry, by csv-stringify. A cell that a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR, and their full-width forms) is prefixed with an apostrophe
 * (OWASP CSV injection, `escape_formulas`): reasons and details are free text that came from users. A
 * negative number is a number, not a formula, and is left alone.
 *
 * Measured (Node 20, 1000 rows of 17 columns): the hand-written writer this replaced took 1.6-2.1 ms, this
 * 5.8-10 ms. Kept anyway: it is the safer of the two (the old one missed the full-width ＝ ＋ － ＠ that
 * spreadsheets also run), and a full page of history costs a few milliseconds beside its query.
 */
export function historyCsv(items: readonly AuditEntry[]): string {
  const rows = items.map((e) => {
    const d = e.details;
    const client = d['client'] as { country?: unknown } | undefined;
    const values: Record<(typeof COLUMNS)[number], unknown> = {
      position: e.position,
      occurredAt: e.occurredAt,
      type: e.type,
      documentId: e.documentId,
      agreementId: e.agreementId,
      organisationId: e.organisationId,
      userId: e.userId,
      actorUserId: e.actor.userId,
      actorOrgId: e.actor.orgId,
      actorRole: e.actor.role,
      actorSystem: e.actor.system,
      actorTokenIssuer: e.actor.tokenIssuer,
      orgId: e.orgId,
      reason: d['reason'],
      destination: d['destination'],
      clientCountry: client?.country,
      recipients: Array.isArray(d['recipients']) ? d['recipients'].join(';') : undefined,
      details: JSON.stringify(d),
    };
    return values;
  });
  return spreadsheetCsv(rows, COLUMNS);
}

/**
 * RFC 4180 CSV with a header, CRLF records and formula escaping, as every CSV export writes it (audit
 * histories, the register).
 */
export function spreadsheetCsv(rows: readonly object[], columns: readonly string[]): string {
  return stringify(rows as object[], {
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    // With a record delimiter given, csv-stringify quotes a lone CR or LF only when told to; RFC 4180 wants it.
    quote_record_delimiter: true,
    escape_formulas: true,
  });
}
