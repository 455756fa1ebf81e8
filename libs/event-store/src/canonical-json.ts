/**
 * RFC 8785 (JSON Canonicalization Scheme): object keys sorted by UTF-16 code units, no whitespace, numbers
 * and strings serialised as ECMAScript's JSON.stringify does (which is what the RFC specifies).
 *
 * Every append and every verification runs this over each event, so it builds one string in loops rather
 * than arrays to join, skips JSON.stringify for strings with nothing to escape (about twice as fast), keeps
 * the quoted form of the keys it meets (events repeat the same few dozen) and sorts the few keys of an
 * event's objects by insertion: together about 30% less time per event than quoting and Array#sort.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot hold a non-finite number');
      // Number::toString is what JSON.stringify and RFC 8785 section 3.2.2.3 use (and -0 becomes "0").
      return String(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const v: unknown = value[i];
          out += v === undefined ? 'null' : canonicalJson(v);
        }
        return out + ']';
      }
      const obj = value as Record<string, unknown>;
      return openObject(sortKeys(Object.keys(obj)), obj) + '}';
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

/**
 * canonicalJson({ ...obj, [key]: value }) with the member `omit` left out, but without its closing brace, and
 * without building that copy: how sealing writes every event's meta (prevHash set, a caller's stray hash left
 * out, the event's own hash appended after). The copy and its serialisation cost about a tenth of sealing an
 * event (docs/architecture.md §37.8). `value` must not be undefined; the result always has `key`.
 */
export function canonicalObjectOpen(obj: unknown, key: string, value: unknown, omit: string): string {
  // Object.keys takes what a spread copies (own enumerable string keys), of a primitive too; null has none.
  const all = obj === null || obj === undefined ? [] : Object.keys(obj);
  const keys: string[] = [key];
  for (let i = 0; i < all.length; i++) {
    const k = all[i]!;
    if (k !== key && k !== omit) keys.push(k);
  }
  return openObject(sortKeys(keys), obj as Record<string, unknown>, key, value);
}

/**
 * `{` and the members of `source` under `keys` (sorted), in order, members whose value is undefined left out,
 * without the closing brace; `key`, if given, takes `value` in place of the source's own.
 */
function openObject(keys: string[], source: Record<string, unknown>, key?: string, value?: unknown): string {
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = k === key ? value : source[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += member(k) + canonicalJson(v);
  }
  return out;
}

/**
 * A string with no quote, backslash, control character or surrogate: one that JSON.stringify would only wrap
 * in quotes. The rest is left to JSON.stringify's escaping. Matching the clean run whole, anchored, costs
 * about half of searching for the first character to escape (20-40 ns for a UUID, 80 for a title of 110
 * characters, docs/architecture.md §37.13): irregexp runs `[^…]*` as one loop, where an unanchored search
 * starts the class again at every position.
 */
// eslint-disable-next-line no-control-regex
const NOTHING_TO_ESCAPE = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function quote(s: string): string {
  return NOTHING_TO_ESCAPE.test(s) ? '"' + s + '"' : JSON.stringify(s);
}

/**
 * Sorted by UTF-16 code units, as RFC 8785 section 3.2.3 requires: that is what `<` on strings and the
 * default Array#sort compare. Insertion sort wins on the handful of keys an event's objects have.
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** Quoted keys with their colon. Bounded, so a stream of ever-new keys cannot grow it without limit. */
const members = new Map<string, string>();
const MAX_MEMBERS = 4096;

function member(key: string): string {
  let m = members.get(key);
  if (m === undefined) {
    m = quote(key) + ':';
    if (members.size < MAX_MEMBERS) members.set(key, m);
  }
  return m;
}
