import { useState } from 'react';
import { api, ApiError } from '../../../api';
import { usePageTitle } from '../../../components/page-title';
import { Table } from '../../../components/table';
import { formatDateTime, Loaded, SummaryList, Tag, type TagColour } from '../kit/display';
import { Form, FormErrorSummary, SubmitButton, TextField } from '../kit/fields';
import { useOwnOrg } from '../kit/own-org';
import { useFormErrors } from '../kit/refusals';
import { useApi } from '../../../use-api';
import type { ItemList, Webhook, WebhookDelivery } from '../types';

/**
 * Where breach notices are POSTed (docs/architecture.md, webhooks). The signing secret is derived, shown in
 * the answer to the change that made it and stored nowhere, so this page shows it once and says so.
 */
const DELIVERY: Record<WebhookDelivery['status'], [string, TagColour]> = {
  pending: ['Waiting', 'grey'],
  attempting: ['Sending', 'blue'],
  failed: ['Failed, will retry', 'orange'],
  delivered: ['Delivered', 'green'],
  abandoned: ['Abandoned', 'red'],
};

export function WebhookPage() {
  const org = useOwnOrg();
  const webhook = useApi<Webhook | null>(`/organisations/${org}/webhook`);
  const deliveries = useApi<ItemList<WebhookDelivery>>(`/organisations/${org}/webhook/deliveries`);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [removed, setRemoved] = useState(false);
  const { errors, busy, submit } = useFormErrors({
    codes: { 'webhook.url-invalid': 'url' },
    fallback: 'url',
    fields: ['url'],
  });
  usePageTitle('Webhook', Object.keys(errors).length > 0);
  const configure = () =>
    submit(async () => {
      const out = await api<Webhook & { secret: string }>('PUT', `/organisations/${org}/webhook`, {
        body: { url },
      });
      setSecret(out.secret);
      setRemoved(false);
      setUrl('');
      webhook.reload();
    });
  const remove = () =>
    submit(async () => {
      await api('DELETE', `/organisations/${org}/webhook`);
      setSecret(null);
      setRemoved(true);
      webhook.reload();
    });
  // No webhook configured answers 404 (webhook.not-configured): that is a state of the page, not a failure.
  const notConfigured = webhook.error instanceof ApiError && webhook.error.status === 404;
  const current = notConfigured ? null : webhook.data;
  return (
    <>
      <FormErrorSummary errors={errors} order={['url']} />
      {secret ? (
        <div className="govuk-panel govuk-panel--confirmation">
          <h2 className="govuk-panel__title">Webhook saved</h2>
          <div className="govuk-panel__body">
            Signing secret, shown only now:
            <br />
            <strong>
              <code id="webhook-secret">{secret}</code>
            </strong>
          </div>
        </div>
      ) : null}
      {removed ? (
        <div className="govuk-notification-banner govuk-notification-banner--success" role="alert">
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">Webhook removed</p>
          </div>
        </div>
      ) : null}
      <h1 className="govuk-heading-l">Webhook</h1>
      <p className="govuk-body">
        When a partner reports a breach that involves your organisation, the service also sends a notice to
        this address, signed with a secret so your system can check it came from here.
      </p>
      {notConfigured || current === null ? (
        <p className="govuk-body">No webhook is set up.</p>
      ) : (
        <Loaded resource={webhook}>
          {(w) =>
            w ? (
              <SummaryList
                rows={[
                  ['Address', w.url],
                  ['Set up', formatDateTime(w.configuredAt)],
                  ['Secret in use', <code key="s">{w.secretId}</code>],
                ]}
              />
            ) : null
          }
        </Loaded>
      )}
      <h2 className="govuk-heading-m">{current ? 'Change the address or the secret' : 'Set up a webhook'}</h2>
      <Form onSubmit={() => void configure()}>
        <TextField
          id="url"
          label="Address"
          hint="Must start with https://. Saving again makes a new secret."
          type="url"
          value={url}
          onChange={setUrl}
          error={errors.url}
          spellCheck={false}
        />
        <SubmitButton busy={busy}>Save webhook</SubmitButton>
      </Form>
      {current ? (
        <button
          type="button"
          className="govuk-button govuk-button--warning"
          disabled={busy}
          onClick={() => void remove()}
        >
          Remove webhook
        </button>
      ) : null}
      <h2 className="govuk-heading-m">Recent deliveries</h2>
      <Loaded resource={deliveries}>
        {({ items }) => (
          <Table
            empty="Nothing has been sent yet."
            caption="Recent deliveries, newest first"
            captionClassName="govuk-visually-hidden"
            rows={items}
            rowKey={(d) => d.id}
            columns={[
              { header: 'Created', cell: (d) => formatDateTime(d.createdAt) },
              { header: 'Notice', cell: (d) => d.type },
              {
                header: 'Status',
                cell: (d) => <Tag colour={DELIVERY[d.status][1]}>{DELIVERY[d.status][0]}</Tag>,
              },
              { header: 'Attempts', cell: (d) => d.attempts },
              {
                header: 'Last answer',
                cell: (d) => (d.lastStatus ? `HTTP ${d.lastStatus}` : (d.lastError ?? 'None yet')),
              },
            ]}
          />
        )}
      </Loaded>
    </>
  );
}
