import type { Type } from '@nestjs/common';
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
  type ExistingAgreementRequest,
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
      command.asks('SignAgreement', {
        signatory,
        position,
        ...(version !== undefined ? { version } : {}),
        partiesOutsideUk,
        ...(signedOn !== undefined ? { signedOn } : {}),
      }),
      command.context,
    );
  }
}

/** POST /agreements/:id/reviews. */
@CommandHandler(ReviewAgreementCommand)
export class ReviewAgreementHandler implements ICommandHandler<ReviewAgreementCommand> {
  constructor(private readonly writer: AgreementWriter) {}

  execute(command: ReviewAgreementCommand): Promise<AgreementOutcomeDto> {
    const asked = command.body.nextReviewDue;
    return this.writer.execute(
      command.agreementId,
      command.asks('RecordAgreementReview', {}),
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

/**
 * A handler for a request that is one decider command built from its body alone, with nothing to read first:
 * the writer's decider judges it.
 */
function oneCommandHandler<R extends ExistingAgreementRequest<unknown>>(
  request: Type<R>,
  command: (request: R) => AgreementCommand,
): Type<ICommandHandler<ExistingAgreementRequest<unknown>>> {
  // ICommandHandler<R> is conditional on R, so a class generic in R cannot `implements` it; the return type checks it.
  @CommandHandler(request)
  class Handler {
    constructor(private readonly writer: AgreementWriter) {}

    execute(r: R): Promise<AgreementOutcomeDto> {
      return this.writer.execute(r.agreementId, command(r), r.context);
    }
  }
  return Handler;
}

/** POST /agreements/:id/suspension: no share under it until reinstated. */
export const SuspendAgreementHandler = oneCommandHandler(SuspendAgreementCommand, (c) =>
  c.asks('SuspendAgreement', { reason: c.body.reason }),
);

/** DELETE /agreements/:id/suspension. */
export const ReinstateAgreementHandler = oneCommandHandler(ReinstateAgreementCommand, (c) =>
  c.asks('ReinstateAgreement', { reason: c.body.reason }),
);

/** POST /agreements/:id/termination: notice served by the caller's organisation. */
export const TerminateAgreementHandler = oneCommandHandler(TerminateAgreementCommand, (c) =>
  c.asks('TerminateAgreement', { effectiveAt: c.body.effectiveAt }),
);

/** POST /agreements/:id/withdrawal: the caller's organisation leaves from a date (docs/architecture.md §28). */
export const WithdrawFromAgreementHandler = oneCommandHandler(WithdrawFromAgreementCommand, (c) =>
  c.asks('WithdrawFromAgreement', { effectiveAt: c.body.effectiveAt }),
);

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
      command.asks('JoinAgreement', { joiner, partiesOutsideUk, ...(parent ? { parent } : {}) }),
      command.context,
    );
  }
}
