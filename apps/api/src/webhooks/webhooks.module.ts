import { Module } from '@nestjs/common';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import { WebhookConfiguration } from './webhook-configuration.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';

/** Signed breach webhooks: per-organisation configuration, and the dispatcher that delivers the outbox. */
@Module({
  controllers: [WebhooksController],
  providers: [SettledCommandRunner, WebhookConfiguration, WebhookSecrets, WebhookSender, WebhookDispatcher],
  exports: [WebhookDispatcher],
})
export class WebhooksModule {}
