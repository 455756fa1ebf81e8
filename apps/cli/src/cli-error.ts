/**
 * The CLI's exit codes, one per kind of failure a script may want to tell apart (listed in `accord --help`).
 * A problem answer from the server maps by its status (exitCodeForStatus).
 */
export const EXIT = {
  ok: 0,
  /** Anything else: a failed check, a bad file, a server error, a bug. */
  failure: 1,
  /** The command line is wrong: unknown command or option, missing or malformed argument. */
  usage: 2,
  /** No token, or the server did not accept it (401). */
  notAuthenticated: 3,
  /** The server refused it under a rule: role, agreement, policy, state, a limit (403, 409, 413, 422, 428, 429). */
  refused: 4,
  /** No such thing, or no longer there (404, 410). */
  notFound: 5,
  /** The server could not be reached at all. */
  unreachable: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The `EXIT CODES` section of `accord --help`. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  failure (a failed check, a bad file, a server error)
  2  usage error (unknown command or option, missing or malformed argument)
  3  not authenticated (no token, or the server did not accept it)
  4  refused by a rule (role, agreement, policy or state: HTTP 403, 409, 413, 422)
  5  not found (HTTP 404, or 410 for a destroyed or erased document)
  6  server unreachable`;

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401) return EXIT.notAuthenticated;
  if ([403, 409, 413, 422, 428, 429].includes(status)) return EXIT.refused;
  if (status === 404 || status === 410) return EXIT.notFound;
  if (status === 400) return EXIT.usage;
  return EXIT.failure;
}

/** A failure the user can act on: printed as one `accord: ...` line, no stack, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A malformed argument or option value, found after the parser accepted the command line (exit 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

export const noTokenError = (): CliError =>
  new CliError(
    'no API token: pass --token, set ACCORD_TOKEN, or put "token" in the config file',
    EXIT.notAuthenticated,
  );

export const unreachableError = (url: string): CliError =>
  new CliError(`cannot reach the server at ${url}`, EXIT.unreachable);
