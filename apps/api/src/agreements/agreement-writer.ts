import { Inject, Injectable } from '@nestjs/common';
import {
  AgreementCommand,
  agreementDecider,
  AgreementEvent,
  AgreementState,
  agreementStreamId,
  ExistingAgreement,
  isUk,
  organisationDecider,
  organisationStreamId,
} from '@accord/domain';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { fold, ReadYourWrites, runCommand, StreamDecider } from '@accord/platform';
import { outcomeOf } from './agreement-view';
import type { AgreementOutcomeDto } from './agreement-responses.dto';
import type { WriteContext } from '../shared/write-route';

/** What a request brings to a command: the envelope metadata and its Idempotency-Key. */
export type { WriteContext };

export type AgreementDecider = StreamDecider<AgreementState, AgreementCommand, AgreementEvent>;

/**
 * The write side of agreements: reads streams from the event store (the source of truth, not a read model
 * that may lag on another node), runs a command through runCommand, and answers only once this node's read
 * models include the write, so the client's next GET sees it.
 */
@Injectable()
export class AgreementWriter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async execute(
    agreementId: string,
    command: AgreementCommand,
    context: WriteContext,
    decider: AgreementDecider = agreementDecider,
  ): Promise<AgreementOutcomeDto> {
    const outcome = await runCommand(this.store, agreementStreamId(agreementId), decider, command, {
      meta: context.meta,
      idempotencyKey: context.idempotency.key,
      scope: context.idempotency.scope,
    });
    // A retry answers as the first request did: the state its events left, not whatever came after.
    const state = outcome.replayed ? await this.agreementAt(agreementId, outcome.revision) : outcome.state;
    await this.readYourWrites.settle(outcome.position);
    if (state.status === 'none') throw new Error('an agreement command appended no agreement');
    return outcomeOf(agreementId, state, command.metadata.now);
  }

  async agreement(id: string): Promise<AgreementState> {
    return fold(agreementDecider, await this.store.readStream(agreementStreamId(id)));
  }

  /** The existing agreements among `ids` (terminated ones included; the caller judges). */
  async agreements(ids: readonly string[]): Promise<{ id: string; state: ExistingAgreement }[]> {
    const states = await Promise.all(ids.map(async (id) => ({ id, state: await this.agreement(id) })));
    return states.filter((s): s is { id: string; state: ExistingAgreement } => s.state.status !== 'none');
  }

  /** The ids among `orgIds` with no OrganisationRegistered in their stream. */
  async unregisteredOrganisations(orgIds: readonly string[]): Promise<string[]> {
    const unique = [...new Set(orgIds)];
    const registered = await Promise.all(
      unique.map(async (id) => {
        const history = await this.store.readStream(organisationStreamId(id));
        return fold(organisationDecider, history).status === 'registered';
      }),
    );
    return unique.filter((_, i) => !registered[i]);
  }

  /** The registered organisations among `orgIds` whose jurisdiction is not a UK nation (clause 6.0). */
  async partiesOutsideUk(orgIds: readonly string[]): Promise<string[]> {
    const unique = [...new Set(orgIds)];
    const abroad = await Promise.all(
      unique.map(async (id) => {
        const state = fold(organisationDecider, await this.store.readStream(organisationStreamId(id)));
        return state.status === 'registered' && !isUk(state.jurisdiction);
      }),
    );
    return unique.filter((_, i) => abroad[i]);
  }

  private async agreementAt(id: string, revision: number): Promise<AgreementState> {
    const history = await this.store.readStream(agreementStreamId(id));
    return fold(
      agreementDecider,
      history.filter((e) => e.revision <= revision),
    );
  }
}
