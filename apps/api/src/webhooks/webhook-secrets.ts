import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ACCORD_CONFIG, type LoadedConfig } from '@accord/platform';

/**
 * Webhook signing secrets are derived, never stored: HMAC(platform secret, orgId:secretId). Every node
 * derives the same secret (they share PLATFORM_SECRET), no event or read model holds it, and configuring
 * the webhook again draws a new secretId, which rotates it. The domain separator keeps these HMACs apart
 * from the subject references made with the same key.
 */
export function deriveWebhookSecret(platformSecret: string, orgId: string, secretId: string): string {
  const mac = createHmac('sha256', platformSecret).update(`accord-webhook-secret:${orgId}:${secretId}`);
  return `whsec_${mac.digest('base64url')}`;
}

@Injectable()
export class WebhookSecrets {
  constructor(@Inject(ACCORD_CONFIG) private readonly config: LoadedConfig) {}

  secretFor(orgId: string, secretId: string): string {
    return deriveWebhookSecret(this.config.platformSecret, orgId, secretId);
  }
}
