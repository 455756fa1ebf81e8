import {
  AGREEMENT_EVENT_TYPES,
  DOCUMENT_EVENT_TYPES,
  parseStreamId,
  StreamFamily,
  TEAM_EVENT_TYPES,
} from '@accord/domain';
import type { JsonObject, JsonValue, RecordedEvent } from '@accord/event-store';

/**
 * What the audit trail keeps of an event, and which organisations an event involves. Pure functions: the
 * audit projection applies them, and tests fold raw events through nothing but their own simple rules to
 * check the projection against a straight replay.
 */

/** The organisation every platform admin (and a platform auditor) is enrolled under; never a party. */
const PLATFORM_ORG = 'platform';

/**
 * Events that become rows of a history (who shared, opened, was refused; what governed it; who held keys).
 * Every document, agreement and team event is one, so a new event of theirs is a row from the day the domain
 * lists it: give it a WITHHELD entry below if it carries names or titles.
 */
export const AUDIT_ENTRY_TYPES = [
  ...DOCUMENT_EVENT_TYPES,
  ...AGREEMENT_EVENT_TYPES,
  'OrganisationRegistered',
  'OrganisationKeyAdded',
  'OrganisationKeyRevoked',
  ...TEAM_EVENT_TYPES,
  'UserEnrolled',
  'AccessAgreementAccepted',
  'UserSuspended',
  'UserReinstated',
  'TokenIssueRefused',
  'TrainingRecorded',
  'ActionRefused',
] as const;

export type AuditEntryType = (typeof AUDIT_ENTRY_TYPES)[number];

const ENTRY_TYPES: ReadonlySet<string> = new Set(AUDIT_ENTRY_TYPES);

export const isAuditEntryType = (type: string): type is AuditEntryType => ENTRY_TYPES.has(type);

/**
 * Fields left out of an entry's details: subject references and titles are for the parties only (and go on
 * erasure), names and emails are personal data, keys and token hashes are noise to an auditor. The raw log
 * (GET /audit/events) still has everything, for those whose scope covers the event.
 */
const WITHHELD: Partial<Record<AuditEntryType, readonly string[]>> = {
  DocumentShared: ['title', 'subjectRefs'],
  OrganisationKeyAdded: ['publicKey'],
  UserEnrolled: ['name', 'email'],
  AgreementSigned: ['signatory'],
  // Each version's terms and signatories; the agreement itself shows them to its readers.
  AgreementImported: ['versions'],
};

export const STREAM_KINDS = [
  'document',
  'agreement',
  'organisation',
  'user',
] as const satisfies readonly StreamFamily[];
export type StreamKind = (typeof STREAM_KINDS)[number] | 'other';

/** `document-<id>` -> ['document', id]; streams of kinds the trail does not index are `other`. */
export function streamKindOf(streamId: string): [StreamKind, string] {
  const parsed = parseStreamId(streamId);
  if (parsed && (STREAM_KINDS as readonly string[]).includes(parsed.family))
    return [parsed.family as StreamKind, parsed.id];
  return ['other', streamId];
}

export interface AuditActor {
  userId: string | null;
  orgId: string | null;
  role: string | null;
  system: string | null;
}

export function actorOf(event: Pick<RecordedEvent, 'meta'>): AuditActor {
  const a = (event.meta?.actor ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return { userId: str(a['userId']), orgId: str(a['orgId']), role: str(a['role']), system: str(a['system']) };
}

/**
 * The country of the client an access was made from: the event's own `client` (an open records it), else the
 * request's (`meta.client`). Stored with the access's audit entry, from which the transfers view derives its
 * access movements (docs/architecture.md §37.2.2); null when neither says.
 */
export function accessClientCountry(event: Pick<RecordedEvent, 'data' | 'meta'>): string | null {
  const client = event.data['client'];
  if (client && typeof client === 'object' && !Array.isArray(client) && typeof client['country'] === 'string')
    return client['country'];
  return requestCountry(event);
}

/** The country of the client whose request recorded the event (`meta.client`), or null. */
export function requestCountry(event: Pick<RecordedEvent, 'meta'>): string | null {
  const client = event.meta.client as { country?: unknown } | undefined;
  return typeof client?.country === 'string' ? client.country : null;
}

/** An entry's details: the event's data minus what is withheld, plus counts in place of withheld lists. */
export function entryDetails(type: AuditEntryType, data: JsonObject): JsonObject {
  const withheld = WITHHELD[type];
  if (!withheld) return data;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(data)) if (!withheld.includes(k)) out[k] = v;
  if (type === 'DocumentShared' && Array.isArray(data['subjectRefs'])) {
    out['subjectCount'] = data['subjectRefs'].length;
  }
  return out;
}

const orgIds = (value: JsonValue | undefined): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

const orgId = (value: JsonValue | undefined): string[] => (typeof value === 'string' ? [value] : []);

/**
 * Organisations that become parties of the event's stream with this event, so every later event of the
 * stream involves them: a document's sender and recipients, an agreement's parties (of each version), the
 * organisation of an organisation stream, the organisation of an enrolled user.
 */
export function partiesAddedBy(event: Pick<RecordedEvent, 'type' | 'streamId' | 'data'>): string[] {
  const d = event.data;
  switch (event.type) {
    case 'DocumentShared':
      return clean([...orgId(d['senderOrg']), ...orgIds(d['recipients'])]);
    case 'AgreementDrafted':
      return clean(orgIds(d['parties']));
    case 'AgreementAmended': {
      const changes = d['changes'];
      return changes && typeof changes === 'object' && !Array.isArray(changes)
        ? clean(orgIds(changes['parties']))
        : [];
    }
    case 'UserEnrolled':
      return clean(orgId(d['orgId']));
    default: {
      const [kind, id] = streamKindOf(event.streamId);
      return kind === 'organisation' ? clean([id]) : [];
    }
  }
}

/**
 * Organisations this one event involves besides its stream's parties: the acting user's organisation and
 * the organisation a decision was about (an outsider refused at a document is involved in that refusal,
 * not in the document's other events).
 */
export function eventOrgs(event: Pick<RecordedEvent, 'data' | 'meta'>): string[] {
  const d = event.data;
  return clean([
    ...orgId(actorOf(event).orgId ?? undefined),
    ...orgId(d['orgId']),
    ...orgId(d['noticeServedBy']),
    ...orgIds(d['orgIds']),
  ]);
}

function clean(ids: string[]): string[] {
  const out: string[] = [];
  for (const id of ids) if (id !== '' && id !== PLATFORM_ORG && !out.includes(id)) out.push(id);
  return out;
}
