import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { fail, UserCommand, userDecider, userStreamId } from '@accord/domain';
import type { EventMetaInput } from '@accord/event-store';
import type { Idempotency } from '@accord/platform';
import { DirectoryReadModel } from '@accord/projections';
import { AuthError, Caller } from '../auth';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import { ApiTokenIssuer } from './api-token.issuer';
import { TokenIssuePolicy } from './token-issue.policy';
import { authoriseUserManagement } from './user-management.policy';
import { userView } from './user.views';
import type { IssuedTokenDto, RevokedTokenDto, TrainingRecordedDto, UserDto } from './users.dto';
import { forbiddenRole } from '../auth';

type Idem = Pick<Idempotency, 'key' | 'scope'>;

abstract class UserRequest<R> extends Command<R> {
  constructor(
    readonly caller: Caller,
    readonly userId: string,
    readonly meta: EventMetaInput,
    readonly idempotency: Idem,
  ) {
    super();
  }
}

export class IssueApiTokenCommand extends UserRequest<IssuedTokenDto> {}

export class RevokeApiTokenCommand extends UserRequest<RevokedTokenDto> {
  constructor(
    caller: Caller,
    userId: string,
    readonly tokenId: string,
    meta: EventMetaInput,
    idem: Idem,
  ) {
    super(caller, userId, meta, idem);
  }
}

abstract class ReasonedUserRequest extends UserRequest<UserDto> {
  constructor(
    caller: Caller,
    userId: string,
    readonly reason: string,
    meta: EventMetaInput,
    idem: Idem,
  ) {
    super(caller, userId, meta, idem);
  }
}

export class SuspendUserCommand extends ReasonedUserRequest {}

export class RecordTrainingCommand extends UserRequest<TrainingRecordedDto> {
  constructor(
    caller: Caller,
    userId: string,
    readonly body: { course: string; completedOn: string },
    meta: EventMetaInput,
    idem: Idem,
  ) {
    super(caller, userId, meta, idem);
  }
}

export class ReinstateUserCommand extends ReasonedUserRequest {}

/** The shared tail of every user command: load, decide, append, settle. */
abstract class UserCommandHandler {
  constructor(
    protected readonly runner: SettledCommandRunner,
    protected readonly directory: DirectoryReadModel,
  ) {}

  protected run(request: UserRequest<unknown>, command: Omit<UserCommand, 'metadata'>): Promise<unknown> {
    const full = { ...command, metadata: { now: new Date(request.meta.occurredAt) } } as UserCommand;
    return this.runner.run(
      userStreamId(request.userId),
      userDecider,
      full,
      request.meta,
      request.idempotency,
    );
  }

  protected view(userId: string): UserDto {
    const user = this.directory.user(userId);
    if (!user) throw fail('user.not-found');
    return userView(user);
  }
}

@CommandHandler(IssueApiTokenCommand)
export class IssueApiTokenHandler
  extends UserCommandHandler
  implements ICommandHandler<IssueApiTokenCommand>
{
  constructor(
    runner: SettledCommandRunner,
    directory: DirectoryReadModel,
    private readonly tokens: ApiTokenIssuer,
    private readonly policy: TokenIssuePolicy,
  ) {
    super(runner, directory);
  }

  async execute(request: IssueApiTokenCommand): Promise<IssuedTokenDto> {
    const { caller } = request;
    const target = authoriseUserManagement(this.directory, caller, request.userId, { self: 'allowed' });
    await this.policy.assertMayIssue(caller, target, request.meta);
    // An enrolment token only exchanges itself for the holder's own token (token-issue.policy.ts).
    if (caller.enrolmentTokenId !== undefined && caller.userId !== request.userId)
      throw new AuthError('auth.enrolment-token');
    const { tokenId, token, tokenHash } = this.tokens.token(request.idempotency);
    await this.run(request, { type: 'IssueApiToken', data: { tokenId, tokenHash } });
    if (caller.enrolmentTokenId !== undefined) {
      // Once exchanged it is dead: whoever else saw it (the admin who enrolled the user) holds nothing.
      await this.run(
        new IssueApiTokenCommand(caller, request.userId, request.meta, {
          key: request.idempotency.key,
          scope: `${request.idempotency.scope}|enrolment-token`,
        }),
        { type: 'RevokeApiToken', data: { tokenId: caller.enrolmentTokenId } },
      );
    }
    return { userId: request.userId, tokenId, token };
  }
}

@CommandHandler(RevokeApiTokenCommand)
export class RevokeApiTokenHandler
  extends UserCommandHandler
  implements ICommandHandler<RevokeApiTokenCommand>
{
  constructor(runner: SettledCommandRunner, directory: DirectoryReadModel) {
    super(runner, directory);
  }

  async execute(request: RevokeApiTokenCommand): Promise<RevokedTokenDto> {
    authoriseUserManagement(this.directory, request.caller, request.userId, { self: 'allowed' });
    await this.run(request, { type: 'RevokeApiToken', data: { tokenId: request.tokenId } });
    return { userId: request.userId, tokenId: request.tokenId, revoked: true };
  }
}

@CommandHandler(SuspendUserCommand)
export class SuspendUserHandler extends UserCommandHandler implements ICommandHandler<SuspendUserCommand> {
  constructor(runner: SettledCommandRunner, directory: DirectoryReadModel) {
    super(runner, directory);
  }

  async execute(request: SuspendUserCommand): Promise<UserDto> {
    // Not oneself: the last admin could lock the platform out.
    authoriseUserManagement(this.directory, request.caller, request.userId, { self: 'forbidden' });
    await this.run(request, { type: 'SuspendUser', data: { reason: request.reason } });
    return this.view(request.userId);
  }
}

@CommandHandler(ReinstateUserCommand)
export class ReinstateUserHandler
  extends UserCommandHandler
  implements ICommandHandler<ReinstateUserCommand>
{
  constructor(runner: SettledCommandRunner, directory: DirectoryReadModel) {
    super(runner, directory);
  }

  async execute(request: ReinstateUserCommand): Promise<UserDto> {
    authoriseUserManagement(this.directory, request.caller, request.userId, { self: 'forbidden' });
    await this.run(request, { type: 'ReinstateUser', data: { reason: request.reason } });
    return this.view(request.userId);
  }
}

/**
 * POST /users/:id/training: the user's data-protection training (ISA clause 7.0), recorded by the user or
 * an IG lead of their organisation (docs/architecture.md §28); the platform admin does not vouch for it.
 */
@CommandHandler(RecordTrainingCommand)
export class RecordTrainingHandler
  extends UserCommandHandler
  implements ICommandHandler<RecordTrainingCommand>
{
  constructor(runner: SettledCommandRunner, directory: DirectoryReadModel) {
    super(runner, directory);
  }

  async execute(request: RecordTrainingCommand): Promise<TrainingRecordedDto> {
    if (request.caller.role === 'admin') throw forbiddenRole(['ig-lead']);
    authoriseUserManagement(this.directory, request.caller, request.userId, { self: 'allowed' });
    await this.run(request, {
      type: 'RecordTraining',
      data: { ...request.body, recordedBy: request.caller.userId },
    });
    return {
      userId: request.userId,
      course: request.body.course,
      completedOn: request.body.completedOn.trim(),
    };
  }
}
