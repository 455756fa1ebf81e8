import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseFilters } from '@nestjs/common';
import { RefusalRecordingFilter } from '../shared/refusal-recording.filter';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { type Caller, CurrentUser, Roles } from '../auth';
import { ApiProblems } from '../shared/api-problem.decorator';
import { AgreementIdPipe, AgreementWrite, writeContext } from './agreement-http';
import { DraftAgreementDto, ImportAgreementDto, ListAgreementsQueryDto } from './agreement-requests.dto';
import { AgreementDetailDto, AgreementListDto, AgreementOutcomeDto } from './agreement-responses.dto';
import { DraftAgreementCommand, ImportAgreementCommand } from './commands/agreement.commands';
import { GetAgreementQuery, ListAgreementsQuery } from './queries/agreement.queries';

@ApiTags('agreements')
@Controller('agreements')
@UseFilters(RefusalRecordingFilter)
export class AgreementsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('ig-lead')
  @ApiOperation({
    operationId: 'draftAgreement',
    summary:
      "Draft an agreement led by the caller's organisation (IG lead); every party then signs version 1",
  })
  @ApiCreatedResponse({ type: AgreementOutcomeDto })
  @AgreementWrite(
    [
      422,
      'agreement.party-not-registered, agreement.art9-basis-required, agreement.criminal-offence-condition-required, ' +
        'agreement.outside-parent-scope, agreement.parent-not-found and the other agreement.* validation codes',
    ],
    [409, 'agreement.already-drafted'],
  )
  draft(
    @Body() body: DraftAgreementDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idempotency: Idempotency,
    @Req() req: Request,
  ): Promise<AgreementOutcomeDto> {
    return this.commands.execute(
      new DraftAgreementCommand(body, caller, writeContext(caller, req, this.clock, idempotency)),
    );
  }

  @Post('import')
  @HttpCode(201)
  @Roles('ig-lead')
  @ApiOperation({
    operationId: 'importAgreement',
    summary:
      'Import an existing agreement with its versions, signatories and dates (IG lead of the lead organisation)',
    description:
      'Recorded as AgreementImported with its source and importer. A version every party signed is in force ' +
      'from its last signature; the latest such governs (docs/architecture.md §28).',
  })
  @ApiCreatedResponse({ type: AgreementOutcomeDto })
  @AgreementWrite(
    [422, 'agreement.import-invalid, agreement.signed-on-invalid and the draft validation codes'],
    [409, 'agreement.already-signed'],
  )
  import(
    @Body() body: ImportAgreementDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idempotency: Idempotency,
    @Req() req: Request,
  ): Promise<AgreementOutcomeDto> {
    return this.commands.execute(
      new ImportAgreementCommand(body, caller, writeContext(caller, req, this.clock, idempotency)),
    );
  }

  @Get()
  @Roles('ig-lead', 'practitioner', 'auditor')
  @ApiOperation({
    operationId: 'listAgreements',
    summary: "Agreements the caller's organisation is a party to (auditors: all)",
    description: 'With their status and review flag at this moment.',
  })
  @ApiOkResponse({ type: AgreementListDto })
  @ApiProblems(400, 403)
  list(@CurrentUser() caller: Caller, @Query() filter: ListAgreementsQueryDto): Promise<AgreementListDto> {
    return this.queries.execute(new ListAgreementsQuery(caller, filter));
  }

  @Get(':id')
  @Roles('ig-lead', 'practitioner', 'auditor')
  @ApiOperation({
    operationId: 'getAgreement',
    summary:
      'Terms in force, status, review flag and every version with its signatures (404 for non-parties)',
  })
  @ApiOkResponse({ type: AgreementDetailDto })
  @ApiProblems(403, 404)
  get(@CurrentUser() caller: Caller, @Param('id', AgreementIdPipe) id: string): Promise<AgreementDetailDto> {
    return this.queries.execute(new GetAgreementQuery(caller, id));
  }
}
