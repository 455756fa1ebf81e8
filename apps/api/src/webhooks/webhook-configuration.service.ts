import { Inject, Injectable } from '@nestjs/common';
import { organisationDecider, organisationStreamId, webhookFail } from '@accord/domain';
import { type EventMetaInput, uuidv5 } from '@accord/event-store';
import { ACCORD_CONFIG, IdGenerator, type Idempotency, type LoadedConfig, READ_DB } from '@accord/platform';
import { findWebhookEndpoint, listWebhookDeliveries, type ReadDb } from '@accord/projections';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import { WebhookSecrets } from './webhook-secrets';
import type { ConfiguredWebhookDto, WebhookDeliveryDto, WebhookDto } from './webhooks.dto';

type Idem = Pick<Idempotency, 'key' | 'scope'>;

/** Deliveries listed per organisation: the recent history an IG lead checks a receiver against. */
const DELIVERIES_LISTED = 100;

/** An organisation's webhook: configured and removed on its own stream, read back from the `webhooks` read model. */
@Injectable()
export class WebhookConfiguration {
  constructor(
    private readonly runner: SettledCommandRunner,
    private readonly ids: IdGenerator,
    private readonly secrets: WebhookSecrets,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
  ) {}

  async configure(
    orgId: string,
    url: string,
    meta: EventMetaInput,
    idem: Idem,
  ): Promise<ConfiguredWebhookDto> {
    const outcome = await this.runner.run(
      organisationStreamId(orgId),
      organisationDecider,
      {
        type: 'ConfigureWebhook',
        data: {
          url,
          secretId: this.secretIdFor(orgId, idem),
          allowInsecureLocalhost: this.config.webhooks.allowInsecureLocalhost,
        },
        metadata: { now: new Date(meta.occurredAt) },
      },
      meta,
      idem,
    );
    // A retry with the same Idempotency-Key answers with the first request's secretId, hence the same secret.
    const configured = outcome.events.find((e) => e.type === 'WebhookConfigured');
    if (configured?.type !== 'WebhookConfigured')
      throw new Error('ConfigureWebhook appended no WebhookConfigured');
    const { url: stored, secretId } = configured.data;
    return {
      orgId,
      url: stored,
      secretId,
      configuredAt: findWebhookEndpoint(this.db, orgId)?.configuredAt ?? meta.occurredAt,
      secret: this.secrets.secretFor(orgId, secretId),
    };
  }

  /**
   * With an Idempotency-Key the secret id derives from it, so every retry of the request (even one racing
   * the first) names the same secret; without one it is fresh, and each PUT rotates the secret.
   */
  private secretIdFor(orgId: string, idem: Idem): string {
    return idem.key === undefined
      ? this.ids.newId()
      : uuidv5(`webhook-secret|${idem.scope}|${orgId}|${idem.key}`);
  }

  async remove(orgId: string, meta: EventMetaInput, idem: Idem): Promise<void> {
    await this.runner.run(
      organisationStreamId(orgId),
      organisationDecider,
      { type: 'RemoveWebhook', data: {}, metadata: { now: new Date(meta.occurredAt) } },
      meta,
      idem,
    );
  }

  get(orgId: string): WebhookDto {
    const endpoint = findWebhookEndpoint(this.db, orgId);
    if (!endpoint) throw webhookFail('webhook.not-configured');
    return { orgId, url: endpoint.url, secretId: endpoint.secretId, configuredAt: endpoint.configuredAt };
  }

  deliveries(orgId: string): WebhookDeliveryDto[] {
    return listWebhookDeliveries(this.db, orgId, DELIVERIES_LISTED).map((d) => ({
      id: d.id,
      type: d.type,
      breachId: d.breachId,
      createdAt: d.createdAt,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.nextAttemptAt,
      lastAttemptAt: d.lastAttemptAt,
      lastStatus: d.lastStatus,
      lastError: d.lastError,
      finishedAt: d.finishedAt,
    }));
  }
}
