import { formatDateTime } from '../components/format';
import { useUser } from '../session';
import type { DocumentMeta } from '../types';
import { useApi } from '../use-api';

interface AuditEntry {
  eventId: string;
  type: string;
  occurredAt: string;
  organisationId: string | null;
}

/** Event types in words; anything else is shown by its name (the audit log is the full record). */
const EVENT_WORDS: Record<string, string> = {
  DocumentShared: 'Shared',
  DocumentAccessed: 'Opened',
  AccessDenied: 'An open was refused',
  DocumentRevoked: 'Revoked by the sender',
  DocumentDestroyed: 'Destroyed at the end of its retention',
  DocumentSuperseded: 'Replaced by a corrected version',
  LegalHoldPlaced: 'Legal hold placed',
  LegalHoldReleased: 'Legal hold released',
};

/**
 * The document's own history. IG leads and auditors see the audit log's entries for it (who opened it, each
 * refusal); a practitioner, who may not read the audit log, sees what the document's record says.
 */
export function DocumentHistory({ document: d }: { document: DocumentMeta }) {
  const user = useUser();
  const mayAudit = user.role === 'ig-lead' || user.role === 'auditor';
  const audit = useApi<{ items: AuditEntry[] }>(mayAudit ? `/audit/documents/${d.id}/history` : null);
  const rows: { when: string; what: string; key: string }[] =
    mayAudit && audit.data
      ? audit.data.items.map((e) => ({
          key: e.eventId,
          when: e.occurredAt,
          what: `${EVENT_WORDS[e.type] ?? e.type}${e.organisationId ? ` (${e.organisationId})` : ''}`,
        }))
      : [
          {
            key: 'shared',
            when: d.sharedAt,
            what: `Shared by ${d.senderOrg} with ${d.recipients.join(', ')}`,
          },
          ...(d.supersedes
            ? [{ key: 'supersedes', when: d.sharedAt, what: 'Corrects an earlier document' }]
            : []),
          ...(d.revoked && d.revokedAt
            ? [{ key: 'revoked', when: d.revokedAt, what: 'Revoked by the sender' }]
            : []),
        ];
  return (
    <>
      <h2 className="govuk-heading-m">History</h2>
      {audit.error && <p className="govuk-body">The history could not be loaded: {audit.error.detail}</p>}
      <ol className="govuk-list govuk-list--spaced">
        {rows.map((r) => (
          <li key={r.key}>
            <span className="govuk-body-s govuk-!-font-weight-bold">{formatDateTime(r.when)}</span>: {r.what}
          </li>
        ))}
        {d.supersededBy && <li>Replaced by a corrected version</li>}
        {d.payloadDestroyed && !d.revoked && <li>Its encrypted content has been destroyed</li>}
      </ol>
    </>
  );
}
