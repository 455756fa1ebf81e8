import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { Caller, CurrentUser, eventMetaFor, Roles } from '../auth';
import { ApiProblems } from '../shared/api-problem.decorator';
import { RegisterOrganisationCommand } from './organisation.commands';
import { GetOrganisationQuery, ListOrganisationsQuery } from './organisation.queries';
import {
  OrganisationDto,
  OrganisationIdDto,
  OrganisationListDto,
  NewOrganisationDto,
} from './organisations.dto';

export const IDEMPOTENCY_HEADER_DOC = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key appends nothing twice and answers as the first request.',
};

@ApiTags('organisations')
@Controller('organisations')
export class OrganisationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ operationId: 'registerOrganisation', summary: 'Register a partner organisation (admin).' })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: OrganisationIdDto })
  @ApiProblems(400, 403, 409, 422)
  register(
    @Body() body: NewOrganisationDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<OrganisationIdDto> {
    return this.commands.execute(
      new RegisterOrganisationCommand(body, eventMetaFor(caller, req, this.clock), idem),
    );
  }

  @Get()
  @ApiOperation({
    operationId: 'listOrganisations',
    summary: 'The directory of organisations (any authenticated user).',
  })
  @ApiOkResponse({ type: OrganisationListDto })
  @ApiProblems()
  list(): Promise<OrganisationListDto> {
    return this.queries.execute(new ListOrganisationsQuery());
  }

  @Get(':org')
  @ApiOperation({ operationId: 'getOrganisation', summary: 'One organisation of the directory.' })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiProblems(404)
  get(@Param('org') org: string): Promise<OrganisationDto> {
    return this.queries.execute(new GetOrganisationQuery(org));
  }
}
