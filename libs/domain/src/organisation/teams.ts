import { assertNever, fail } from '../errors';
import { hasInvisibleCharacters, nonBlank } from '../shared/text';
import type { TeamCommand } from './organisation.commands';
import type { TeamEvent } from './organisation.events';

/**
 * Teams and need-to-know inside an organisation (issue 13 item 1, docs/architecture.md §24). A team is an
 * authorisation boundary the platform enforces, not a cryptographic one: it holds no key, the payload stays
 * encrypted to the organisation's keys.
 */
export interface Team {
  name: string;
  /** User ids, in the order they joined. */
  members: string[];
}

export interface OrganisationTeams {
  teams: Record<string, Team>;
  /** The team that receives a share naming no team of this organisation; null: the whole organisation. */
  defaultTeam: string | null;
}

export const MAX_TEAM_NAME_LENGTH = 120;
const TEAM_ID = /^[0-9a-f-]{36}$/;

export const noTeams = (): OrganisationTeams => ({ teams: {}, defaultTeam: null });

export function evolveTeams(state: OrganisationTeams, event: TeamEvent): OrganisationTeams {
  switch (event.type) {
    case 'TeamCreated':
      return {
        ...state,
        teams: { ...state.teams, [event.data.teamId]: { name: event.data.name, members: [] } },
      };
    case 'TeamMemberAdded': {
      const team = state.teams[event.data.teamId];
      if (!team || team.members.includes(event.data.userId)) return state;
      const updated = { ...team, members: [...team.members, event.data.userId] };
      return { ...state, teams: { ...state.teams, [event.data.teamId]: updated } };
    }
    case 'TeamMemberRemoved': {
      const team = state.teams[event.data.teamId];
      if (!team) return state;
      const updated = { ...team, members: team.members.filter((m) => m !== event.data.userId) };
      return { ...state, teams: { ...state.teams, [event.data.teamId]: updated } };
    }
    case 'DefaultReceivingTeamSet':
      return { ...state, defaultTeam: event.data.teamId };
    default:
      return assertNever(event, 'team event');
  }
}

/**
 * Membership commands are idempotent as PUT and DELETE are: adding a member twice, or removing one who is
 * not there, records nothing.
 */
export function decideTeams(command: TeamCommand, state: OrganisationTeams): TeamEvent[] {
  switch (command.type) {
    case 'CreateTeam': {
      const { teamId } = command.data;
      if (!TEAM_ID.test(teamId)) throw new Error('CreateTeam needs a UUID teamId');
      const name = nonBlank(command.data.name)?.replace(/\s+/g, ' ');
      if (!name || name.length > MAX_TEAM_NAME_LENGTH || hasInvisibleCharacters(name))
        throw fail(
          'team.name-required',
          `a name of 1 to ${MAX_TEAM_NAME_LENGTH} printable characters is required`,
        );
      const existing = state.teams[teamId];
      // A retry that drew the same id (an Idempotency-Key) with the same name is the same team.
      if (existing) {
        if (existing.name === name) return [];
        throw fail('team.name-taken', undefined, { teamId });
      }
      const key = sameNameKey(name);
      const taken = Object.entries(state.teams).find(([, t]) => sameNameKey(t.name) === key);
      if (taken)
        throw fail('team.name-taken', 'the organisation already has a team of that name', {
          teamId: taken[0],
        });
      return [{ type: 'TeamCreated', data: { teamId, name } }];
    }
    case 'AddTeamMember': {
      const { teamId, userId, memberOfOrganisation } = command.data;
      const team = teamOf(state, teamId);
      if (!memberOfOrganisation) throw fail('team.user-not-in-organisation', undefined, { userId });
      return team.members.includes(userId) ? [] : [{ type: 'TeamMemberAdded', data: { teamId, userId } }];
    }
    case 'RemoveTeamMember': {
      const { teamId, userId } = command.data;
      const team = teamOf(state, teamId);
      return team.members.includes(userId) ? [{ type: 'TeamMemberRemoved', data: { teamId, userId } }] : [];
    }
    case 'SetDefaultReceivingTeam': {
      const { teamId } = command.data;
      if (teamId !== null) teamOf(state, teamId);
      return state.defaultTeam === teamId ? [] : [{ type: 'DefaultReceivingTeamSet', data: { teamId } }];
    }
    default:
      return assertNever(command, 'team command');
  }
}

/**
 * Two names a sender cannot tell apart on the share page are one name: compared after NFKC (a full-width
 * "ＰＰＵ", a decomposed "é"), without case and without invisible format characters, which names from
 * before they were refused may still hold. The name is stored as typed (tidied); only the comparison folds.
 */
function sameNameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase();
}

function teamOf(state: OrganisationTeams, teamId: string): Team {
  const team = state.teams[teamId];
  if (!team) throw fail('team.not-found', undefined, { teamId });
  return team;
}

/** The teams of this organisation `userId` belongs to. */
export function teamsOfUser(state: OrganisationTeams, userId: string): string[] {
  return Object.entries(state.teams)
    .filter(([, t]) => t.members.includes(userId))
    .map(([id]) => id);
}
