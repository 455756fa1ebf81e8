export * from './errors';
export * from './shared/json';
export * from './shared/decider';
export * from './shared/time';
export * from './shared/streams';
export { showBidiControls } from './shared/text';

export * from './vocabularies/organisation-kinds';
export * from './vocabularies/jurisdictions';
export * from './vocabularies/roles';
export * from './vocabularies/lawful-bases';
export * from './vocabularies/data-categories';
export * from './vocabularies/iso-duration';
export * from './vocabularies/nhs-number';
export * from './vocabularies/agreement-categories';
export * from './vocabularies/legal-gateways';

export * from './organisation/organisation.events';
export * from './organisation/organisation.commands';
export * from './organisation/organisation.state';
export * from './organisation/organisation.decider';
export * from './organisation/teams';

export * from './user/access-agreement';
export * from './user/user.events';
export * from './user/user.commands';
export * from './user/user.state';
export * from './user/user.decider';

export * from './agreement/agreement.terms';
export * from './agreement/agreement.events';
export * from './agreement/agreement.commands';
export * from './agreement/agreement.state';
export * from './agreement/agreement.queries';
export * from './agreement/agreement.decider';

export * from './document/document.events';
export * from './document/document.errors';
export * from './document/document.state';
export * from './document/document.commands';
export * from './document/share.policy';
export * from './document/open.policy';
export * from './document/team-addressing';
export * from './document/subject';
export * from './document/document.decider';

export * from './breach/breach.errors';
export * from './breach/breach.events';
export * from './breach/breach.commands';
export * from './breach/breach.state';
export * from './breach/breach.decider';

export * from './webhook/webhook.errors';
export * from './webhook/webhook-url.policy';
export * from './webhook/webhook-retry.policy';
export * from './webhook/webhook-delivery.events';
export * from './webhook/webhook-delivery.commands';
export * from './webhook/webhook-delivery.decider';
export * from './email/email.events';
export * from './email/email.commands';
export * from './email/email.errors';
export * from './email/email.decider';
export * from './document/addressing.policy';

export * from './subject-request/subject-request.errors';
export * from './subject-request/subject-request.events';
export * from './subject-request/subject-request.commands';
export * from './subject-request/subject-request.state';
export * from './subject-request/erasure.policy';
export * from './subject-request/subject-access-report';
export * from './subject-request/subject-request.decider';

export * from './incident/incident.events';
export * from './incident/incident.errors';
export * from './incident/incident.decider';
export * from './incident/detection.thresholds';
export * from './incident/detection.rules';
export * from './incident/party-standing';

export * from './session/session.events';
export * from './session/session.commands';
export * from './session/session.errors';
export * from './session/session.decider';
