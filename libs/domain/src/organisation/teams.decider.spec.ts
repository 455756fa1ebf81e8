import { deciderSpec } from '../testing/decider-spec';
import { OrganisationCommand } from './organisation.commands';
import { organisationDecider } from './organisation.decider';
import { OrganisationEvent } from './organisation.events';
import { teamsOf } from './organisation.state';
import { teamsOfUser } from './teams';

const spec = deciderSpec(organisationDecider);
const metadata = { now: new Date('2026-03-01T09:00:00.000Z') };
const T1 = '0190a1b2-0000-7000-8000-0000000000a1';
const T2 = '0190a1b2-0000-7000-8000-0000000000a2';
const registered: OrganisationEvent = {
  type: 'OrganisationRegistered',
  data: { name: 'Police', kind: 'police', jurisdiction: 'GB-ENG', icoRegistration: 'Z1234567' },
};
const created = (teamId = T1, name = 'Public protection unit'): OrganisationEvent => ({
  type: 'TeamCreated',
  data: { teamId, name },
});
const create = (teamId: string, name: string): OrganisationCommand => ({
  type: 'CreateTeam',
  data: { teamId, name },
  metadata,
});
const add = (userId: string, memberOfOrganisation = true, teamId = T1): OrganisationCommand => ({
  type: 'AddTeamMember',
  data: { teamId, userId, memberOfOrganisation },
  metadata,
});
const added = (userId: string, teamId = T1): OrganisationEvent => ({
  type: 'TeamMemberAdded',
  data: { teamId, userId },
});

describe('organisation decider: teams (docs/architecture.md §24)', () => {
  it('given a registered organisation, when a team is created, then TeamCreated with the name tidied', () => {
    spec.given([registered]).when(create(T1, '  Public   protection unit ')).then([created()]);
  });
  it('a blank name is team.name-required; a name already used (case aside) is team.name-taken', () => {
    spec.given([registered]).when(create(T1, '  ')).thenFails('team.name-required');
    spec
      .given([registered, created()])
      .when(create(T2, 'PUBLIC protection UNIT'))
      .thenFails('team.name-taken');
  });
  it('a name with an invisible character is team.name-required: it would look like another team', () => {
    for (const name of ['PPU\u200b', '\u202eUPP', 'P\u00adPU', 'PPU\u0007'])
      spec.given([registered]).when(create(T1, name)).thenFails('team.name-required');
  });
  it('names that read alike are one name: compatibility forms and case aside, and an older name made invisible', () => {
    spec
      .given([registered, created(T1, 'PPU')])
      .when(create(T2, '\uff30\uff30\uff35'))
      .thenFails('team.name-taken');
    spec
      .given([registered, created(T1, 'Caf\u00e9 team')])
      .when(create(T2, 'CAFE\u0301 TEAM'))
      .thenFails('team.name-taken');
    spec
      .given([registered, created(T1, 'PPU\u200b')])
      .when(create(T2, 'ppu'))
      .thenFails('team.name-taken');
  });
  it('a retry with the same team id and name records nothing', () => {
    spec.given([registered, created()]).when(create(T1, 'Public protection unit')).then([]);
  });
  it('an unregistered organisation has no teams: organisation.not-found', () => {
    spec.given([]).when(create(T1, 'x')).thenFails('organisation.not-found');
  });
  it('adds a member of the organisation once (PUT is idempotent), refuses a user of another organisation', () => {
    spec
      .given([registered, created()])
      .when(add('u-1'))
      .then([added('u-1')]);
    spec
      .given([registered, created(), added('u-1')])
      .when(add('u-1'))
      .then([]);
    spec.given([registered, created()]).when(add('u-9', false)).thenFails('team.user-not-in-organisation');
    spec
      .given([registered, created()])
      .when(add('u-1', true, T2))
      .thenFails('team.not-found');
  });
  it('removes a member; removing a non-member records nothing (DELETE is idempotent)', () => {
    const remove: OrganisationCommand = {
      type: 'RemoveTeamMember',
      data: { teamId: T1, userId: 'u-1' },
      metadata,
    };
    spec
      .given([registered, created(), added('u-1')])
      .when(remove)
      .then([{ type: 'TeamMemberRemoved', data: { teamId: T1, userId: 'u-1' } }]);
    spec.given([registered, created()]).when(remove).then([]);
  });
  it('sets and clears the default receiving team; an unknown team is team.not-found', () => {
    const set = (teamId: string | null): OrganisationCommand => ({
      type: 'SetDefaultReceivingTeam',
      data: { teamId },
      metadata,
    });
    spec
      .given([registered, created()])
      .when(set(T1))
      .then([{ type: 'DefaultReceivingTeamSet', data: { teamId: T1 } }]);
    spec.given([registered, created()]).when(set(T2)).thenFails('team.not-found');
    const withDefault: OrganisationEvent = { type: 'DefaultReceivingTeamSet', data: { teamId: T1 } };
    spec.given([registered, created(), withDefault]).when(set(T1)).then([]);
    spec
      .given([registered, created(), withDefault])
      .when(set(null))
      .then([{ type: 'DefaultReceivingTeamSet', data: { teamId: null } }]);
  });
  it('folds membership: the teams a user belongs to', () => {
    const state = spec
      .given([registered, created(), created(T2, 'MASH'), added('u-1'), added('u-1', T2), added('u-2', T2)])
      .when({ type: 'RemoveTeamMember', data: { teamId: T1, userId: 'u-1' }, metadata })
      .thenState();
    expect(teamsOfUser(teamsOf(state), 'u-1')).toEqual([T2]);
    expect(teamsOfUser(teamsOf(state), 'u-2')).toEqual([T2]);
    expect(teamsOfUser(teamsOf(state), 'u-3')).toEqual([]);
  });
});
