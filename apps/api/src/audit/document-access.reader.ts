import { Inject, Injectable } from '@nestjs/common';
import { agreementStreamId, documentStreamId, organisationStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore, RecordedEvent } from '@accord/event-store';
import { READ_DB } from '@accord/platform';
import { isAuditStreamParty, ReadDb } from '@accord/projections';
import { AuditError } from './audit.errors';
import type { Cut } from './audit-cut';
import type { AuditScope } from './audit-scope';
import { DocumentAccessAt, documentAccessAt } from './document-access-at';

/**
 * Reads the raw streams that decided who could open a document (the document, its agreement, its parties'
 * organisations), cuts each at the same position, and folds them (document-access-at.ts). Nothing here
 * comes from a read model but the scope check, so the answer is a straight replay by construction.
 */
@Injectable()
export class DocumentAccessReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
  ) {}

  async at(documentId: string, cut: Cut, scope: AuditScope): Promise<DocumentAccessAt> {
    const streamId = documentStreamId(documentId);
    // An organisation sees documents it sent or received, as the documents API does; anything else is absent.
    if (scope !== null && !isAuditStreamParty(this.db, streamId, scope))
      throw new AuditError('audit.not-found');
    const all = await this.store.readStream(streamId);
    if (all.length === 0) throw new AuditError('audit.not-found');
    const upTo = (events: RecordedEvent[]) => events.filter((e) => e.position <= cut.position);
    const document = upTo(all);
    const shared = document.find((e) => e.type === 'DocumentShared');
    const agreementId =
      typeof shared?.data['agreementId'] === 'string' ? shared.data['agreementId'] : undefined;
    const parties = shared ? partiesOf(shared) : [];
    const organisations: Record<string, RecordedEvent[]> = {};
    for (const org of parties)
      organisations[org] = upTo(await this.store.readStream(organisationStreamId(org)));
    return documentAccessAt({
      documentId,
      at: new Date(cut.at ?? 0),
      document,
      agreement: agreementId ? upTo(await this.store.readStream(agreementStreamId(agreementId))) : [],
      organisations,
    });
  }
}

function partiesOf(shared: RecordedEvent): string[] {
  const { senderOrg, recipients } = shared.data;
  const list = Array.isArray(recipients) ? recipients : [];
  return [senderOrg, ...list].filter((o): o is string => typeof o === 'string');
}
