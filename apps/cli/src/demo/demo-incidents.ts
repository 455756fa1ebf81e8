import { DemoClient, pollFor, problemCode } from './demo-client';
import type { Step } from './demo-partnership';
import { DemoWebhookReceiver } from './demo-webhook-receiver';

/** Detection and webhook delivery run on their own after the request: how long the demo waits for each. */
const WAIT_MS = 5_000;

export interface IncidentStepsOptions {
  /** A recipient's practitioner, whose open from abroad is refused and detected. */
  practitioner: DemoClient;
  practitionerOrg: string;
  /** That organisation's IG lead: sees the incident and promotes it to a breach report. */
  lead: DemoClient;
  /** A partner that wants breach notices in its own systems, and its IG lead. */
  partnerOrg: string;
  partnerLead: DemoClient;
  agreementId: string;
  documentId: string;
  /** The header a trusted proxy (the demo's loopback client counts as one) states the client's country in. */
  clientCountryHeader: string;
  step: Step;
}

interface Incident {
  id: string;
  kind: string;
  severity: string;
  status: string;
  summary: string;
  documentIds: string[];
}

/**
 * An open from outside the UK, refused, then found by the platform's own detector as a `non-uk-access`
 * incident; a partner's signed webhook configured; the incident promoted to a breach report in one call,
 * with its ICO deadline; and the partner's receiver getting the signed notice and verifying it.
 */
export async function incidentSteps(o: IncidentStepsOptions): Promise<void> {
  const abroad = await o.practitioner.content(o.documentId, { [o.clientCountryHeader]: 'FR' });
  if (abroad.status === 200) throw new Error('an open from outside the UK was given the content');
  o.step(
    `the ${o.practitionerOrg} practitioner tries again from France (${o.clientCountryHeader}: FR, stated ` +
      `by a trusted proxy): refused, HTTP ${abroad.status} ${problemCode(abroad.problem)}`,
  );

  const incident = await pollFor(
    async () => {
      const { body } = await o.lead.ok(200, 'GET', '/incidents?kind=non-uk-access');
      return (body.items as Incident[]).find((i) => i.documentIds.includes(o.documentId));
    },
    { timeoutMs: WAIT_MS },
  );
  if (!incident) throw new Error(`no non-uk-access incident in GET /incidents within ${WAIT_MS / 1000} s`);
  o.step(
    `the platform's detector raised incident ${incident.id}: ${incident.kind} (${incident.severity}, ` +
      `${incident.status}), "${incident.summary}"; the ${o.practitionerOrg} IG lead finds it in GET /incidents`,
  );

  const receiver = await DemoWebhookReceiver.start(`/accord/${o.partnerOrg}`);
  try {
    const { body: configured } = await o.partnerLead.ok(
      200,
      'PUT',
      `/organisations/${o.partnerOrg}/webhook`,
      {
        url: receiver.url,
      },
    );
    receiver.secret = String(configured.secret);
    o.step(
      `${o.partnerOrg}'s IG lead configured a breach webhook to a receiver in this process, ${receiver.url} ` +
        `(signing secret ${receiver.secret.slice(0, 10)}..., shown this once)`,
    );

    const { body: promoted } = await o.lead.ok(201, 'POST', `/incidents/${incident.id}/promote`, {
      nearMiss: true,
      agreementId: o.agreementId,
    });
    const breachId = String(promoted.breachId);
    const { body: breach } = await o.lead.ok(200, 'GET', `/breaches/${breachId}`);
    if (promoted.status !== 'promoted' || typeof breach.icoDeadline !== 'string') {
      throw new Error(
        `promote: incident ${String(promoted.status)}, breach deadline ${String(breach.icoDeadline)}`,
      );
    }
    o.step(
      `the ${o.practitionerOrg} IG lead promoted it to breach report ${breachId} (near miss, ` +
        `${String(breach.severity)}): ICO deadline ${breach.icoDeadline}, 72 h after detection; ` +
        `${(breach.notifiedOrgs as string[]).length} organisations notified`,
    );

    const notice = await pollFor(() => receiver.notices.find((n) => jsonOf(n.body).breachId === breachId), {
      timeoutMs: WAIT_MS,
    });
    if (!notice)
      throw new Error(`${o.partnerOrg}'s receiver got no breach notice within ${WAIT_MS / 1000} s`);
    if (!notice.verified) throw new Error(`the breach notice's Accord-Signature did not verify`);
    const type = String(jsonOf(notice.body).type);
    o.step(
      `${o.partnerOrg}'s receiver got the signed ${type} notice for breach ${breachId}; ` +
        `Accord-Signature verified with the secret from configuration`,
    );
  } finally {
    await receiver.close();
  }
}

function jsonOf(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
}
