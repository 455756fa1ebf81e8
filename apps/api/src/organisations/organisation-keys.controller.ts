import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { assertOwnOrganisation, Caller, CurrentUser, eventMetaFor, Roles } from '../auth';
import { ApiProblems } from '../shared/api-problem.decorator';
import { AddOrganisationKeyCommand, RevokeOrganisationKeyCommand } from './organisation.commands';
import { ListOrganisationKeysQuery } from './organisation.queries';
import { IDEMPOTENCY_HEADER_DOC } from './organisations.controller';
import { AddKeyDto, OrganisationKeyDto, OrganisationKeyListDto, RevokeKeyDto } from './organisations.dto';

@ApiTags('organisations')
@Controller('organisations/:org/keys')
export class OrganisationKeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listOrganisationKeys',
    summary: "The organisation's OpenPGP keys, revoked ones included (public: senders encrypt to them).",
  })
  @ApiOkResponse({ type: OrganisationKeyListDto })
  @ApiProblems(404)
  list(@Param('org') org: string): Promise<OrganisationKeyListDto> {
    return this.queries.execute(new ListOrganisationKeysQuery(org));
  }

  @Post()
  @Roles('ig-lead')
  @ApiOperation({
    operationId: 'addOrganisationKey',
    summary: 'Add an armored OpenPGP public key (IG lead of the organisation).',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: OrganisationKeyDto })
  @ApiProblems(400, 403, 404, 409, 422)
  add(
    @Param('org') org: string,
    @Body() body: AddKeyDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<OrganisationKeyDto> {
    assertOwnOrganisation(caller, org);
    const meta = eventMetaFor(caller, req, this.clock);
    return this.commands.execute(new AddOrganisationKeyCommand(org, body.publicKey, meta, idem));
  }

  @Delete(':fpr')
  @HttpCode(200)
  @Roles('ig-lead')
  @ApiOperation({
    operationId: 'revokeOrganisationKey',
    summary: 'Revoke a key: never used for a new share, kept in the history.',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiOkResponse({ type: OrganisationKeyDto })
  @ApiProblems(400, 403, 404, 409, 422)
  revoke(
    @Param('org') org: string,
    @Param('fpr') fpr: string,
    @Body() body: RevokeKeyDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<OrganisationKeyDto> {
    assertOwnOrganisation(caller, org);
    const meta = eventMetaFor(caller, req, this.clock);
    return this.commands.execute(new RevokeOrganisationKeyCommand(org, fpr, body.reason, meta, idem));
  }
}
