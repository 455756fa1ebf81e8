import { CodedError, CodedErrorExtra } from '../shared/coded-error';

/**
 * Refusals about webhooks (issue 7), in the shape every coded error has (stable `code`, `status`, `title`,
 * `detail`, `extra`) so the one problem filter renders them. Details never echo the URL given: it may carry
 * a token in its path.
 */
type Entry = readonly [status: 404 | 409 | 422, title: string];

export const WEBHOOK_ERRORS = {
  'webhook.url-invalid': [422, 'Invalid webhook URL'],
  'webhook.not-configured': [404, 'No webhook configured'],
  'webhook.delivery-finished': [409, 'Webhook delivery already finished'],
  'webhook.delivery-not-due': [409, 'Webhook delivery not due yet'],
  'webhook.delivery-in-progress': [409, 'Webhook delivery attempt in progress'],
  'webhook.delivery-stale': [409, 'Webhook delivery outcome for an attempt that is not the current one'],
} as const satisfies Record<string, Entry>;

export type WebhookErrorCode = keyof typeof WEBHOOK_ERRORS;

export class WebhookError extends CodedError<WebhookErrorCode> {
  constructor(code: WebhookErrorCode, detail?: string, extra?: CodedErrorExtra) {
    super('WebhookError', WEBHOOK_ERRORS, code, detail, extra);
  }
}

export function webhookFail(code: WebhookErrorCode, detail?: string): WebhookError {
  return new WebhookError(code, detail);
}

export function isWebhookError(error: unknown): error is WebhookError {
  return error instanceof WebhookError;
}
