import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The lint is type-aware (docs/architecture.md §20.11): a promise nobody awaits, an async callback where a
 * void one is expected, an await of a plain value. This runs the repository's own ESLint configuration over
 * a fixture holding each mistake, so switching a rule off, or losing the type information it needs, fails here.
 */

const root = join(__dirname, '..', '..');
const FIXTURE = join(__dirname, 'fixtures', 'promise-mistakes.ts');

type Message = { ruleId: string | null; line: number; message: string };

function lint(file: string): Message[] {
  // The fixture is ignored by `npm run lint` (its mistakes are deliberate); --no-ignore lints it here.
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--no-ignore', '--format', 'json', file],
    { cwd: root, encoding: 'utf8' },
  );
  if (run.stdout.trim() === '') throw new Error(`eslint printed no report: ${run.stderr}`);
  const [report] = JSON.parse(run.stdout) as { messages: Message[] }[];
  return report!.messages;
}

/** The lines marked `// expect: <rule>` in the fixture, as "line rule". */
function expected(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text, i) => {
      const m = /\/\/ expect: ([\w-]+)$/.exec(text);
      return m ? [`${i + 1} @typescript-eslint/${m[1]}`] : [];
    });
}

it('reports every promise mistake in the fixture, and nothing on the awaited forms beside them', () => {
  const messages = lint(FIXTURE);
  expect(messages.filter((m) => m.ruleId === null)).toEqual([]); // a parse or project error hides every rule
  const want = expected(FIXTURE);
  expect(want).toHaveLength(3);
  expect(messages.map((m) => `${m.line} ${m.ruleId}`).sort()).toEqual(want.sort());
});
