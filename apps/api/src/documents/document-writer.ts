import { Inject, Injectable } from '@nestjs/common';
import {
  AccessDenied,
  AgreementCommand,
  agreementDecider,
  AgreementEvent,
  AgreementState,
  agreementStreamId,
  DocumentCommand,
  documentDecider,
  DocumentEvent,
  DocumentRefusal,
  DocumentState,
  documentStreamId,
  refusalOf,
  TransferBlocked,
  UserCommand,
  userDecider,
  UserEvent,
  UserState,
  userStreamId,
} from '@accord/domain';
import { EVENT_STORE, EventMetaInput, EventStore, RecordedEvent } from '@accord/event-store';
import { CommandOutcome, ReadYourWrites, runCommand, StreamFolds } from '@accord/platform';
import { AccessDecisions } from './access-decisions';
import { TeamDirectory } from '../organisations/team-directory';

/** The part of an Idempotency-Key a command uses: the key and the scope it is valid in. */
export interface IdempotencyScope {
  key: string | undefined;
  scope: string;
}

/**
 * Document streams on the event store (the source of truth: a read model may lag, and a lagging read would
 * let a decision rest on an old state). Refusals are appended like any decision, then answered.
 */
@Injectable()
export class DocumentWriter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readYourWrites: ReadYourWrites,
    private readonly teams: TeamDirectory,
  ) {
    this.access = new AccessDecisions(store, (commands, document) => this.refreshOpens(commands, document));
    this.users = new StreamFolds(store, userDecider);
    this.agreements = new StreamFolds(store, agreementDecider);
  }

  private readonly access: AccessDecisions;
  /** Read on every open and share: each read takes only the events since the last one (StreamFolds). */
  private readonly users: StreamFolds<UserState, UserCommand, UserEvent>;
  private readonly agreements: StreamFolds<AgreementState, AgreementCommand, AgreementEvent>;

  /**
   * The document's whole stream, read from the event store, for a command that then runs on it with `run`
   * (one read serves the handler's own checks and the decision).
   */
  history(documentId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(documentStreamId(documentId));
  }

  /** Read from the event store: the last fold of the stream kept by AccessDecisions, plus every event since. */
  async document(documentId: string): Promise<DocumentState> {
    return this.access.state(documentId);
  }

  /** The user's latest data-protection training (clause 7.0), from their stream. */
  async trainedOn(userId: string): Promise<string | undefined> {
    return (await this.sharer(userId)).trainedOn;
  }

  /** What the share policy reads about its sender, from their stream: suspended or not, and training. */
  async sharer(userId: string): Promise<{ active: boolean; trainedOn?: string }> {
    return activityOf((await this.users.current(userStreamId(userId))).state);
  }

  async agreement(agreementId: string): Promise<AgreementState> {
    return (await this.agreements.current(agreementStreamId(agreementId))).state;
  }

  run(
    documentId: string,
    command: DocumentCommand,
    meta: EventMetaInput,
    idempotency?: IdempotencyScope,
    history?: readonly RecordedEvent[],
  ): Promise<CommandOutcome<DocumentState, DocumentEvent>> {
    return runCommand(this.store, documentStreamId(documentId), documentDecider, command, {
      meta,
      ...(history !== undefined ? { history } : {}),
      ...(idempotency?.key !== undefined
        ? { idempotencyKey: idempotency.key, scope: idempotency.scope }
        : {}),
    });
  }

  /**
   * Records one open's decision (DocumentAccessed, AccessDenied or TransferBlocked). Concurrent opens of one
   * document each get their own answer and their own record, never a 409: see AccessDecisions.
   */
  recordOpen(
    documentId: string,
    command: DocumentCommand,
    meta: EventMetaInput,
  ): Promise<CommandOutcome<DocumentState, DocumentEvent>> {
    return this.access.decide(documentId, command, meta);
  }

  /**
   * Records a refusal that is not an open's (a metadata read): AccessDenied on the document's stream, decided
   * and appended like an open, so that no refused attempt goes unrecorded for a lost race.
   */
  recordRefusal(
    documentId: string,
    refusal: DocumentRefusal,
    orgId: string | null,
    meta: EventMetaInput,
  ): Promise<CommandOutcome<DocumentState, DocumentEvent>> {
    const command: DocumentCommand = {
      type: 'RecordShareRefusal',
      data: { refusal, orgId },
      metadata: { now: new Date(meta.occurredAt) },
    };
    return this.access.decide(documentId, command, meta);
  }

  /**
   * An open is decided on the agreement, the user's stream and their organisation's teams as its handler read
   * them, and recorded in a later round: a suspension, termination, team removal or user suspension
   * acknowledged in between must refuse it (docs/architecture.md §30.1). Each round reads them again: the
   * document's agreement once, each user's stream and teams once.
   */
  private async refreshOpens(
    commands: readonly DocumentCommand[],
    document: DocumentState,
  ): Promise<DocumentCommand[]> {
    if (!commands.some((c) => c.type === 'OpenDocument')) return [...commands];
    // As the open handler reads it: the agreement of a live document, none otherwise.
    const fresh: AgreementState | undefined =
      document.status === 'shared' ? await this.agreement(document.document.agreementId) : undefined;
    const users = new Map<string, Promise<{ state: UserState; teams: string[] }>>();
    return Promise.all(
      commands.map(async (command) => {
        if (command.type !== 'OpenDocument') return command;
        const { user, agreement } = command.data;
        let now = users.get(user.userId);
        if (now === undefined) {
          now = Promise.all([
            this.users.current(userStreamId(user.userId)),
            this.teams.teamsOfUser(user.orgId, user.userId),
          ]).then(([u, teams]) => ({ state: u.state, teams }));
          users.set(user.userId, now);
        }
        const { state, teams } = await now;
        const { active, trainedOn } = activityOf(state);
        const tokenRevoked =
          user.tokenId !== undefined && state.status !== 'none' && state.tokens[user.tokenId]?.revoked === true;
        const { suspended: _wasSuspended, trainedOn: _wasTrainedOn, ...rest } = user;
        return {
          ...command,
          data: {
            ...command.data,
            agreement: fresh ?? agreement,
            user: {
              ...rest,
              teams,
              ...(active && !user.suspended ? {} : { suspended: true }),
              ...(trainedOn ? { trainedOn } : {}),
              ...(tokenRevoked ? { tokenRevoked } : {}),
            },
          },
        };
      }),
    );
  }

  /** Waits until this node's read models include the append, so the client's next read sees it. */
  async settle(position: number): Promise<void> {
    if (position > 0) await this.readYourWrites.settle(position);
  }

  /**
   * Appends a share's refusal on the would-be document's stream and returns the refusal to throw, naming
   * that document id so the refusal can be found in the audit trail. A retry with the same key appends
   * nothing twice and answers as the first.
   */
  async recordShareRefusal(
    documentId: string,
    refusal: DocumentRefusal,
    about: { orgId: string | null; agreementId?: string },
    meta: EventMetaInput,
    idempotency: IdempotencyScope,
  ): Promise<DocumentRefusal> {
    const outcome = await this.run(
      documentId,
      {
        type: 'RecordShareRefusal',
        data: { refusal, ...about },
        metadata: { now: new Date(meta.occurredAt) },
      },
      meta,
      { key: idempotency.key, scope: `${idempotency.scope}|refusal` },
    );
    const recorded = outcome.replayed ? answerOf(outcome.events[0]) : refusal;
    return new DocumentRefusal(
      recorded.reason,
      recorded.detail,
      { ...recorded.extra, documentId },
      recorded.destination,
    );
  }
}

/** The refusal a recorded AccessDenied or TransferBlocked stands for. */
export function answerOf(event: DocumentEvent | undefined): DocumentRefusal {
  if (event?.type !== 'AccessDenied' && event?.type !== 'TransferBlocked')
    throw new Error('expected a recorded refusal');
  return refusalOf(event as AccessDenied | TransferBlocked);
}

/** A user's standing from their stream; a caller with no stream (none today) is let through as the guard let it. */
function activityOf(user: UserState): { active: boolean; trainedOn?: string } {
  if (user.status === 'none') return { active: true };
  return { active: user.status === 'active', ...(user.trainedOn ? { trainedOn: user.trainedOn } : {}) };
}
