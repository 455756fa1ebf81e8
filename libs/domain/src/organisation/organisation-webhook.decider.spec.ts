import { deciderSpec } from '../testing/decider-spec';
import { isWebhookError } from '../webhook/webhook.errors';
import { OrganisationCommand } from './organisation.commands';
import { organisationDecider } from './organisation.decider';
import { OrganisationEvent } from './organisation.events';

const spec = deciderSpec(organisationDecider);
const metadata = { now: new Date('2026-03-01T09:00:00.000Z') };
const registered: OrganisationEvent = {
  type: 'OrganisationRegistered',
  data: { name: 'Org B', kind: 'police', jurisdiction: 'GB-ENG', icoRegistration: 'Z1234567' },
};
const configure = (url: string, secretId = 's-1', allowInsecureLocalhost = false): OrganisationCommand => ({
  type: 'ConfigureWebhook',
  data: { url, secretId, allowInsecureLocalhost },
  metadata,
});
const remove: OrganisationCommand = { type: 'RemoveWebhook', data: {}, metadata };
const configured: OrganisationEvent = {
  type: 'WebhookConfigured',
  data: { url: 'https://hooks.example.org/accord', secretId: 's-1' },
};

describe('organisation decider: webhook', () => {
  it('configures an https webhook with the secret id drawn for it', () => {
    const state = spec.given([registered]).when(configure('https://hooks.example.org/accord')).thenState();
    expect(state.status === 'registered' && state.webhook).toEqual(configured.data);
  });

  it('configuring again rotates the secret (a new secret id, the same URL)', () => {
    spec
      .given([registered, configured])
      .when(configure('https://hooks.example.org/accord', 's-2'))
      .then([
        { type: 'WebhookConfigured', data: { url: 'https://hooks.example.org/accord', secretId: 's-2' } },
      ]);
  });

  it('refuses a plain-http URL with webhook.url-invalid', () => {
    const state = spec.given([registered]).when(remove).thenState();
    let caught: unknown;
    try {
      organisationDecider.decide(configure('http://hooks.example.org/'), state);
    } catch (error) {
      caught = error;
    }
    expect(isWebhookError(caught) && caught.code).toBe('webhook.url-invalid');
  });

  it('accepts http to localhost only when the platform allows it', () => {
    spec
      .given([registered])
      .when(configure('http://127.0.0.1:9/hook', 's-1', true))
      .then([{ type: 'WebhookConfigured', data: { url: 'http://127.0.0.1:9/hook', secretId: 's-1' } }]);
  });

  it('configures only a registered organisation', () => {
    spec.given([]).when(configure('https://hooks.example.org/')).thenFails('organisation.not-found');
  });

  it('removes the webhook; removing it again records nothing', () => {
    spec
      .given([registered, configured])
      .when(remove)
      .then([{ type: 'WebhookRemoved', data: { url: 'https://hooks.example.org/accord' } }]);
    spec
      .given([registered, configured, { type: 'WebhookRemoved', data: { url: configured.data.url } }])
      .when(remove)
      .then([]);
  });
});
