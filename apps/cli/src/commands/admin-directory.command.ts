import { Command } from 'commander';
import { ClientFlags, resolveClientSettings } from '../cli-config';
import { callApi } from '../http-client';
import { JSON_OPTION, printJson } from '../output';

interface Organisation {
  id: string;
  name: string;
  kind: string;
  jurisdiction: string;
  icoRegistration: string | null;
}

interface User {
  id: string;
  orgId: string | null;
  name: string;
  email: string;
  role: string;
  status: string;
  accessAgreementVersion: number | null;
}

const settingsOf = (cmd: Command) => resolveClientSettings(cmd.optsWithGlobals<ClientFlags>());
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const hint = (line: string): void => void process.stderr.write(`${line}\n`);

/** `accord admin org register|list`, over the HTTP API. */
export function adminOrgCommand(): Command {
  const org = new Command('org').description('partner organisations');
  org
    .command('register <id>')
    .description('register an organisation (admin)')
    .requiredOption('--name <name>', 'full name, e.g. "Staffordshire County Council"')
    .requiredOption('--kind <kind>', 'local-authority, police, health, education, ...')
    .requiredOption('--jurisdiction <code>', 'GB-ENG, GB-WLS, GB-SCT, GB-NIR, or a country code')
    .option('--ico <number>', 'ICO registration number (required in the UK)')
    .option(...JSON_OPTION)
    .action(
      async (
        id: string,
        opts: { name: string; kind: string; jurisdiction: string; ico?: string; json?: boolean },
        cmd: Command,
      ) => {
        const body = {
          id,
          name: opts.name,
          kind: opts.kind,
          jurisdiction: opts.jurisdiction,
          icoRegistration: opts.ico ?? null,
        };
        const created = await callApi<{ id: string }>(settingsOf(cmd), 'POST', '/organisations', { body });
        if (opts.json) return printJson(created);
        out(created.id);
      },
    );
  org
    .command('list')
    .description('list organisations')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { items } = await callApi<{ items: Organisation[] }>(settingsOf(cmd), 'GET', '/organisations');
      if (opts.json) return out(JSON.stringify(items, null, 2));
      for (const o of items) out([o.id, o.jurisdiction, o.kind, o.icoRegistration ?? '-', o.name].join('\t'));
    });
  return org;
}

/** `accord admin user enrol|list|suspend|reinstate`, over the HTTP API. */
export function adminUserCommand(): Command {
  const user = new Command('user').description('users and their access');
  user
    .command('enrol')
    .description('enrol a user; prints their API token once (platform admins: --org platform --role admin)')
    .requiredOption('--org <id>', 'organisation id')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--email <email>', 'work email address')
    .requiredOption('--role <role>', 'ig-lead, practitioner, auditor (or admin, with --org platform)')
    .option('--json', 'print JSON {userId, tokenId, token}')
    .action(
      async (
        opts: { org: string; name: string; email: string; role: string; json?: boolean },
        cmd: Command,
      ) => {
        const enrolled = await callApi<{ userId: string; tokenId: string; token: string }>(
          settingsOf(cmd),
          'POST',
          `/organisations/${encodeURIComponent(opts.org)}/users`,
          { body: { name: opts.name, email: opts.email, role: opts.role } },
        );
        if (opts.json) return out(JSON.stringify(enrolled, null, 2));
        out(enrolled.token);
        hint(`enrolled user ${enrolled.userId}; the token above is shown once: hand it over securely`);
      },
    );
  user
    .command('list')
    .description("list an organisation's users (--org platform: the admins)")
    .requiredOption('--org <id>', 'organisation id')
    .option('--json', 'print JSON')
    .action(async (opts: { org: string; json?: boolean }, cmd: Command) => {
      const path = `/organisations/${encodeURIComponent(opts.org)}/users`;
      const { items } = await callApi<{ items: User[] }>(settingsOf(cmd), 'GET', path);
      if (opts.json) return out(JSON.stringify(items, null, 2));
      for (const u of items) {
        const agreement =
          u.accessAgreementVersion === null ? 'not-accepted' : `accepted-v${u.accessAgreementVersion}`;
        out([u.id, u.role, u.status, agreement, u.name, u.email].join('\t'));
      }
    });
  for (const [name, method, verb] of [
    ['suspend', 'POST', 'suspended'],
    ['reinstate', 'DELETE', 'reinstated'],
  ] as const) {
    user
      .command(`${name} <userId>`)
      .description(
        name === 'suspend' ? 'suspend a user and revoke all their tokens' : 'reinstate a suspended user',
      )
      .requiredOption('--reason <reason>', 'why (recorded in the audit trail)')
      .option(...JSON_OPTION)
      .action(async (userId: string, opts: { reason: string; json?: boolean }, cmd: Command) => {
        const path = `/users/${encodeURIComponent(userId)}/suspension`;
        const updated = await callApi<User>(settingsOf(cmd), method, path, { body: { reason: opts.reason } });
        if (opts.json) return printJson(updated);
        out(`${userId} ${verb}`);
        if (name === 'reinstate')
          hint('their old tokens stay revoked: issue a new one (POST /users/:id/tokens)');
      });
  }
  user
    .command('training <userId>')
    .description("record a user's data-protection training (the user, or their IG lead)")
    .requiredOption('--course <name>', 'the course, e.g. "Data Security Awareness Level 1"')
    .requiredOption('--completed-on <date>', 'YYYY-MM-DD, not after today')
    .option(...JSON_OPTION)
    .action(
      async (userId: string, opts: { course: string; completedOn: string; json?: boolean }, cmd: Command) => {
        const recorded = await callApi<{ userId: string; course: string; completedOn: string }>(
          settingsOf(cmd),
          'POST',
          `/users/${encodeURIComponent(userId)}/training`,
          { body: { course: opts.course, completedOn: opts.completedOn } },
        );
        if (opts.json) return printJson(recorded);
        out(`${recorded.userId} trained ${recorded.completedOn}: ${recorded.course}`);
      },
    );
  return user;
}
