import { Command } from 'commander';
import { EXIT_CODES_HELP } from './cli-error';
import { cliVersion } from './cli-version';
import { adminCommand } from './commands/admin.command';
import { agreementsCommand } from './commands/agreements.command';
import { auditCommand } from './commands/audit.command';
import { breachCommand } from './commands/breach.command';
import { completionCommand } from './commands/completion.command';
import { incidentCommand } from './commands/incident.command';
import { inboxCommand } from './commands/inbox.command';
import { demoCommand } from './commands/demo.command';
import { fetchCommand, revokeCommand, shareCommand } from './commands/documents.command';
import { teamsCommand } from './commands/teams.command';
import { keysCommand } from './commands/keys.command';
import { meCommand } from './commands/me.command';
import { subjectCommand } from './commands/subject.command';

/**
 * The `accord` command. Each group lives in commands/<group>.command.ts and is added here; client commands
 * read `--url`/`--token` (or ACCORD_URL, ACCORD_TOKEN, ~/.config/accord/config.json) via cli-config.ts.
 * Actions import what they need when they run, so `accord --version` or a client command stays quick.
 */
export function buildProgram(): Command {
  const program = new Command('accord')
    .description('Accord: share encrypted case documents under Information Sharing Agreements')
    .version(cliVersion(), '-V, --version', 'print the version')
    .option('--url <url>', 'server URL (default: ACCORD_URL, the config file, or http://127.0.0.1:3000)')
    .option('--token <token>', 'API token (default: ACCORD_TOKEN or the config file)')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  program.addCommand(adminCommand());
  program.addCommand(meCommand());
  program.addCommand(agreementsCommand());
  program.addCommand(auditCommand());
  program.addCommand(breachCommand());
  program.addCommand(incidentCommand());
  program.addCommand(inboxCommand());
  program.addCommand(subjectCommand());
  for (const command of [keysCommand(), shareCommand(), fetchCommand(), revokeCommand()])
    program.addCommand(command);
  program.addCommand(teamsCommand());
  program.addCommand(demoCommand());
  program.addCommand(completionCommand());
  return program;
}
