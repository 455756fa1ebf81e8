import { openSync, readFileSync, statSync, writeFileSync, type WriteFileOptions } from 'node:fs';
import { CliError } from './cli-error';

/**
 * Files the user names on the command line. One that is missing, a directory, unreadable or unwritable is
 * the user's mistake, not the CLI's: one `accord: cannot read|write FILE` line and exit 1 (a bad file),
 * never "unexpected error" with a stack.
 */
export function readUserFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
}

export function readUserJson(file: string): unknown {
  const text = readUserFile(file);
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not valid JSON`);
  }
}

/** The size of a regular file the user named, read before it is streamed. */
export function userFileSize(file: string): number {
  try {
    const stat = statSync(file);
    if (stat.isFile()) return stat.size;
  } catch {
    // told below, as for a directory
  }
  throw new CliError(`cannot read ${file}`);
}

export function writeUserFile(file: string, data: string, options?: WriteFileOptions): void {
  try {
    writeFileSync(file, data, options);
  } catch {
    throw new CliError(`cannot write ${file}`);
  }
}

/** A file descriptor on a file the user named for output (`w`, or `r+` to continue it). */
export function openUserFile(file: string, flags: 'w' | 'r+'): number {
  try {
    return openSync(file, flags);
  } catch {
    throw new CliError(`cannot write ${file}`);
  }
}
