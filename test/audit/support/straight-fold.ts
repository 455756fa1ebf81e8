import {
  AGREEMENT_STREAM_PREFIX,
  DOCUMENT_STREAM_PREFIX,
  documentStreamId,
  ORGANISATION_STREAM_PREFIX,
  userStreamId,
} from '@accord/domain';
import type { RecordedEvent } from '@accord/event-store';
import { AUDIT_ENTRY_TYPES } from '@accord/projections';

export type Target =
  { kind: 'document' | 'user' | 'organisation' | 'agreement'; id: string } | { kind: 'subject'; ref: string };

/** The event types a history lists (the list, plus agreement, key and user lifecycle). */
const ROWS: ReadonlySet<string> = new Set(AUDIT_ENTRY_TYPES);

/**
 * The answer a history endpoint must give, computed the slow, obvious way from the raw log: fold every
 * event up to `upTo` in order, tracking each stream's parties (a document's sender and recipients, an
 * agreement's parties, a user's and an organisation's own organisation) and each event's acting and
 * decided-about organisations, then keep the events the target and scope select.
 */
export function straightFold(
  events: readonly RecordedEvent[],
  target: Target,
  upTo: number,
  scope: string | null,
): number[] {
  const parties = new Map<string, Set<string>>();
  const agreementOf = new Map<string, string>();
  const subjectsOf = new Map<string, string[]>();
  const erased = new Set(events.filter((e) => e.type === 'DocumentErased').map((e) => e.streamId));
  const out: number[] = [];
  for (const e of events) {
    if (e.position > upTo) break;
    const d = e.data as Record<string, unknown>;
    const own = parties.get(e.streamId) ?? new Set<string>();
    parties.set(e.streamId, own);
    if (e.type === 'DocumentShared') {
      own.add(String(d['senderOrg']));
      for (const r of d['recipients'] as string[]) own.add(r);
      agreementOf.set(e.streamId, String(d['agreementId']));
      subjectsOf.set(e.streamId, d['subjectRefs'] as string[]);
    }
    if (e.type === 'AgreementDrafted') for (const o of d['parties'] as string[]) own.add(o);
    if (e.type === 'AgreementAmended') {
      for (const o of (d['changes'] as { parties?: string[] }).parties ?? []) own.add(o);
    }
    if (e.type === 'UserEnrolled') own.add(String(d['orgId']));
    if (e.streamId.startsWith(ORGANISATION_STREAM_PREFIX))
      own.add(e.streamId.slice(ORGANISATION_STREAM_PREFIX.length));
    const involved = new Set(own);
    const actor = e.meta.actor as { orgId?: string; userId?: string };
    if (actor.orgId) involved.add(actor.orgId);
    if (typeof d['orgId'] === 'string') involved.add(d['orgId']);
    if (typeof d['noticeServedBy'] === 'string') involved.add(d['noticeServedBy']);
    involved.delete('platform');
    if (!ROWS.has(e.type) || (scope !== null && !involved.has(scope))) continue;
    const agreementId = e.streamId.startsWith(AGREEMENT_STREAM_PREFIX)
      ? e.streamId.slice(AGREEMENT_STREAM_PREFIX.length)
      : e.streamId.startsWith(DOCUMENT_STREAM_PREFIX)
        ? (agreementOf.get(e.streamId) ?? (d['agreementId'] as string | undefined))
        : undefined;
    let hit: boolean;
    switch (target.kind) {
      case 'document':
        hit = e.streamId === documentStreamId(target.id);
        break;
      case 'user':
        hit = actor.userId === target.id || e.streamId === userStreamId(target.id);
        break;
      case 'organisation':
        hit = involved.has(target.id);
        break;
      case 'agreement':
        hit = agreementId === target.id;
        break;
      case 'subject':
        hit = !erased.has(e.streamId) && (subjectsOf.get(e.streamId) ?? []).includes(target.ref);
        break;
    }
    if (hit) out.push(e.position);
  }
  return out;
}

/** The cut an ISO time stands for: the last event that occurred at or before it (0 before the first). */
export function positionAt(events: readonly RecordedEvent[], iso: string): number {
  let position = 0;
  for (const e of events) {
    if (ROWS.has(e.type) && e.meta.occurredAt <= iso) position = e.position;
  }
  return position;
}
