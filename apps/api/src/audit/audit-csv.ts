import type { AuditEntry } from '@accord/projections';

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
 * RFC 4180 (CRLF, quotes doubled), one row per history entry. A cell that a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR) is prefixed with an apostrophe (OWASP CSV injection): reasons and details are
 * free text that came from users.
 */
export function historyCsv(items: readonly AuditEntry[]): string {
  const lines = [COLUMNS.join(',')];
  for (const e of items) {
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
    lines.push(COLUMNS.map((c) => cell(values[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
