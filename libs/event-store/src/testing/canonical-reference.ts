/**
 * RFC 8785's canonical JSON written plainly (JSON.stringify for every string and number, keys filtered and
 * sorted with Array#sort, arrays mapped and joined): the definition the optimised serialiser and sealing are
 * compared with on random values. Tests only.
 */
export function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return '[' + value.map((v) => referenceCanonicalJson(v === undefined ? null : v)).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + referenceCanonicalJson(obj[k])).join(',') + '}';
}
