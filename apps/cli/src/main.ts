import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './cli-error';
import { buildProgram } from './program';

async function main(argv: string[]): Promise<void> {
  const program = throwInsteadOfExit(buildProgram());
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

/**
 * Commander exits the process itself on a usage error unless told not to, command by command (a command
 * made with `new Command()` and added does not inherit it): every one throws instead, so main picks the
 * exit code.
 */
function throwInsteadOfExit(command: Command): Command {
  command.exitOverride();
  for (const sub of command.commands) throwInsteadOfExit(sub);
  return command;
}

/** The platform's errors an operator acts on (by name: the CLI loads the platform only when a command needs it). */
const ONE_LINE_ERRORS = new Set(['ConfigError', 'ReadModelsInUseError', 'EventStoreUnavailableError']);

/** Known failures are one line for the user; anything else is a bug, shown with its stack. */
function exitCodeFor(error: unknown): number {
  // Commander has printed its message. Help and --version asked for are success; anything else it rejects
  // (unknown command or option, missing argument, a group named without a subcommand) is a usage error.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof CliError) {
    process.stderr.write(`accord: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof Error && ONE_LINE_ERRORS.has(error.name)) {
    process.stderr.write(`accord: ${error.message}\n`);
    return EXIT.failure;
  }
  process.stderr.write(
    `accord: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.failure;
}

void main(process.argv);
