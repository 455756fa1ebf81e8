import { Module } from '@nestjs/common';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import { ApiTokenIssuer } from './api-token.issuer';
import { EmailClaims } from './email-claims';
import { TokenIssuePolicy } from './token-issue.policy';
import { AcceptAccessAgreementHandler, EnrolUserHandler } from './enrol-user.command';
import { MeController } from './me.controller';
import { OrganisationUsersController } from './organisation-users.controller';
import {
  IssueApiTokenHandler,
  ReinstateUserHandler,
  RevokeApiTokenHandler,
  SuspendUserHandler,
  RecordTrainingHandler,
} from './user.commands';
import { ListUsersHandler, MeHandler } from './user.queries';
import { UsersController } from './users.controller';

/** Users, their API tokens, suspension and the access agreement. */
@Module({
  controllers: [OrganisationUsersController, UsersController, MeController],
  providers: [
    SettledCommandRunner,
    ApiTokenIssuer,
    EmailClaims,
    TokenIssuePolicy,
    EnrolUserHandler,
    AcceptAccessAgreementHandler,
    IssueApiTokenHandler,
    RevokeApiTokenHandler,
    SuspendUserHandler,
    ReinstateUserHandler,
    RecordTrainingHandler,
    ListUsersHandler,
    MeHandler,
  ],
})
export class UsersModule {}
