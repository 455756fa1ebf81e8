import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { Caller, CurrentUser, eventMetaFor, Roles } from '../auth';
import { IDEMPOTENCY_HEADER_DOC } from '../organisations/organisations.controller';
import { ApiProblems } from '../shared/api-problem.decorator';
import { EnrolUserCommand } from './enrol-user.command';
import { ListUsersQuery } from './user.queries';
import { EnrolledUserDto, EnrolUserDto, UserListDto } from './users.dto';

@ApiTags('users')
@Controller('organisations/:org/users')
export class OrganisationUsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('admin', 'ig-lead')
  @ApiOperation({
    operationId: 'enrolUser',
    summary: 'Enrol a user with a first API token, shown once.',
    description:
      'Admin anywhere; IG lead in their own organisation. ' +
      'Platform admins are enrolled at /organisations/platform/users.',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: EnrolledUserDto })
  @ApiProblems(400, 403, 404, 409, 422)
  enrol(
    @Param('org') org: string,
    @Body() body: EnrolUserDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<EnrolledUserDto> {
    const meta = eventMetaFor(caller, req, this.clock);
    return this.commands.execute(new EnrolUserCommand(caller, org, body, meta, idem));
  }

  @Get()
  @Roles('admin', 'ig-lead')
  @ApiOperation({
    operationId: 'listOrganisationUsers',
    summary: "The organisation's users (admin; IG lead of the organisation).",
  })
  @ApiOkResponse({ type: UserListDto })
  @ApiProblems(403, 404)
  list(@Param('org') org: string, @CurrentUser() caller: Caller): Promise<UserListDto> {
    return this.queries.execute(new ListUsersQuery(caller, org));
  }
}
