/** A feature's refusal table: stable code -> [HTTP status, title]. */
export type CodedErrorEntry = readonly [status: number, title: string];

/** Values safe to show to a caller: codes, ids, counts. Never names, emails, keys or content. */
export type CodedErrorExtra = Record<string, string | number | boolean | string[]>;

/**
 * The shape every coded error has (stable `code`, `status`, `title`, `detail`, `extra`), so the one problem
 * filter renders each feature's refusals with their own type. A feature declares its table and a subclass
 * of one line; the detail defaults to the title, so nothing a caller typed is echoed unless chosen.
 */
export abstract class CodedError<Code extends string> extends Error {
  readonly status: number;
  readonly title: string;

  protected constructor(
    name: string,
    table: Readonly<Record<Code, CodedErrorEntry>>,
    readonly code: Code,
    readonly detail: string = table[code][1],
    readonly extra?: CodedErrorExtra,
  ) {
    super(`${code}: ${detail}`);
    this.name = name;
    this.status = table[code][0];
    this.title = table[code][1];
  }
}
