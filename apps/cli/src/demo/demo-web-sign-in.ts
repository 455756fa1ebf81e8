import type { DemoClient } from './demo-client';
import { DemoPartnership, enrol } from './demo-partnership';

export interface DemoSignIn {
  /** What the person does and where, as printed: "practitioner (staffordshire-cc)". */
  label: string;
  token: string;
}

/** Who a newcomer can be in the web app: a role each, and a practitioner at each end of the walk's share. */
const PEOPLE: [org: string, role: string][] = [
  ['staffordshire-cc', 'ig-lead'],
  ['staffordshire-cc', 'practitioner'],
  ['staffordshire-police', 'practitioner'],
  ['staffordshire-cc', 'auditor'],
];

/**
 * `accord demo --keep`: one API token per seeded role, for signing in to the web app at /app/. Fresh
 * people (enrolled by their organisation's IG lead, access agreement accepted), so nothing the walk did to
 * its own users (a suspension, a revoked token) stands in the way; the platform admin's own token too.
 */
export async function webSignIns(admin: DemoClient, partnership: DemoPartnership): Promise<DemoSignIn[]> {
  const people: DemoSignIn[] = [{ label: 'admin (platform)', token: admin.token ?? '' }];
  for (const [org, role] of PEOPLE) {
    const lead = partnership.leads[org];
    if (!lead) continue;
    const user = await enrol(lead.client, org, role, `web ${role}`);
    people.push({ label: `${role} (${org})`, token: user.client.token ?? '' });
  }
  return people;
}
