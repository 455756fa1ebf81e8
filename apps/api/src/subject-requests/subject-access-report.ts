import { Inject, Injectable } from '@nestjs/common';
import {
  agreementDecider,
  agreementStreamId,
  documentDecider,
  documentStreamId,
  ExistingSubjectRequest,
  isLawfulBasis,
  LAWFUL_BASES,
  lifecycleOf,
  type ReportDocument,
  type SubjectAccessReport,
} from '@accord/domain';
import { EVENT_STORE, EventStore, RecordedEvent } from '@accord/event-store';
import { fold } from '@accord/platform';

const actorOf = (e: RecordedEvent): { userId: string | null; role: string | null } => {
  const actor = e.meta.actor as { userId?: unknown; role?: unknown };
  return {
    userId: typeof actor.userId === 'string' ? actor.userId : null,
    role: typeof actor.role === 'string' ? actor.role : null,
  };
};

/** Built from the documents' and agreements' streams, the source of truth for every access recorded. */
@Injectable()
export class SubjectAccessReports {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async build(requestId: string, request: ExistingSubjectRequest): Promise<SubjectAccessReport> {
    const asOf = request.completedAt ?? request.receivedAt;
    const documents: ReportDocument[] = [];
    for (const documentId of request.documentIds) {
      const doc = await this.document(documentId, request.orgId, asOf);
      if (doc) documents.push(doc);
    }
    return {
      requestId,
      orgId: request.orgId,
      reason: request.reason,
      receivedAt: request.receivedAt,
      asOf,
      documents,
    };
  }

  private async document(
    documentId: string,
    orgId: string,
    asOf: string,
  ): Promise<ReportDocument | undefined> {
    const events = (await this.store.readStream(documentStreamId(documentId))).filter(
      (e) => e.meta.occurredAt <= asOf,
    );
    const state = fold(documentDecider, events);
    if (state.status !== 'shared') return undefined;
    const d = state.document;
    const agreement = fold(agreementDecider, await this.store.readStream(agreementStreamId(d.agreementId)));
    const terms = agreement.status === 'none' ? undefined : agreement.versions[d.agreementVersion - 1]?.terms;
    const shared = events.find((e) => e.type === 'DocumentShared');
    return {
      documentId,
      title: d.title,
      nature: d.nature,
      held: d.senderOrg === orgId ? 'sent' : 'received',
      obtainedFrom: d.senderOrg,
      sharedAt: d.sharedAt,
      sharedBy: shared ? actorOf(shared).userId : null,
      agreement: {
        id: d.agreementId,
        title: terms?.title ?? '',
        version: d.agreementVersion,
        lawfulBases: (terms?.lawfulBases ?? []).map((code) => ({
          code,
          label: isLawfulBasis(code) ? LAWFUL_BASES[code].label : code,
        })),
      },
      purpose: d.purpose,
      dataCategories: d.dataCategories,
      sharedWith: d.recipients,
      retainUntil: d.retainUntil,
      state: lifecycleOf(state),
      supersededBy: state.supersededBy ?? null,
      openings: events
        .filter((e) => e.type === 'DocumentAccessed')
        .map((e) => ({ at: e.meta.occurredAt, orgId: String(e.data['orgId'] ?? ''), ...actorOf(e) })),
    };
  }
}
