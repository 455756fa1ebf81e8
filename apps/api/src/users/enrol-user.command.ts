import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  ACCESS_AGREEMENT_VERSION,
  EnrolUser,
  fail,
  isDomainError,
  normalisedEmail,
  userDecider,
  userStreamId,
} from '@accord/domain';
import { EVENT_STORE, EventStore, type EventMetaInput } from '@accord/event-store';
import { fold, type Idempotency } from '@accord/platform';
import { DirectoryReadModel, PLATFORM_ORGANISATION_ID } from '@accord/projections';
import { assertOwnOrganisation, Caller, forbiddenRole } from '../auth';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import { ApiTokenIssuer } from './api-token.issuer';
import { EmailClaims } from './email-claims';
import { TokenIssuePolicy } from './token-issue.policy';
import type { AcceptedAccessAgreementDto, EnrolledUserDto, EnrolUserDto } from './users.dto';

type Idem = Pick<Idempotency, 'key' | 'scope'>;

export class EnrolUserCommand extends Command<EnrolledUserDto> {
  constructor(
    readonly caller: Caller,
    readonly orgId: string,
    readonly input: EnrolUserDto,
    readonly meta: EventMetaInput,
    readonly idempotency: Idem,
  ) {
    super();
  }
}

export class AcceptAccessAgreementCommand extends Command<AcceptedAccessAgreementDto> {
  constructor(
    readonly caller: Caller,
    readonly version: number,
    readonly meta: EventMetaInput,
    readonly idempotency: Idem,
  ) {
    super();
  }
}

/**
 * Enrols a user with a first API token in one append. An IG lead enrols non-admins into their own
 * organisation; the admin enrols platform staff, and into a partner organisation only its first IG lead,
 * with an enrolment token (token-issue.policy.ts). Platform admins are enrolled under the reserved organisation
 * `platform` (POST /organisations/platform/users, admins only), never into a partner organisation; so are
 * platform auditors, whose audit scope is every organisation.
 */
@CommandHandler(EnrolUserCommand)
export class EnrolUserHandler implements ICommandHandler<EnrolUserCommand> {
  constructor(
    private readonly runner: SettledCommandRunner,
    private readonly directory: DirectoryReadModel,
    private readonly tokens: ApiTokenIssuer,
    private readonly policy: TokenIssuePolicy,
    private readonly claims: EmailClaims,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ caller, orgId, input, meta, idempotency }: EnrolUserCommand): Promise<EnrolledUserDto> {
    assertOwnOrganisation(caller, orgId, { allowAdmin: true });
    if (input.role === 'admin' && caller.role !== 'admin') throw forbiddenRole(['admin']);
    if (orgId === PLATFORM_ORGANISATION_ID) {
      // The platform's own staff: admins, and auditors who audit every organisation (issue 5).
      if (input.role !== 'admin' && input.role !== 'auditor') {
        throw fail('user.role-invalid', 'the platform has admins and platform auditors only');
      }
    } else {
      if (!this.directory.organisationExists(orgId)) throw fail('organisation.not-found');
      if (input.role === 'admin') {
        throw fail(
          'user.role-invalid',
          'admins belong to the platform: enrol them at /organisations/platform/users',
        );
      }
      await this.policy.assertMayEnrol(caller, orgId, input.role, meta);
    }
    // The admin's enrolment into a partner organisation is its first IG lead (the policy refused any other).
    const firstIgLead = caller.role === 'admin' && orgId !== PLATFORM_ORGANISATION_ID;
    const userId = firstIgLead ? this.policy.firstIgLeadId(orgId) : this.tokens.userId(idempotency);
    // A retry derives the same user id and finds it enrolled: that is the first request, not a duplicate.
    // The read model answers for users enrolled before email claims existed (they hold no claim).
    const email = normalisedEmail(input.email) ?? '';
    const retried = this.directory.user(userId) !== undefined;
    if (!retried && this.directory.userByEmail(email)) {
      throw fail('user.already-enrolled', 'a user with this email address is already enrolled');
    }
    const { tokenId, token, tokenHash } = this.tokens.token(idempotency);
    const command: EnrolUser = {
      type: 'EnrolUser',
      data: { orgId, name: input.name, email: input.email, role: input.role, token: { tokenId, tokenHash } },
      metadata: { now: new Date(meta.occurredAt) },
    };
    const secondIgLead = (error: unknown): Promise<never> => {
      if (firstIgLead && isDomainError(error) && error.code === 'user.already-enrolled')
        return this.policy.refuseSecondIgLead(orgId, input.role, meta);
      throw error;
    };
    const state = fold(userDecider, await this.store.readStream(userStreamId(userId)));
    // The decider's own refusals (a malformed address, a blank name) before the claim, so a refused
    // enrolment leaves no claim behind; a user stream already written is a retry or a raced first IG lead,
    // which the append below tells apart.
    if (state.status === 'none') userDecider.decide(command, state);
    // Claimed before the user is appended: of two enrolments of one address, one is refused here (409).
    await this.claims.claim(email, userId, meta);
    await this.runner.run(userStreamId(userId), userDecider, command, meta, idempotency).catch(secondIgLead);
    return { userId, tokenId, token };
  }
}

@CommandHandler(AcceptAccessAgreementCommand)
export class AcceptAccessAgreementHandler implements ICommandHandler<AcceptAccessAgreementCommand> {
  constructor(private readonly runner: SettledCommandRunner) {}

  async execute({
    caller,
    version,
    meta,
    idempotency,
  }: AcceptAccessAgreementCommand): Promise<AcceptedAccessAgreementDto> {
    await this.runner.run(
      userStreamId(caller.userId),
      userDecider,
      { type: 'AcceptAccessAgreement', data: { version }, metadata: { now: new Date(meta.occurredAt) } },
      meta,
      idempotency,
    );
    return { version: ACCESS_AGREEMENT_VERSION, accepted: true };
  }
}
