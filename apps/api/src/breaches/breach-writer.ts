import { Inject, Injectable } from '@nestjs/common';
import {
  agreementDecider,
  agreementStreamId,
  BreachCommand,
  breachDecider,
  breachFail,
  breachStreamId,
  currentTerms,
} from '@accord/domain';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { Clock, fold, READ_DB, ReadYourWrites } from '@accord/platform';
import { findBreach, partyDocumentIds, ReadDb } from '@accord/projections';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import type { BreachWriteContext } from './breach.commands';
import type { BreachDetailDto } from './breach-responses.dto';
import { detailOf } from './breach-view';

/**
 * The write side of breaches: the agreement's parties are read from the event store (the source of truth),
 * the command runs through runCommand, and the answer is read back once this node's read model has it.
 */
@Injectable()
export class BreachWriter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly runner: SettledCommandRunner,
    private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async execute(
    breachId: string,
    command: BreachCommand,
    context: BreachWriteContext,
  ): Promise<BreachDetailDto> {
    await this.runner.run(
      breachStreamId(breachId),
      breachDecider,
      command,
      context.meta,
      context.idempotency,
    );
    const record = findBreach(this.db, breachId);
    if (!record) throw breachFail('breach.not-found');
    return detailOf(record, this.clock.now());
  }

  /**
   * The decider's refusals against the stream as it stands, appending nothing: for a command whose effect
   * lands elsewhere first (containment), so a refused request changes nothing anywhere.
   */
  async check(breachId: string, command: BreachCommand): Promise<void> {
    breachDecider.decide(command, fold(breachDecider, await this.store.readStream(breachStreamId(breachId))));
  }

  /**
   * Those of `documentIds` that exist and `orgId` sent or received (the documents' own visibility rule), read
   * once the read models are at the log's head, so a document just shared through another api node counts.
   */
  async documentsOf(orgId: string, documentIds: readonly string[]): Promise<string[]> {
    if (documentIds.length === 0) return [];
    await this.readYourWrites.catchUp();
    return partyDocumentIds(this.db, orgId, documentIds);
  }

  /** Every party of every version of the agreement, or undefined when no such agreement exists. */
  async partiesOf(agreementId: string): Promise<string[] | undefined> {
    const state = fold(agreementDecider, await this.store.readStream(agreementStreamId(agreementId)));
    if (state.status === 'none') return undefined;
    return [...new Set([...(state.activeTerms?.parties ?? []), ...currentTerms(state).parties])];
  }
}
