import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { Caller, CurrentUser, eventMetaFor, AdmitsEnrolmentToken } from '../auth';
import { IDEMPOTENCY_HEADER_DOC } from '../organisations/organisations.controller';
import { ApiProblems } from '../shared/api-problem.decorator';
import { AcceptAccessAgreementCommand } from './enrol-user.command';
import { MeQuery } from './user.queries';
import { AcceptAccessAgreementDto, AcceptedAccessAgreementDto, MeDto } from './users.dto';

@ApiTags('users')
@Controller('me')
export class MeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @AdmitsEnrolmentToken()
  @ApiOperation({
    operationId: 'getMe',
    summary: 'The caller: user, organisation, role, and the access agreement to accept.',
  })
  @ApiOkResponse({ type: MeDto })
  @ApiProblems()
  me(@CurrentUser() caller: Caller): Promise<MeDto> {
    return this.queries.execute(new MeQuery(caller));
  }

  @Post('access-agreement')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'acceptAccessAgreement',
    summary: 'Accept the current access agreement (needed before any document or audit call).',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiOkResponse({ type: AcceptedAccessAgreementDto })
  @ApiProblems(400, 422)
  accept(
    @Body() body: AcceptAccessAgreementDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<AcceptedAccessAgreementDto> {
    const meta = eventMetaFor(caller, req, this.clock);
    return this.commands.execute(new AcceptAccessAgreementCommand(caller, body.version, meta, idem));
  }
}
