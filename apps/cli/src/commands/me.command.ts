import { Command, InvalidArgumentError } from 'commander';
import { ClientFlags, resolveClientSettings } from '../cli-config';
import { CliError, EXIT } from '../cli-error';
import { callApi } from '../http-client';
import { JSON_OPTION, printJson } from '../output';

interface Me {
  user: { id: string; name: string; email: string; role: string; orgId: string | null; status: string };
  organisation: { id: string; name: string } | null;
  accessAgreement: {
    currentVersion: number;
    acceptedVersion: number | null;
    accepted: boolean;
    title: string;
    terms: string[];
  };
}

const settingsOf = (cmd: Command) => resolveClientSettings(cmd.optsWithGlobals<ClientFlags>());
const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** `accord me ...`: the caller's own account (GET /me) and the access agreement every user accepts. */
export function meCommand(): Command {
  const me = new Command('me').description('your own account and the access agreement');

  me.command('show')
    .description('who the token belongs to: user, organisation, role, access agreement state')
    .option(...JSON_OPTION)
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const m = await callApi<Me>(settingsOf(cmd), 'GET', '/me');
      if (opts.json) return printJson(m);
      out(`${m.user.name} <${m.user.email}>  ${m.user.role}  ${m.organisation?.id ?? 'platform'}`);
      const a = m.accessAgreement;
      out(
        `access agreement: version ${a.currentVersion}, ` +
          (a.accepted ? 'accepted' : `not accepted (accepted: ${a.acceptedVersion ?? 'none'})`),
      );
    });

  me.command('accept-access-agreement')
    .description(
      'accept the access agreement (needed before any document or audit call): the current version, ' +
        'read from GET /me, unless --agreement-version names one',
    )
    .option('--agreement-version <n>', 'the version you read (refused unless it is the current one)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
      return n;
    })
    .option(...JSON_OPTION)
    .action(async (opts: { agreementVersion?: number; json?: boolean }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const current = await callApi<Me>(settings, 'GET', '/me');
      const agreement = current.accessAgreement;
      const version = opts.agreementVersion ?? agreement.currentVersion;
      if (!opts.json) {
        // What is being accepted, on stderr: stdout stays the result.
        process.stderr.write(`${agreement.title} (version ${agreement.currentVersion}):\n`);
        for (const term of agreement.terms) process.stderr.write(`  - ${term}\n`);
      }
      const accepted = await callApi<{ version: number; accepted: boolean }>(
        settings,
        'POST',
        '/me/access-agreement',
        { body: { version } },
      );
      if (!accepted.accepted) {
        throw new CliError(`the server did not record version ${version} as accepted`, EXIT.failure);
      }
      if (opts.json) return printJson({ ...accepted, title: agreement.title, terms: agreement.terms });
      out(`accepted the access agreement, version ${accepted.version}`);
    });

  me.command('exchange-token')
    .description(
      "swap the token you were given for one nobody else has seen: an IG lead enrolled by the platform admin " +
        'holds an enrolment token, which can do nothing else and is revoked by the swap; prints the new token once',
    )
    .option(...JSON_OPTION)
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const current = await callApi<Me>(settings, 'GET', '/me');
      const issued = await callApi<{ userId: string; tokenId: string; token: string }>(
        settings,
        'POST',
        `/users/${encodeURIComponent(current.user.id)}/tokens`,
      );
      if (opts.json) return printJson(issued);
      out(issued.token);
      process.stderr.write('the token you used is revoked if it was an enrolment token; keep this one safe\n');
    });

  return me;
}
