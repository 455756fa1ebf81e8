import { Body, Controller, Delete, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { AdmitsEnrolmentToken, Caller, CurrentUser, eventMetaFor } from '../auth';
import { IDEMPOTENCY_HEADER_DOC } from '../organisations/organisations.controller';
import { ApiProblems } from '../shared/api-problem.decorator';
import {
  IssueApiTokenCommand,
  ReinstateUserCommand,
  RevokeApiTokenCommand,
  RecordTrainingCommand,
  SuspendUserCommand,
} from './user.commands';
import {
  IssuedTokenDto,
  RecordTrainingDto,
  TrainingRecordedDto,
  UserReasonDto,
  RevokedTokenDto,
  UserDto,
} from './users.dto';

/** Tokens and suspension. Who may act is decided per target user (user-management.policy.ts). */
@ApiTags('users')
@Controller('users/:id')
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  @Post('tokens')
  @AdmitsEnrolmentToken()
  @ApiOperation({
    operationId: 'issueApiToken',
    summary: 'Issue another API token (the user; an IG lead of their organisation; the admin for platform users).',
    description:
      "With an enrolment token, exchanges it for the holder's own and revokes it (docs/architecture.md §19.4).",
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: IssuedTokenDto })
  @ApiProblems(403, 404)
  issueToken(
    @Param('id') id: string,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<IssuedTokenDto> {
    return this.commands.execute(
      new IssueApiTokenCommand(caller, id, eventMetaFor(caller, req, this.clock), idem),
    );
  }

  @Delete('tokens/:tokenId')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'revokeApiToken',
    summary: 'Revoke an API token (the user; admin; IG lead of their organisation).',
  })
  @ApiOkResponse({ type: RevokedTokenDto })
  @ApiProblems(403, 404, 409)
  revokeToken(
    @Param('id') id: string,
    @Param('tokenId') tokenId: string,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<RevokedTokenDto> {
    const meta = eventMetaFor(caller, req, this.clock);
    return this.commands.execute(new RevokeApiTokenCommand(caller, id, tokenId, meta, idem));
  }

  @Post('training')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'recordTraining',
    summary: "Record a user's data-protection training (the user; IG lead of their organisation)",
    description:
      'An agreement may require training within N months for sharing and opening (requireTrainingWithinMonths; ' +
      'AccessDenied training.required otherwise).',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: TrainingRecordedDto })
  @ApiProblems(400, 403, 404, 422)
  recordTraining(
    @Param('id') id: string,
    @Body() body: RecordTrainingDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<TrainingRecordedDto> {
    return this.commands.execute(
      new RecordTrainingCommand(caller, id, body, eventMetaFor(caller, req, this.clock), idem),
    );
  }

  @Post('suspension')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'suspendUser',
    summary: 'Suspend a user and revoke every token (admin; IG lead of their organisation; not oneself).',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 403, 404, 409, 422)
  suspend(
    @Param('id') id: string,
    @Body() body: UserReasonDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<UserDto> {
    const meta = eventMetaFor(caller, req, this.clock);
    return this.commands.execute(new SuspendUserCommand(caller, id, body.reason, meta, idem));
  }

  @Delete('suspension')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'reinstateUser',
    summary: 'Reinstate a suspended user; issue them a new token afterwards.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 403, 404, 409, 422)
  reinstate(
    @Param('id') id: string,
    @Body() body: UserReasonDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<UserDto> {
    const meta = eventMetaFor(caller, req, this.clock);
    return this.commands.execute(new ReinstateUserCommand(caller, id, body.reason, meta, idem));
  }
}
