import type { OrganisationTeams } from '../organisation/teams';
import { DocumentRefusal, refuse } from './document.errors';

/**
 * Which teams of each recipient organisation a share reaches (docs/architecture.md §24), fixed at share time:
 * the teams the sender named for that organisation, else its default receiving team, else none (the whole
 * organisation receives it, as before teams). Naming teams of the sender's own organisation, or of an
 * organisation that is not a recipient, is refused; so is a team that organisation does not have.
 */
export function addressTeams(
  requested: Readonly<Record<string, readonly string[]>> | undefined,
  recipients: readonly string[],
  teamsOf: (orgId: string) => OrganisationTeams,
): { recipientTeams: Record<string, string[]> } | { refusal: DocumentRefusal } {
  const named = requested ?? {};
  const strangers = Object.keys(named).filter((orgId) => !recipients.includes(orgId));
  if (strangers.length > 0)
    return { refusal: refuse('share.team-org-not-recipient', undefined, { organisations: strangers }) };
  const recipientTeams: Record<string, string[]> = {};
  for (const orgId of recipients) {
    const teams = teamsOf(orgId);
    const asked = [...new Set(named[orgId] ?? [])];
    const missing = asked.filter((teamId) => !teams.teams[teamId]);
    if (missing.length > 0) {
      return { refusal: refuse('share.team-not-found', undefined, { organisation: orgId, teams: missing }) };
    }
    if (asked.length > 0) recipientTeams[orgId] = asked;
    else if (teams.defaultTeam !== null && teams.teams[teams.defaultTeam])
      recipientTeams[orgId] = [teams.defaultTeam];
  }
  return { recipientTeams };
}
