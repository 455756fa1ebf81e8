import { Command } from 'commander';
import { buildProgram } from './program';

/** Commands that print no result a script would parse: a shell script, and the guided demo's narration. */
const NO_RESULT = new Set(['completion', 'demo']);

function leaves(command: Command, path: string[] = []): { path: string; command: Command }[] {
  if (command.commands.length === 0) return [{ path: path.join(' '), command }];
  return command.commands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
}

describe('the accord command tree', () => {
  it('offers --json on every command that prints a result', () => {
    const missing = leaves(buildProgram())
      .filter(({ path }) => !NO_RESULT.has(path))
      .filter(({ command }) => !command.options.some((o) => o.long === '--json'))
      .map(({ path }) => path);
    expect(missing).toEqual([]);
  });

  it('lists the exit codes in accord --help', () => {
    let help = '';
    const program = buildProgram().configureOutput({ writeOut: (s) => (help += s) });
    program.outputHelp();
    for (const code of ['0', '1', '2', '3', '4', '5', '6'])
      expect(help).toMatch(new RegExp(`^ {2}${code} {2}\\S`, 'm'));
  });
});
