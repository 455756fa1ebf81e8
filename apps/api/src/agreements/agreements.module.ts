import { Module } from '@nestjs/common';
import { AgreementActionsController } from './agreement-actions.controller';
import { AgreementWriter } from './agreement-writer';
import { AgreementsController } from './agreements.controller';
import { AmendAgreementHandler } from './commands/amend-agreement.handler';
import {
  ReinstateAgreementHandler,
  ReviewAgreementHandler,
  SignAgreementHandler,
  SuspendAgreementHandler,
  TerminateAgreementHandler,
  WithdrawFromAgreementHandler,
  JoinAgreementHandler,
} from './commands/agreement-lifecycle.handlers';
import { DraftAgreementHandler, ImportAgreementHandler } from './commands/draft-agreement.handler';
import { GetAgreementHandler, ListAgreementsHandler } from './queries/agreement.queries';
import { SettledCommandRunner } from '../shared/settled-command.runner';

/** Information Sharing Agreements: drafting, signing, amending, reviewing, suspending, terminating, reading. */
@Module({
  controllers: [AgreementsController, AgreementActionsController],
  providers: [
    AgreementWriter,
    // Records refused actions (RefusalRecordingFilter on both controllers).
    SettledCommandRunner,
    DraftAgreementHandler,
    ImportAgreementHandler,
    SignAgreementHandler,
    AmendAgreementHandler,
    ReviewAgreementHandler,
    SuspendAgreementHandler,
    ReinstateAgreementHandler,
    TerminateAgreementHandler,
    WithdrawFromAgreementHandler,
    JoinAgreementHandler,
    ListAgreementsHandler,
    GetAgreementHandler,
  ],
})
export class AgreementsModule {}
