/** `--json` on every command that prints a result: the result as one JSON document on stdout, nothing else. */
export const JSON_OPTION = ['--json', 'print the result as JSON'] as const;

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
