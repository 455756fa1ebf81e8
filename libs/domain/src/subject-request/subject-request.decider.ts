import { assertNever } from '../errors';
import { Decider } from '../shared/decider';
import { nonBlank } from '../shared/text';
import { planErasure, refusalReason } from './erasure.policy';
import {
  CompleteSubjectRequest,
  ReceiveSubjectRequest,
  SubjectRequestCommand,
} from './subject-request.commands';
import { subjectRequestFail } from './subject-request.errors';
import {
  SUBJECT_REQUEST_KINDS,
  SubjectRequestEvent,
  SubjectRequestKind,
  SubjectRequestReceived,
} from './subject-request.events';
import {
  evolveSubjectRequest,
  ExistingSubjectRequest,
  initialSubjectRequestState,
  SubjectRequestState,
} from './subject-request.state';

export const MAX_SUBJECT_REQUEST_REASON = 4000;

/**
 * A data-subject request: received (with, for an erasure, the documents it will erase and those an
 * exemption keeps), then completed once the documents' own streams carry the change. Completing twice
 * appends nothing, so a request interrupted between the two is finished by its retry.
 */
export function decideSubjectRequest(
  command: SubjectRequestCommand,
  state: SubjectRequestState,
): SubjectRequestEvent[] {
  switch (command.type) {
    case 'ReceiveSubjectRequest':
      if (state.status !== 'none') throw subjectRequestFail('subject-request.already-received');
      return receive(command);
    case 'CompleteSubjectRequest':
      if (state.status === 'none') throw subjectRequestFail('subject-request.not-found');
      return state.status === 'completed' ? [] : complete(command, state);
    default:
      return assertNever(command, 'subject request command');
  }
}

function receive({ data, metadata }: ReceiveSubjectRequest): SubjectRequestEvent[] {
  if (!(SUBJECT_REQUEST_KINDS as readonly string[]).includes(data.kind))
    throw subjectRequestFail('subject-request.kind-invalid', `one of ${SUBJECT_REQUEST_KINDS.join(', ')}`);
  const kind = data.kind as SubjectRequestKind;
  const reason = nonBlank(data.reason);
  if (!reason || reason.length > MAX_SUBJECT_REQUEST_REASON)
    throw subjectRequestFail(
      'subject-request.reason-required',
      `1 to ${MAX_SUBJECT_REQUEST_REASON} characters`,
    );
  const received: SubjectRequestReceived = {
    type: 'SubjectRequestReceived',
    data: {
      kind,
      subjectRef: data.subjectRef,
      orgId: data.orgId,
      reason,
      receivedAt: metadata.now.toISOString(),
      ...(kind === 'rectification' ? checkRectification(data) : {}),
    },
  };
  if (kind !== 'erasure') return [received];
  // Art 17 binds the controller: a recipient erases nothing it did not send, and names who to ask.
  const controllers = [
    ...new Set(
      (data.candidates ?? []).filter((c) => c.senderOrg !== data.orgId && !c.erased).map((c) => c.senderOrg),
    ),
  ].sort();
  if (controllers.length > 0) received.data.redirectTo = controllers;
  const plan = planErasure(data.orgId, data.candidates ?? []);
  const events: SubjectRequestEvent[] = [received];
  if (plan.erase.length > 0) events.push({ type: 'ErasureApproved', data: { documentIds: plan.erase } });
  if (plan.kept.length > 0)
    events.push({
      type: 'ErasureRefused',
      data: { reason: refusalReason(plan.kept), overriddenBy: plan.kept },
    });
  if (plan.erase.length === 0 && plan.kept.length === 0)
    events.push({
      type: 'ErasureCompleted',
      data: { documentIds: [], completedAt: metadata.now.toISOString() },
    });
  return events;
}

/**
 * UK GDPR Art 16: the sender corrects its own document by sharing the corrected one, then names both here.
 * Both must be about the subject, neither erased, and the old one not already superseded.
 */
function checkRectification(data: ReceiveSubjectRequest['data']): {
  documentId: string;
  correctedDocumentId: string;
} {
  const r = data.rectify ?? {};
  if (!r.documentId || !r.correctedDocumentId) throw subjectRequestFail('subject-request.documents-required');
  if (r.documentId === r.correctedDocumentId) throw subjectRequestFail('subject-request.same-document');
  for (const [id, doc] of [
    [r.documentId, r.document],
    [r.correctedDocumentId, r.corrected],
  ] as const) {
    if (!doc) throw subjectRequestFail('subject-request.document-not-found', undefined, { documentId: id });
    // Art 16 binds the controller: the recipient is told whom to redirect the person to.
    if (doc.senderOrg !== data.orgId)
      throw subjectRequestFail(
        'subject-request.not-sender',
        'only the controller that sent the document rectifies it: redirect the person to it',
        { documentId: id, controllers: [doc.senderOrg] },
      );
    if (!doc.subjectRefs.includes(data.subjectRef))
      throw subjectRequestFail('subject-request.not-about-subject', undefined, { documentId: id });
    if (doc.erased)
      throw subjectRequestFail('subject-request.document-erased', undefined, { documentId: id });
  }
  if (r.document!.supersededBy !== null)
    throw subjectRequestFail('subject-request.already-superseded', undefined, { documentId: r.documentId });
  return { documentId: r.documentId, correctedDocumentId: r.correctedDocumentId };
}

function complete(
  { data, metadata }: CompleteSubjectRequest,
  state: ExistingSubjectRequest,
): SubjectRequestEvent[] {
  const at = metadata.now.toISOString();
  const documentIds = [...new Set(data.documentIds)];
  switch (state.kind) {
    case 'access':
      return [{ type: 'SubjectAccessProvided', data: { documentIds, providedAt: at } }];
    case 'restriction':
      return [{ type: 'ProcessingRestrictionApplied', data: { documentIds, appliedAt: at } }];
    case 'lift-restriction':
      return [{ type: 'RestrictionLiftedForSubject', data: { documentIds, liftedAt: at } }];
    case 'erasure':
      return [
        { type: 'ErasureCompleted', data: { documentIds: state.erasure?.approved ?? [], completedAt: at } },
      ];
    case 'rectification':
      return [
        {
          type: 'RectificationRecorded',
          data: { supersededId: state.documentId!, correctedId: state.correctedDocumentId!, recordedAt: at },
        },
      ];
    default:
      return assertNever(state.kind, 'subject request kind');
  }
}

export const subjectRequestDecider: Decider<SubjectRequestState, SubjectRequestCommand, SubjectRequestEvent> =
  {
    decide: decideSubjectRequest,
    evolve: evolveSubjectRequest,
    initialState: initialSubjectRequestState,
  };
