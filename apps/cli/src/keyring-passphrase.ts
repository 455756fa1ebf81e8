import { readFileSync } from 'node:fs';
import { CliError } from './cli-error';

export interface PassphraseSources {
  passphraseFile?: string;
}

export interface PassphraseRequest {
  /** Said in the prompt: "passphrase for <purpose>". */
  purpose: string;
  /** Ask twice on a terminal (a new passphrase: a typo would lock the key for good). */
  confirm?: boolean;
}

/**
 * The keyring passphrase, from `--passphrase-file`, else ACCORD_PASSPHRASE, else a prompt on the terminal
 * with echo off. Never from a command-line argument: those show in `ps` and in shell history.
 */
export async function readPassphrase(
  sources: PassphraseSources,
  request: PassphraseRequest,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  let passphrase: string | undefined;
  if (sources.passphraseFile) passphrase = fromFile(sources.passphraseFile);
  else if (env.ACCORD_PASSPHRASE !== undefined) passphrase = env.ACCORD_PASSPHRASE;
  else if (process.stdin.isTTY && process.stderr.isTTY) {
    passphrase = await promptHidden(`passphrase for ${request.purpose}: `);
    if (request.confirm && (await promptHidden('again: ')) !== passphrase) {
      throw new CliError('the two passphrases differ');
    }
  } else {
    throw new CliError(
      'no passphrase: give --passphrase-file FILE or set ACCORD_PASSPHRASE (no terminal to ask on)',
    );
  }
  if (passphrase === '') throw new CliError('the passphrase is empty');
  return passphrase;
}

/** The file's first line (a trailing newline is not part of the passphrase). */
function fromFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch {
    throw new CliError(`cannot read the passphrase file ${file}`);
  }
}

function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: CliError): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (text: string): void => {
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new CliError('cancelled', 130));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
