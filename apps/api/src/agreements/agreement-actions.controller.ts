import { Body, Controller, Delete, HttpCode, Param, Post, Req, UseFilters } from '@nestjs/common';
import { RefusalRecordingFilter } from '../shared/refusal-recording.filter';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { type Caller, CurrentUser, Roles } from '../auth';
import { AgreementIdPipe, AgreementWrite, writeContext } from './agreement-http';
import {
  AmendAgreementDto,
  ReasonDto,
  ReviewAgreementDto,
  SignAgreementDto,
  JoinAgreementDto,
  TerminateAgreementDto,
} from './agreement-requests.dto';
import { AgreementOutcomeDto } from './agreement-responses.dto';
import {
  AmendAgreementCommand,
  ReinstateAgreementCommand,
  ReviewAgreementCommand,
  SignAgreementCommand,
  SuspendAgreementCommand,
  JoinAgreementCommand,
  TerminateAgreementCommand,
  WithdrawFromAgreementCommand,
} from './commands/agreement.commands';

/** What IG leads of the parties do to an agreement; each acts for the caller's own organisation. */
@ApiTags('agreements')
@Controller('agreements/:id')
@UseFilters(RefusalRecordingFilter)
@Roles('ig-lead')
export class AgreementActionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  @Post('signatures')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'signAgreement',
    summary: "Sign the latest version for the caller's organisation; the last signature activates it",
  })
  @ApiCreatedResponse({ type: AgreementOutcomeDto })
  @AgreementWrite(
    [409, 'agreement.already-signed, agreement.version-changed, agreement.suspended, agreement.terminated'],
    [422, 'agreement.signatory-required'],
  )
  sign(
    @Param('id', AgreementIdPipe) id: string,
    @Body() body: SignAgreementDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<AgreementOutcomeDto> {
    return this.commands.execute(
      new SignAgreementCommand(id, body, caller, writeContext(caller, req, this.clock, idem)),
    );
  }

  @Post('amendments')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'amendAgreement',
    summary: 'Propose a new version; the version in force governs until every party signs it',
  })
  @ApiCreatedResponse({ type: AgreementOutcomeDto })
  @AgreementWrite(
    [409, 'agreement.amendment-excludes-child, agreement.termination-notice-served, agreement.terminated'],
    [
      422,
      'agreement.field-not-amendable, agreement.reason-for-change-required, agreement.party-not-registered, ...',
    ],
  )
  amend(
    @Param('id', AgreementIdPipe) id: string,
    @Body() body: AmendAgreementDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<AgreementOutcomeDto> {
    return this.commands.execute(
      new AmendAgreementCommand(id, body, caller, writeContext(caller, req, this.clock, idem)),
    );
  }

  @Post('reviews')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'reviewAgreement',
    summary: 'Record a review; the next falls due after the interval (or sooner, if asked)',
  })
  @ApiCreatedResponse({ type: AgreementOutcomeDto })
  @AgreementWrite([409, 'agreement.not-active, agreement.terminated'], [422, 'agreement.next-review-invalid'])
  review(
    @Param('id', AgreementIdPipe) id: string,
    @Body() body: ReviewAgreementDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<AgreementOutcomeDto> {
    return this.commands.execute(
      new ReviewAgreementCommand(id, body, caller, writeContext(caller, req, this.clock, idem)),
    );
  }

  @Post('suspension')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'suspendAgreement',
    summary: 'Suspend: no document may be shared under the agreement until it is reinstated',
  })
  @ApiCreatedResponse({ type: AgreementOutcomeDto })
  @AgreementWrite(
    [409, 'agreement.suspended, agreement.not-active, agreement.terminated'],
    [422, 'agreement.reason-required'],
  )
  suspend(
    @Param('id', AgreementIdPipe) id: string,
    @Body() body: ReasonDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<AgreementOutcomeDto> {
    return this.commands.execute(
      new SuspendAgreementCommand(id, body, caller, writeContext(caller, req, this.clock, idem)),
    );
  }

  @Delete('suspension')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'reinstateAgreement',
    summary: 'Reinstate a suspended agreement (body: the reason)',
  })
  @ApiOkResponse({ type: AgreementOutcomeDto })
  @AgreementWrite([409, 'agreement.not-suspended, agreement.terminated'], [422, 'agreement.reason-required'])
  reinstate(
    @Param('id', AgreementIdPipe) id: string,
    @Body() body: ReasonDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<AgreementOutcomeDto> {
    return this.commands.execute(
      new ReinstateAgreementCommand(id, body, caller, writeContext(caller, req, this.clock, idem)),
    );
  }

  @Post('termination')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'terminateAgreement',
    summary: 'Serve notice of termination of the whole agreement (the lead), effective on a date',
    description:
      "Termination is the lead's act. Another party's notice is its withdrawal (PartyWithdrawn): the others " +
      'carry on while at least two remain, else the agreement ends (docs/architecture.md §28).',
  })
  @ApiCreatedResponse({ type: AgreementOutcomeDto })
  @AgreementWrite(
    [409, 'agreement.termination-notice-served, agreement.terminated'],
    [422, 'agreement.effective-date-invalid'],
  )
  terminate(
    @Param('id', AgreementIdPipe) id: string,
    @Body() body: TerminateAgreementDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<AgreementOutcomeDto> {
    return this.commands.execute(
      new TerminateAgreementCommand(id, body, caller, writeContext(caller, req, this.clock, idem)),
    );
  }

  @Post('withdrawal')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'withdrawFromAgreement',
    summary: "The caller's organisation withdraws from a date; the others carry on while two remain",
  })
  @ApiCreatedResponse({ type: AgreementOutcomeDto })
  @AgreementWrite(
    [409, 'agreement.lead-cannot-withdraw, agreement.already-withdrawn, agreement.terminated'],
    [422, 'agreement.effective-date-invalid'],
  )
  withdraw(
    @Param('id', AgreementIdPipe) id: string,
    @Body() body: TerminateAgreementDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<AgreementOutcomeDto> {
    return this.commands.execute(
      new WithdrawFromAgreementCommand(id, body, caller, writeContext(caller, req, this.clock, idem)),
    );
  }

  @Post('joining')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'joinAgreement',
    summary: 'A joining version n+1 adding an organisation; the existing parties and the joiner sign it',
  })
  @ApiCreatedResponse({ type: AgreementOutcomeDto })
  @AgreementWrite(
    [409, 'agreement.already-a-party, agreement.termination-notice-served, agreement.terminated'],
    [422, 'agreement.party-not-registered, agreement.party-outside-uk-clause-6-0'],
  )
  join(
    @Param('id', AgreementIdPipe) id: string,
    @Body() body: JoinAgreementDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<AgreementOutcomeDto> {
    return this.commands.execute(
      new JoinAgreementCommand(id, body, caller, writeContext(caller, req, this.clock, idem)),
    );
  }
}
