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
