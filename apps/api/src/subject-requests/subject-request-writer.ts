import { Inject, Injectable } from '@nestjs/common';
import {
  agreementDecider,
  agreementStreamId,
  DocumentCommand,
  documentDecider,
  DocumentState,
  documentStreamId,
  ErasureCandidate,
  RectificationDocument,
  SubjectRequestCommand,
  subjectRequestDecider,
  SubjectRequestState,
  subjectRequestStreamId,
} from '@accord/domain';
import { EVENT_STORE, EventMetaInput, EventStore } from '@accord/event-store';
import { fold, Idempotency, READ_DB, runCommand } from '@accord/platform';
import { listDocumentRecords, ReadDb } from '@accord/projections';
import { SettledCommandRunner } from '../shared/settled-command.runner';

/** A subject's documents are few; the cap only bounds a pathological subject reference. */
const SUBJECT_DOCUMENTS_LIMIT = 10_000;

/**
 * The streams a subject request reads and writes. The read model finds the subject's documents (its
 * `document_subjects` index is the only place a subject reference is searchable); every decision then
 * rests on the documents' and agreements' streams, which a lagging read model cannot make stale.
 */
@Injectable()
export class SubjectRequestWriter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly runner: SettledCommandRunner,
  ) {}

  async request(id: string): Promise<SubjectRequestState> {
    return fold(subjectRequestDecider, await this.store.readStream(subjectRequestStreamId(id)));
  }

  runRequest(
    id: string,
    command: SubjectRequestCommand,
    meta: EventMetaInput,
    idempotency: Pick<Idempotency, 'key' | 'scope'> = { key: undefined, scope: '' },
  ) {
    return this.runner.run(subjectRequestStreamId(id), subjectRequestDecider, command, meta, idempotency);
  }

  /** A document command with no Idempotency-Key: each such decision answers a repeat with no event. */
  runDocument(documentId: string, command: DocumentCommand, meta: EventMetaInput) {
    return runCommand(this.store, documentStreamId(documentId), documentDecider, command, { meta });
  }

  async document(documentId: string): Promise<DocumentState> {
    return fold(documentDecider, await this.store.readStream(documentStreamId(documentId)));
  }

  /** The documents about the subject that `orgId` sent or received (erased ones are no longer indexed). */
  subjectDocumentIds(orgId: string, subjectRef: string): string[] {
    return listDocumentRecords(this.db, { orgId, subjectRef, limit: SUBJECT_DOCUMENTS_LIMIT })
      .map((d) => d.id)
      .sort();
  }

  async lawfulBasesOf(agreementId: string, version: number): Promise<string[]> {
    const state = fold(agreementDecider, await this.store.readStream(agreementStreamId(agreementId)));
    if (state.status === 'none') return [];
    return [...(state.versions[version - 1]?.terms.lawfulBases ?? [])];
  }

  async erasureCandidates(orgId: string, subjectRef: string): Promise<ErasureCandidate[]> {
    const out: ErasureCandidate[] = [];
    for (const documentId of this.subjectDocumentIds(orgId, subjectRef)) {
      const state = await this.document(documentId);
      if (state.status !== 'shared') continue;
      const d = state.document;
      out.push({
        documentId,
        agreementId: d.agreementId,
        senderOrg: d.senderOrg,
        lawfulBases: await this.lawfulBasesOf(d.agreementId, d.agreementVersion),
        legalHold: state.legalHold,
        erased: state.erased,
      });
    }
    return out;
  }

  /** A document as rectification checks it; undefined unless `orgId` sent or received it (no probing). */
  async rectificationDocument(documentId: string, orgId: string): Promise<RectificationDocument | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(documentId)) return undefined;
    const state = await this.document(documentId);
    if (state.status !== 'shared') return undefined;
    const d = state.document;
    if (d.senderOrg !== orgId && !d.recipients.includes(orgId)) return undefined;
    return {
      documentId,
      senderOrg: d.senderOrg,
      subjectRefs: d.subjectRefs,
      erased: state.erased,
      supersededBy: state.supersededBy ?? null,
    };
  }
}
