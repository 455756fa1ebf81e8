/*
 * The webhook read model's shapes, in a module that imports nothing: the browser app reads the same types
 * (apps/web/src/pages/ig/types.ts, `import type`) without pulling the queries' Node-side code into its type
 * check or its bundle.
 */

export interface WebhookEndpoint {
  orgId: string;
  url: string;
  secretId: string;
  configuredAt: string;
}

export type WebhookDeliveryStatus = 'pending' | 'attempting' | 'failed' | 'delivered' | 'abandoned';

export interface WebhookDeliveryRecord {
  id: string;
  orgId: string;
  breachId: string;
  type: string;
  createdAt: string;
  /** The exact JSON body every attempt POSTs. */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  finishedAt: string | null;
}
