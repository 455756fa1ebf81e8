import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { incidentFail } from '@accord/domain';
import { Clock, Idempotency, IdempotencyKey, READ_DB } from '@accord/platform';
import { findIncident, listIncidentPage, ReadDb } from '@accord/projections';
import { type Caller, CurrentUser, Roles } from '../auth';
import { ApiProblems } from '../shared/api-problem.decorator';
import { UuidIdPipe, writeContext, writeRouteDecorator } from '../shared/write-route';
import { IncidentActions } from './incident-actions';
import {
  DEFAULT_INCIDENT_LIMIT,
  DismissIncidentDto,
  IncidentDto,
  IncidentListDto,
  ListIncidentsQueryDto,
  PromoteIncidentDto,
} from './incident.dto';
import { incidentView } from './incident-view';

const IncidentIdPipe = UuidIdPipe(() => incidentFail('incident.not-found'));
const IncidentWrite = writeRouteDecorator('auth.forbidden-role', 'incident.not-found');

/** The platform admin and auditors oversee every incident; an IG lead sees those involving their organisation. */
const seesAll = (caller: Caller): boolean => caller.role === 'admin' || caller.role === 'auditor';

@ApiTags('incidents')
@Controller('incidents')
export class IncidentsController {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly actions: IncidentActions,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('ig-lead', 'auditor', 'admin')
  @ApiOperation({
    operationId: 'listIncidents',
    summary: 'Security incidents the platform detected, the most recently detected first',
    description: 'An IG lead sees those involving their organisation; a page at a time.',
  })
  @ApiOkResponse({ type: IncidentListDto })
  @ApiProblems(400, 403)
  list(@CurrentUser() caller: Caller, @Query() query: ListIncidentsQueryDto): IncidentListDto {
    const page = listIncidentPage(
      this.db,
      {
        ...(seesAll(caller) ? {} : { orgId: caller.orgId ?? '' }),
        ...(query.status !== undefined ? { status: query.status } : {}),
        ...(query.kind !== undefined ? { kind: query.kind } : {}),
      },
      {
        ...(query.after !== undefined ? { after: query.after } : {}),
        limit: query.limit ?? DEFAULT_INCIDENT_LIMIT,
      },
    );
    return { items: page.items.map(incidentView), nextAfter: page.nextAfter };
  }

  @Get(':id')
  @Roles('ig-lead', 'auditor', 'admin')
  @ApiOperation({
    operationId: 'getIncident',
    summary: 'A security incident: the rule, its evidence (event ids) and what became of it',
  })
  @ApiOkResponse({ type: IncidentDto })
  @ApiProblems(403, 404)
  get(@CurrentUser() caller: Caller, @Param('id', IncidentIdPipe) id: string): IncidentDto {
    const record = findIncident(this.db, id);
    // Not involved reads as not found, as for breaches.
    if (!record || (!seesAll(caller) && !record.state.incident.orgIds.includes(caller.orgId ?? '')))
      throw incidentFail('incident.not-found');
    return incidentView(record);
  }

  @Post(':id/promote')
  @HttpCode(201)
  @Roles('ig-lead')
  @ApiOperation({
    operationId: 'promoteIncident',
    summary:
      'Report the incident as a breach (or near miss) in one call; answers the incident with its breachId',
  })
  @ApiCreatedResponse({ type: IncidentDto })
  @IncidentWrite([409, 'incident.dismissed, incident.already-promoted'], [403, 'breach.not-a-party'])
  promote(
    @Param('id', IncidentIdPipe) id: string,
    @Body() body: PromoteIncidentDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idempotency: Idempotency,
    @Req() req: Request,
  ): Promise<IncidentDto> {
    return this.actions.promote(id, body, caller, writeContext(caller, req, this.clock, idempotency));
  }

  @Post(':id/dismiss')
  @HttpCode(201)
  @Roles('ig-lead')
  @ApiOperation({
    operationId: 'dismissIncident',
    summary: 'Record that the incident is benign, with the reason',
  })
  @ApiCreatedResponse({ type: IncidentDto })
  @IncidentWrite([409, 'incident.already-promoted'], [422, 'incident.reason-required'])
  dismiss(
    @Param('id', IncidentIdPipe) id: string,
    @Body() body: DismissIncidentDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idempotency: Idempotency,
    @Req() req: Request,
  ): Promise<IncidentDto> {
    return this.actions.dismiss(id, body, caller, writeContext(caller, req, this.clock, idempotency));
  }
}
