/** Trimmed value, or undefined when blank or not a string (input from the edge is untrusted). */
export function nonBlank(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

/**
 * Whether `value` holds a control character or an invisible format character (a zero-width space, a bidi
 * mark, a soft hyphen): in a name or a reference, such a character makes two values that read alike differ.
 */
export function hasInvisibleCharacters(value: string): boolean {
  return /[\p{Cc}\p{Cf}]/u.test(value);
}

/**
 * Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) as their code points: "[U+202E]".
 * Free text users type (a document's or an agreement's title, a reason) may carry them, and one reorders
 * what follows on screen ("Invoice\u202Efdp.exe" reads "Invoiceexe.pdf"), so a reader would see something
 * else than what was written. Such text is kept as typed (refusing every format character would refuse the
 * joiners and direction marks other scripts need, and what was stored before must still be shown safely);
 * it is made visible where it is shown: the api's pages through escapeHtml, the browser app through its
 * UserText component, both calling this.
 */
export function showBidiControls(value: string): string {
  return value.replace(
    /[\u202A-\u202E\u2066-\u2069]/g,
    (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase()}]`,
  );
}

/** Keeps the first occurrence; order matters to readers of the register. */
export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

export function isSubset<T>(values: readonly T[], of: readonly T[]): boolean {
  const set = new Set(of);
  return values.every((v) => set.has(v));
}

export function outside<T>(values: readonly T[], of: readonly T[]): T[] {
  const set = new Set(of);
  return values.filter((v) => !set.has(v));
}
