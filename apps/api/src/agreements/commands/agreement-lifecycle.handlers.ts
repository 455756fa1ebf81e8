import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  AgreementCommand,
  agreementDecider,
  AgreementState,
  currentTerms,
  parseDateOnly,
  parseInstant,
} from '@accord/domain';
import { nextReviewInvalid, partyNotRegistered } from '../agreement-refusals';
import type { AgreementOutcomeDto } from '../agreement-responses.dto';
import { AgreementDecider, AgreementWriter } from '../agreement-writer';
import {
  ReinstateAgreementCommand,
  ReviewAgreementCommand,
  SignAgreementCommand,
  SuspendAgreementCommand,
  JoinAgreementCommand,
  TerminateAgreementCommand,
  WithdrawFromAgreementCommand,
} from './agreement.commands';

/** POST /agreements/:id/signatures: the caller's organisation signs the latest version. */
@CommandHandler(SignAgreementCommand)
export class SignAgreementHandler implements ICommandHandler<SignAgreementCommand> {
  constructor(private readonly writer: AgreementWriter) {}

  async execute(command: SignAgreementCommand): Promise<AgreementOutcomeDto> {
    const { signatory, position, version, signedOn } = command.body;
    // Clause 6.0 is checked again at the signature that would activate (docs/architecture.md §8.3).
    const state = await this.writer.agreement(command.agreementId);
    const parties = state.status === 'none' ? [] : currentTerms(state).parties;
    const partiesOutsideUk = await this.writer.partiesOutsideUk(parties);
    return this.writer.execute(
      command.agreementId,
      {
        type: 'SignAgreement',
        data: {
          orgId: command.orgId,
          signatory,
          position,
          ...(version !== undefined ? { version } : {}),
          partiesOutsideUk,
          ...(signedOn !== undefined ? { signedOn } : {}),
        },
        metadata: { now: command.now },
      },
      command.context,
    );
  }
}

/** POST /agreements/:id/reviews. */
@CommandHandler(ReviewAgreementCommand)
export class ReviewAgreementHandler implements ICommandHandler<ReviewAgreementCommand> {
  constructor(private readonly writer: AgreementWriter) {}

  execute(command: ReviewAgreementCommand): Promise<AgreementOutcomeDto> {
    const review: AgreementCommand = {
      type: 'RecordAgreementReview',
      data: { orgId: command.orgId },
      metadata: { now: command.now },
    };
    const asked = command.body.nextReviewDue;
    return this.writer.execute(
      command.agreementId,
      review,
      command.context,
      asked === undefined ? agreementDecider : reviewingBy(asked),
    );
  }
}

/**
 * A partnership may agree to look again sooner than its interval (after an incident, a change in the law),
 * never later: the interval is part of the signed terms, so a later date would need an amendment.
 * The domain computes the date from the interval; this narrows it.
 */
export function reviewingBy(asked: string): AgreementDecider {
  return {
    ...agreementDecider,
    decide(command: AgreementCommand, state: AgreementState) {
      const events = agreementDecider.decide(command, state);
      return events.map((event) => {
        if (event.type !== 'AgreementReviewed') return event;
        const due = parseDateOnly(asked) ?? parseInstant(asked);
        if (!due) throw nextReviewInvalid('an ISO-8601 date or instant is required');
        if (due.getTime() <= command.metadata.now.getTime())
          throw nextReviewInvalid('the next review must be in the future');
        if (due.getTime() > Date.parse(event.data.nextReviewDue)) {
          throw nextReviewInvalid(
            `the next review cannot be later than the agreement's interval allows (${event.data.nextReviewDue.slice(0, 10)})`,
          );
        }
        return { ...event, data: { ...event.data, nextReviewDue: due.toISOString() } };
      });
    },
  };
}

/** POST /agreements/:id/suspension: no share under it until reinstated. */
@CommandHandler(SuspendAgreementCommand)
export class SuspendAgreementHandler implements ICommandHandler<SuspendAgreementCommand> {
  constructor(private readonly writer: AgreementWriter) {}

  execute(command: SuspendAgreementCommand): Promise<AgreementOutcomeDto> {
    return this.writer.execute(
      command.agreementId,
      {
        type: 'SuspendAgreement',
        data: { orgId: command.orgId, reason: command.body.reason },
        metadata: { now: command.now },
      },
      command.context,
    );
  }
}

/** DELETE /agreements/:id/suspension. */
@CommandHandler(ReinstateAgreementCommand)
export class ReinstateAgreementHandler implements ICommandHandler<ReinstateAgreementCommand> {
  constructor(private readonly writer: AgreementWriter) {}

  execute(command: ReinstateAgreementCommand): Promise<AgreementOutcomeDto> {
    return this.writer.execute(
      command.agreementId,
      {
        type: 'ReinstateAgreement',
        data: { orgId: command.orgId, reason: command.body.reason },
        metadata: { now: command.now },
      },
      command.context,
    );
  }
}

/** POST /agreements/:id/termination: notice served by the caller's organisation. */
@CommandHandler(TerminateAgreementCommand)
export class TerminateAgreementHandler implements ICommandHandler<TerminateAgreementCommand> {
  constructor(private readonly writer: AgreementWriter) {}

  execute(command: TerminateAgreementCommand): Promise<AgreementOutcomeDto> {
    return this.writer.execute(
      command.agreementId,
      {
        type: 'TerminateAgreement',
        data: { orgId: command.orgId, effectiveAt: command.body.effectiveAt },
        metadata: { now: command.now },
      },
      command.context,
    );
  }
}

/** POST /agreements/:id/withdrawal: the caller's organisation leaves from a date (docs/architecture.md §28). */
@CommandHandler(WithdrawFromAgreementCommand)
export class WithdrawFromAgreementHandler implements ICommandHandler<WithdrawFromAgreementCommand> {
  constructor(private readonly writer: AgreementWriter) {}

  execute(command: WithdrawFromAgreementCommand): Promise<AgreementOutcomeDto> {
    return this.writer.execute(
      command.agreementId,
      {
        type: 'WithdrawFromAgreement',
        data: { orgId: command.orgId, effectiveAt: command.body.effectiveAt },
        metadata: { now: command.now },
      },
      command.context,
    );
  }
}

/**
 * POST /agreements/:id/joining: version n+1 adds the organisation; the existing parties sign it (approval)
 * and so does the joiner. The lead's IG lead invites, or the joiner's asks (docs/architecture.md §28).
 */
@CommandHandler(JoinAgreementCommand)
export class JoinAgreementHandler implements ICommandHandler<JoinAgreementCommand> {
  constructor(private readonly writer: AgreementWriter) {}

  async execute(command: JoinAgreementCommand): Promise<AgreementOutcomeDto> {
    const joiner = command.body.orgId;
    const state = await this.writer.agreement(command.agreementId);
    const terms = state.status === 'none' ? undefined : currentTerms(state);
    // Only an organisation that may act on it learns whether the joiner is registered.
    if (terms && (command.orgId === terms.leadOrg || command.orgId === joiner)) {
      const missing = await this.writer.unregisteredOrganisations([joiner]);
      if (missing.length > 0) throw partyNotRegistered(missing);
    }
    const parent =
      terms?.tier === 2 && terms.parentId ? await this.writer.agreement(terms.parentId) : undefined;
    const partiesOutsideUk = await this.writer.partiesOutsideUk([joiner]);
    return this.writer.execute(
      command.agreementId,
      {
        type: 'JoinAgreement',
        data: { orgId: command.orgId, joiner, partiesOutsideUk, ...(parent ? { parent } : {}) },
        metadata: { now: command.now },
      },
      command.context,
    );
  }
}
