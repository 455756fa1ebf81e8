import { Body, Controller, Delete, Get, HttpCode, Param, Put, Req } from '@nestjs/common';
import { ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { assertOwnOrganisation, Caller, CurrentUser, eventMetaFor, Roles } from '../auth';
import { IDEMPOTENCY_HEADER_DOC } from '../organisations/organisations.controller';
import { ApiProblems } from '../shared/api-problem.decorator';
import { WebhookConfiguration } from './webhook-configuration.service';
import {
  ConfigureWebhookDto,
  ConfiguredWebhookDto,
  WebhookDeliveryListDto,
  WebhookDto,
} from './webhooks.dto';

/**
 * Signed breach webhooks (issue 7). The organisation's IG lead, or the platform admin who onboards it,
 * configures where breach notices are POSTed; only the IG lead reads the deliveries, which name breaches.
 */
@ApiTags('webhooks')
@Controller('organisations/:org/webhook')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhookConfiguration,
    private readonly clock: Clock,
  ) {}

  @Put()
  @Roles('ig-lead', 'admin')
  @ApiOperation({
    operationId: 'configureWebhook',
    summary:
      'Configure (or rotate) the webhook breach notices are POSTed to; the signing secret is in this answer only.',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiOkResponse({ type: ConfiguredWebhookDto })
  @ApiProblems(400, 403, 404, 422)
  configure(
    @Param('org') org: string,
    @Body() body: ConfigureWebhookDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<ConfiguredWebhookDto> {
    assertOwnOrganisation(caller, org, { allowAdmin: true });
    return this.webhooks.configure(org, body.url, eventMetaFor(caller, req, this.clock), idem);
  }

  @Get()
  @Roles('ig-lead', 'admin')
  @ApiOperation({ operationId: 'getWebhook', summary: "The organisation's webhook (never its secret)." })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems(403, 404)
  get(@Param('org') org: string, @CurrentUser() caller: Caller): WebhookDto {
    assertOwnOrganisation(caller, org, { allowAdmin: true });
    return this.webhooks.get(org);
  }

  @Delete()
  @HttpCode(204)
  @Roles('ig-lead', 'admin')
  @ApiOperation({
    operationId: 'removeWebhook',
    summary: 'Remove the webhook; pending deliveries are abandoned. Removing none is not an error.',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiNoContentResponse()
  @ApiProblems(403, 404)
  async remove(
    @Param('org') org: string,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<void> {
    assertOwnOrganisation(caller, org, { allowAdmin: true });
    await this.webhooks.remove(org, eventMetaFor(caller, req, this.clock), idem);
  }

  @Get('deliveries')
  @Roles('ig-lead')
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: "The organisation's recent webhook deliveries and their state, newest first.",
  })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @ApiProblems(403)
  deliveries(@Param('org') org: string, @CurrentUser() caller: Caller): WebhookDeliveryListDto {
    assertOwnOrganisation(caller, org);
    return { items: this.webhooks.deliveries(org) };
  }
}
