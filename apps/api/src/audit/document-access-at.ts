import {
  activeKeys,
  AGREEMENT_EVENT_TYPES,
  agreementStatusAt,
  DOCUMENT_EVENT_TYPES,
  evaluateOpen,
  evolveAgreement,
  evolveDocument,
  evolveOrganisation,
  initialAgreementState,
  initialDocumentState,
  initialOrganisationState,
  lifecycleOf,
  TEAM_EVENT_TYPES,
  teamsOf,
} from '@accord/domain';
import type { RecordedEvent } from '@accord/event-store';

const ORGANISATION_EVENT_TYPES = [
  'OrganisationRegistered',
  'OrganisationKeyAdded',
  'OrganisationKeyRevoked',
  // Team membership decides who in a recipient organisation could open (docs/architecture.md §24).
  ...TEAM_EVENT_TYPES,
];

/** Raw events of the streams that decide an open, each already cut at the same position. */
export interface AccessAtInput {
  documentId: string;
  /** The instant the answer stands for: an agreement's termination and a key's expiry are dated. */
  at: Date;
  document: readonly RecordedEvent[];
  agreement: readonly RecordedEvent[];
  organisations: Readonly<Record<string, readonly RecordedEvent[]>>;
}

export interface OrganisationAccessAt {
  orgId: string;
  role: 'sender' | 'recipient';
  jurisdiction: string | null;
  /** Keys a new share could have been encrypted to then: added, not revoked, not expired. */
  keysInForce: { fingerprint: string; algorithm: string; expiresAt: string | null }[];
  /** Which of the stored message's recipient keys are this organisation's (revoked or not). */
  messageEncryptedTo: string[];
  /**
   * The teams the document was addressed to in this organisation, with their members then; null when the
   * whole organisation received it (docs/architecture.md §24). Anyone else there is refused open.not-addressed.
   */
  addressedTeams: { teamId: string; name: string | null; members: string[] }[] | null;
  /**
   * Would a practitioner of this organisation (a member of an addressed team, when it was addressed to teams),
   * in the UK, have been allowed to open it then.
   */
  canOpen: boolean;
  /** The open policy's refusal code when not. */
  refusal: string | null;
}

export interface DocumentAccessAt {
  documentId: string;
  shared: boolean;
  state: string | null;
  agreement: {
    id: string;
    status: string;
    versionInForce: number | null;
    latestVersion: number;
    sharedUnderVersion: number;
  } | null;
  organisations: OrganisationAccessAt[];
}

/**
 * "Who could open document X at time T", folded straight from the raw events of the document, its
 * agreement and its parties' organisations, through the domain's own evolve() and open policy: the same
 * rules GET /documents/:id/content applies, asked for a practitioner of each party in the UK.
 */
export function documentAccessAt(input: AccessAtInput): DocumentAccessAt {
  const doc = fold(input.document, DOCUMENT_EVENT_TYPES, evolveDocument, initialDocumentState());
  if (doc.status !== 'shared') {
    return { documentId: input.documentId, shared: false, state: null, agreement: null, organisations: [] };
  }
  const d = doc.document;
  const agreement = fold(input.agreement, AGREEMENT_EVENT_TYPES, evolveAgreement, initialAgreementState());
  const parties: [string, OrganisationAccessAt['role']][] = [
    [d.senderOrg, 'sender'],
    ...d.recipients.map((r): [string, 'recipient'] => [r, 'recipient']),
  ];
  const organisations = parties.map(([orgId, role]): OrganisationAccessAt => {
    const org = fold(
      input.organisations[orgId] ?? [],
      ORGANISATION_EVENT_TYPES,
      evolveOrganisation,
      initialOrganisationState(),
    );
    const teams = teamsOf(org);
    const addressed = role === 'recipient' ? d.recipientTeams?.[orgId] : undefined;
    const verdict = evaluateOpen(doc, {
      now: input.at,
      user: { userId: 'audit', orgId, role: 'practitioner', teams: addressed ?? [] },
      agreement,
      client: { ip: 'audit', country: 'GB' },
    });
    const owned = org.status === 'registered' ? Object.keys(org.keys) : [];
    return {
      orgId,
      role,
      jurisdiction: org.status === 'registered' ? org.jurisdiction : null,
      keysInForce: activeKeys(org, input.at).map((k) => ({
        fingerprint: k.fingerprint,
        algorithm: k.algorithm,
        expiresAt: k.expiresAt ?? null,
      })),
      messageEncryptedTo: d.recipientFingerprints.filter((f) => owned.includes(f)),
      addressedTeams:
        addressed === undefined
          ? null
          : addressed.map((teamId) => ({
              teamId,
              name: teams.teams[teamId]?.name ?? null,
              members: [...(teams.teams[teamId]?.members ?? [])],
            })),
      canOpen: verdict.allowed,
      refusal: verdict.allowed ? null : verdict.refusal.reason,
    };
  });
  return {
    documentId: input.documentId,
    shared: true,
    state: lifecycleOf(doc),
    agreement:
      agreement.status === 'none'
        ? null
        : {
            id: d.agreementId,
            status: agreementStatusAt(agreement, input.at),
            versionInForce: agreement.activeVersion,
            latestVersion: agreement.version,
            sharedUnderVersion: d.agreementVersion,
          },
    organisations,
  };
}

function fold<S, E>(
  events: readonly RecordedEvent[],
  types: readonly string[],
  evolve: (state: S, event: E) => S,
  initial: S,
): S {
  let state = initial;
  // A type this code does not know (a later version's) cannot change what it knows: skip it.
  for (const e of events)
    if (types.includes(e.type)) state = evolve(state, { type: e.type, data: e.data } as E);
  return state;
}
