import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey, READ_DB } from '@accord/platform';
import type { ReadDb } from '@accord/projections';
import { type Caller, CurrentUser, eventMetaFor, RequiresAccessAgreement, Roles } from '../auth';
import { DocumentIdPipe } from '../documents/documents.controller';
import { ApiProblems } from '../shared/api-problem.decorator';
import { LegalHolds } from './legal-hold.service';
import {
  LegalHoldOutcomeDto,
  LegalHoldRequestDto,
  RetentionScheduleDto,
  RetentionScheduleQueryDto,
} from './retention.dto';
import { retentionSchedule } from './retention.queries';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key records once',
};

/** Legal holds (docs/architecture.md §11): IG leads of the sender or a recipient organisation. */
@ApiTags('retention')
@Controller('documents/:id/legal-hold')
@Roles('ig-lead')
@RequiresAccessAgreement()
export class LegalHoldController {
  constructor(
    private readonly holds: LegalHolds,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'placeLegalHold',
    summary: 'Place a legal hold: the document is not destroyed while it holds',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: LegalHoldOutcomeDto })
  @ApiProblems(400, 403, 404, 409, 422)
  place(
    @Req() req: Request,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idempotency: Idempotency,
    @Param('id', DocumentIdPipe) id: string,
    @Body() body: LegalHoldRequestDto,
  ): Promise<LegalHoldOutcomeDto> {
    const meta = eventMetaFor(caller, req, this.clock);
    return this.holds.change('place', id, body.reason, caller, meta, idempotency);
  }

  @Delete()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'releaseLegalHold',
    summary: 'Release a legal hold; a document already past retainUntil is queued for destruction at once',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ type: LegalHoldOutcomeDto })
  @ApiProblems(400, 403, 404, 409, 422)
  release(
    @Req() req: Request,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idempotency: Idempotency,
    @Param('id', DocumentIdPipe) id: string,
    @Body() body: LegalHoldRequestDto,
  ): Promise<LegalHoldOutcomeDto> {
    const meta = eventMetaFor(caller, req, this.clock);
    return this.holds.change('release', id, body.reason, caller, meta, idempotency);
  }
}

@ApiTags('retention')
@Controller('retention')
@Roles('ig-lead')
@RequiresAccessAgreement()
export class RetentionController {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  @Get('schedule')
  @ApiOperation({
    operationId: 'getRetentionSchedule',
    summary: "Documents the caller's organisation sent or received, soonest retainUntil first",
    description: 'With each one’s legal hold and destruction state.',
  })
  @ApiOkResponse({ type: RetentionScheduleDto })
  @ApiProblems(400, 403)
  schedule(@CurrentUser() caller: Caller, @Query() query: RetentionScheduleQueryDto): RetentionScheduleDto {
    if (caller.orgId === null) return { items: [] };
    const dueBefore = query.dueBefore !== undefined ? new Date(query.dueBefore).toISOString() : undefined;
    return { items: retentionSchedule(this.db, caller.orgId, dueBefore) };
  }
}
