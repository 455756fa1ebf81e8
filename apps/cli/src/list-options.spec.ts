import { Command, Option } from 'commander';
import { buildProgram } from './program';

/** Every command of the program, depth first, with its full name (`breach report`). */
function commands(root: Command, prefix = ''): { name: string; command: Command }[] {
  return root.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`;
    return [{ name, command: c }, ...commands(c, `${name} `)];
  });
}

/** The options that take a list: variadic ones, and any whose help calls them repeatable or plural. */
const listOptions = commands(buildProgram()).flatMap(({ name, command }) =>
  command.options
    .filter((o: Option) => o.variadic || /repeatable/i.test(o.description))
    .map((o: Option) => [`${name} ${o.long}`, command, o] as const),
);

/** Parses argv against one command, its action replaced by a capture of the options. */
function parsed(command: Command, argv: string[]): Record<string, unknown> {
  let seen: Record<string, unknown> = {};
  command.exitOverride();
  command.action((...args: unknown[]) => {
    seen = (args[args.length - 1] as Command).opts();
  });
  command.parse(argv, { from: 'user' });
  return seen;
}

describe('CLI list options: several values and repetition alike, none lost', () => {
  it('finds the list options of breach report and share', () => {
    expect(listOptions.map(([n]) => n)).toEqual(
      expect.arrayContaining([
        'breach report --document',
        'breach report --category',
        'share --to',
        'share --category',
        'share --subject',
      ]),
    );
  });

  it.each(listOptions.map(([n, c, o]) => [n, c, o]))('%s is variadic', (_n, _c, option) => {
    expect((option as Option).variadic).toBe(true);
  });

  it('breach report --category name health keeps both, and so do repeated flags', () => {
    const report = () =>
      buildProgram()
        .commands.find((c) => c.name() === 'breach')!
        .commands.find((c) => c.name() === 'report')!;
    const base = ['--discovered-at', '2026-01-01T00:00:00Z', '--description', 'd', '--severity', 'low'];
    const several = parsed(report(), [...base, '--category', 'name', 'health', '--document', 'a', 'b']);
    expect(several.category).toEqual(['name', 'health']);
    expect(several.document).toEqual(['a', 'b']);
    const repeated = parsed(report(), [...base, '--category', 'name', '--category', 'health', 'race']);
    expect(repeated.category).toEqual(['name', 'health', 'race']);
  });

  it('share --to a b --to c keeps all three', () => {
    const share = buildProgram().commands.find((c) => c.name() === 'share')!;
    const opts = parsed(share, [
      'file.pdf',
      '--agreement',
      'x',
      '--purpose',
      'p',
      '--nature',
      'fact',
      '--to',
      'a',
      'b',
      '--to',
      'c',
      '--category',
      'name',
      '--category',
      'health',
    ]);
    expect(opts.to).toEqual(['a', 'b', 'c']);
    expect(opts.category).toEqual(['name', 'health']);
  });
});
