import { Command } from 'commander';
import { ClientFlags, resolveClientSettings } from '../cli-config';
import { callApi } from '../http-client';
import { JSON_OPTION, printJson } from '../output';

interface Team {
  id: string;
  name: string;
  members?: string[];
  default: boolean;
}

const settingsOf = (cmd: Command) => resolveClientSettings(cmd.optsWithGlobals<ClientFlags>());
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const teamsPath = (org: string, suffix = '') => `/organisations/${encodeURIComponent(org)}${suffix}`;

/** `<id>\t<name>[\tdefault][\t<members>]`: one team a line. */
export function teamLine(t: Team): string {
  return [t.id, t.name, ...(t.default ? ['default'] : []), ...(t.members ? [t.members.join(',')] : [])].join(
    '\t',
  );
}

/**
 * `accord teams ...` (docs/architecture.md §24): an IG lead manages the organisation's teams and its default
 * receiving team; anyone lists a partner's teams to address a share to them (`accord share --team org:id`).
 */
export function teamsCommand(): Command {
  const teams = new Command('teams').description("an organisation's teams: need-to-know inside it");

  teams
    .command('list <org>')
    .description("the organisation's teams (members shown to its own IG lead)")
    .option(...JSON_OPTION)
    .action(async (org: string, opts: { json?: boolean }, cmd: Command) => {
      const list = await callApi<{ items: Team[] }>(settingsOf(cmd), 'GET', teamsPath(org, '/teams'));
      if (opts.json) return printJson(list);
      for (const t of list.items) out(teamLine(t));
    });

  teams
    .command('create <org>')
    .description('create a team; prints its id')
    .requiredOption('--name <name>', 'the team name, unique in the organisation')
    .option(...JSON_OPTION)
    .action(async (org: string, opts: { name: string; json?: boolean }, cmd: Command) => {
      const team = await callApi<Team>(settingsOf(cmd), 'POST', teamsPath(org, '/teams'), {
        body: { name: opts.name },
      });
      if (opts.json) return printJson(team);
      out(team.id);
    });

  for (const [name, method, what] of [
    ['add', 'PUT', 'add a user of the organisation to a team'],
    ['remove', 'DELETE', 'remove a user from a team'],
  ] as const) {
    teams
      .command(`${name} <org> <teamId> <userId>`)
      .description(what)
      .option(...JSON_OPTION)
      .action(async (org: string, teamId: string, userId: string, opts: { json?: boolean }, cmd: Command) => {
        const path = teamsPath(
          org,
          `/teams/${encodeURIComponent(teamId)}/members/${encodeURIComponent(userId)}`,
        );
        const team = await callApi<Team>(settingsOf(cmd), method, path);
        if (opts.json) return printJson(team);
        out(teamLine(team));
      });
  }

  teams
    .command('default <org> <teamId>')
    .description(
      "set the team that receives shares naming none of the organisation's teams ('none' clears it)",
    )
    .option(...JSON_OPTION)
    .action(async (org: string, teamId: string, opts: { json?: boolean }, cmd: Command) => {
      const set = await callApi<{ defaultTeam: string | null }>(
        settingsOf(cmd),
        'PUT',
        teamsPath(org, '/default-team'),
        { body: { teamId: teamId === 'none' ? null : teamId } },
      );
      if (opts.json) return printJson(set);
      out(`default receiving team: ${set.defaultTeam ?? 'none (the whole organisation)'}`);
    });

  return teams;
}
