import { assertNever } from '../errors';
import { Decider } from '../shared/decider';
import { DocumentCommand, OpenDocument, RevokeDocument, ShareDocument } from './document.commands';
import { retention } from './retention.decider';
import { DocumentRefusal, refuse } from './document.errors';
import { AccessDenied, DocumentEvent, TransferBlocked } from './document.events';
import { DocumentState, evolveDocument, initialDocumentState } from './document.state';
import { evaluateOpen } from './open.policy';
import { subjectRights } from './subject-rights.decider';

/**
 * One document stream. The share policy has already run (evaluateShare before the payload is read, then
 * the message's recipients); the decider keeps the stream's own invariants: one DocumentShared, never one
 * pointing at an object the orphan reconciler has claimed, and a refusal recorded as its event.
 */
export function decideDocument(command: DocumentCommand, state: DocumentState): DocumentEvent[] {
  switch (command.type) {
    case 'ShareDocument':
      return share(command, state);
    case 'RecordShareRefusal': {
      const { refusal, orgId, agreementId } = command.data;
      return refusalEvents(refusal, { ...(orgId ? { orgId } : {}), ...(agreementId ? { agreementId } : {}) });
    }
    case 'OpenDocument':
      return open(command, state);
    case 'DeleteOrphanPayload': {
      const { objectKey } = command.data;
      if (state.status === 'shared') {
        if (state.document.objectKey === objectKey) throw refuse('document.already-shared');
        return [{ type: 'OrphanPayloadDeleted', data: { objectKey } }];
      }
      return state.orphanedKeys.includes(objectKey)
        ? []
        : [{ type: 'OrphanPayloadDeleted', data: { objectKey } }];
    }
    case 'PlaceLegalHold':
    case 'ReleaseLegalHold':
    case 'ExpireRetention':
    case 'RecordPayloadDestroyed':
      return retention(command, state);
    case 'RestrictProcessing':
    case 'LiftRestriction':
    case 'EraseDocument':
    case 'SupersedeDocument':
      return subjectRights(command, state);
    case 'RevokeDocument':
      return revoke(command, state);
    default:
      return assertNever(command, 'document command');
  }
}

function share({ data, metadata }: ShareDocument, state: DocumentState): DocumentEvent[] {
  if (state.status === 'shared') throw refuse('document.already-shared');
  // The reconciler judged the upload dead and is deleting its object: recording it would point at nothing.
  if (state.orphanedKeys.includes(data.payload.objectKey)) throw refuse('document.payload-swept');
  const { share: s, payload } = data;
  return [
    {
      type: 'DocumentShared',
      data: {
        agreementId: s.agreementId,
        agreementVersion: s.agreementVersion,
        senderOrg: s.senderOrg,
        recipients: s.recipients,
        purpose: s.purpose,
        dataCategories: s.dataCategories,
        subjectRefs: data.subjectRefs,
        nature: data.nature,
        title: data.title,
        objectKey: payload.objectKey,
        size: payload.size,
        sha256: payload.sha256,
        recipientFingerprints: payload.recipientFingerprints,
        storageRegion: payload.storageRegion,
        sharedAt: metadata.now.toISOString(),
        retainUntil: s.retainUntil,
        mode: payload.mode,
        ...(data.recipientTeams && Object.keys(data.recipientTeams).length > 0
          ? { recipientTeams: data.recipientTeams }
          : {}),
      },
    },
  ];
}

/**
 * docs/architecture.md §25: the user who shared it, or an IG lead of the sending organisation, takes it back.
 * Anyone outside the sender and the recipients learns nothing (`document.not-found`, nothing recorded); a
 * recipient or another colleague of the sender is refused and recorded. The payload's destruction follows
 * (the retention destroy job), unless a legal hold keeps it until released.
 */
function revoke({ data }: RevokeDocument, state: DocumentState): DocumentEvent[] {
  if (state.status !== 'shared') throw refuse('document.not-found');
  const { user, sharedBy } = data;
  const d = state.document;
  if (user.orgId === null || (user.orgId !== d.senderOrg && !d.recipients.includes(user.orgId)))
    throw refuse('document.not-found');
  const permitted =
    user.orgId === d.senderOrg &&
    (user.role === 'ig-lead' || (user.role === 'practitioner' && sharedBy === user.userId));
  if (!permitted) return refusalEvents(refuse('revocation.not-permitted'), { orgId: user.orgId });
  const reason = data.reason?.trim().replace(/\s+/g, ' ');
  if (!reason) throw refuse('revocation.reason-required');
  if (state.revoked) throw refuse('revocation.already-revoked');
  if (state.erased || state.payloadDestroyed) throw refuse('revocation.payload-gone');
  return [
    {
      type: 'DocumentRevoked',
      data: {
        reason,
        revokedBy: user.userId,
        orgId: user.orgId,
        agreementId: d.agreementId,
        recipients: [...d.recipients],
        ...(d.recipientTeams ? { recipientTeams: d.recipientTeams } : {}),
      },
    },
  ];
}

/**
 * An allowed open is recorded before the content streams; a refusal is recorded and then answered. Nothing
 * is recorded for an id never shared: there is no document the decision is about.
 */
function open({ data, metadata }: OpenDocument, state: DocumentState): DocumentEvent[] {
  const verdict = evaluateOpen(state, { ...data, now: metadata.now });
  const orgId = data.user.orgId;
  if (verdict.allowed) {
    const purpose = data.purpose?.trim().replace(/\s+/g, ' ');
    return [
      {
        type: 'DocumentAccessed',
        data: { client: { ...data.client }, orgId: orgId ?? '', ...(purpose ? { purpose } : {}) },
      },
    ];
  }
  if (state.status === 'none') throw verdict.refusal;
  return refusalEvents(verdict.refusal, orgId ? { orgId } : {});
}

function refusalEvents(
  refusal: DocumentRefusal,
  about: { orgId?: string; agreementId?: string },
): DocumentEvent[] {
  switch (refusal.records) {
    case 'AccessDenied':
      return [{ type: 'AccessDenied', data: { reason: refusal.reason, ...about } }];
    case 'TransferBlocked':
      return [
        {
          type: 'TransferBlocked',
          data: { reason: refusal.reason, destination: refusal.destination ?? 'unknown', ...about },
        },
      ];
    case 'none':
      throw refusal;
    default:
      return assertNever(refusal.records, 'refusal record');
  }
}

/** The refusal an appended AccessDenied or TransferBlocked stands for, to answer the request with. */
export function refusalOf(event: AccessDenied | TransferBlocked): DocumentRefusal {
  const reason = event.data.reason as DocumentRefusal['reason'];
  return new DocumentRefusal(
    reason,
    undefined,
    undefined,
    event.type === 'TransferBlocked' ? event.data.destination : undefined,
  );
}

export const documentDecider: Decider<DocumentState, DocumentCommand, DocumentEvent> = {
  decide: decideDocument,
  evolve: evolveDocument,
  initialState: initialDocumentState,
};
