import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { fail } from '@accord/domain';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { DirectoryReadModel } from '@accord/projections';
import { assertOwnOrganisation, Caller, CurrentUser, eventMetaFor, Roles } from '../auth';
import { ApiProblems } from '../shared/api-problem.decorator';
import { TeamCommand, TeamRequest } from './organisation-teams.commands';
import {
  DefaultTeamDto,
  DefaultTeamOutcomeDto,
  NewTeamDto,
  TeamDto,
  TeamListDto,
} from './organisation-teams.dto';
import { IDEMPOTENCY_HEADER_DOC } from './organisations.controller';
import { TeamDirectory } from './team-directory';

/**
 * Teams and need-to-know (docs/architecture.md §24). The organisation's IG lead manages them; anyone signed
 * in reads their ids and names (a sender addresses a partner's team by id), members only the organisation's
 * own IG lead and the platform admin.
 */
@ApiTags('organisations')
@Controller('organisations/:org')
export class OrganisationTeamsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly teams: TeamDirectory,
    private readonly directory: DirectoryReadModel,
    private readonly clock: Clock,
  ) {}

  @Get('teams')
  @ApiOperation({
    operationId: 'listTeams',
    summary: "The organisation's teams and its default receiving team",
  })
  @ApiOkResponse({ type: TeamListDto })
  @ApiProblems(404)
  async list(@Param('org') org: string, @CurrentUser() caller: Caller): Promise<TeamListDto> {
    if (!this.directory.organisationExists(org)) throw fail('organisation.not-found');
    const { teams, defaultTeam } = await this.teams.teams(org);
    const seesMembers = caller.role === 'admin' || (caller.role === 'ig-lead' && caller.orgId === org);
    return {
      defaultTeam,
      items: Object.entries(teams).map(([id, t]) => ({
        id,
        name: t.name,
        ...(seesMembers ? { members: [...t.members] } : {}),
        default: defaultTeam === id,
      })),
    };
  }

  @Post('teams')
  @HttpCode(201)
  @Roles('ig-lead')
  @ApiOperation({ operationId: 'createTeam', summary: 'Create a team (IG lead of the organisation)' })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: TeamDto })
  @ApiProblems(400, 403, 404, 409, 422)
  create(
    @Param('org') org: string,
    @Body() body: NewTeamDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<TeamDto> {
    return this.run(org, { kind: 'create', name: body.name }, caller, idem, req) as Promise<TeamDto>;
  }

  @Put('teams/:teamId/members/:userId')
  @HttpCode(200)
  @Roles('ig-lead')
  @ApiOperation({
    operationId: 'addTeamMember',
    summary: 'Add a user of the organisation to a team (idempotent)',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiOkResponse({ type: TeamDto })
  @ApiProblems(403, 404, 422)
  add(
    @Param('org') org: string,
    @Param('teamId') teamId: string,
    @Param('userId') userId: string,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<TeamDto> {
    return this.run(org, { kind: 'add-member', teamId, userId }, caller, idem, req) as Promise<TeamDto>;
  }

  @Delete('teams/:teamId/members/:userId')
  @HttpCode(200)
  @Roles('ig-lead')
  @ApiOperation({ operationId: 'removeTeamMember', summary: 'Remove a user from a team (idempotent)' })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiOkResponse({ type: TeamDto })
  @ApiProblems(403, 404)
  remove(
    @Param('org') org: string,
    @Param('teamId') teamId: string,
    @Param('userId') userId: string,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<TeamDto> {
    return this.run(org, { kind: 'remove-member', teamId, userId }, caller, idem, req) as Promise<TeamDto>;
  }

  @Put('default-team')
  @HttpCode(200)
  @Roles('ig-lead')
  @ApiOperation({
    operationId: 'setDefaultReceivingTeam',
    summary: 'Set (or, with null, clear) the team that receives shares naming no team of the organisation',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiOkResponse({ type: DefaultTeamOutcomeDto })
  @ApiProblems(400, 403, 404)
  setDefault(
    @Param('org') org: string,
    @Body() body: DefaultTeamDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<DefaultTeamOutcomeDto> {
    return this.run(
      org,
      { kind: 'set-default', teamId: body.teamId },
      caller,
      idem,
      req,
    ) as Promise<DefaultTeamOutcomeDto>;
  }

  private run(org: string, request: TeamRequest, caller: Caller, idem: Idempotency, req: Request) {
    assertOwnOrganisation(caller, org);
    const meta = eventMetaFor(caller, req, this.clock);
    return this.commands.execute(new TeamCommand(org, request, meta, idem));
  }
}
