/**
 * RFC 8785 (JSON Canonicalization Scheme): object keys sorted by UTF-16 code units, no whitespace, numbers
 * and strings serialised as ECMAScript's JSON.stringify does (which is what the RFC specifies).
 *
 * Every append and every verification runs this over each event, so it builds one string in loops rather
 * than arrays to join, skips JSON.stringify for strings with nothing to escape (about twice as fast), keeps
 * each object shape's sorted keys and member texts (events repeat the same few shapes), and appends as few
 * pieces as it can, since each is one more node of the rope that hashing flattens (docs/architecture.md
 * §37.13: about 40% less time per event than quoting each key and value and sorting each object's keys).
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
        let out = '';
        let state = NOTHING_WRITTEN;
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i];
          if (typeof v === 'string' && NOTHING_TO_ESCAPE.test(v)) {
            out += BEFORE_ARRAY_STRING[state] + v;
            state = QUOTE_PENDING;
          } else {
            out += BEFORE_ARRAY_VALUE[state] + (v === undefined ? 'null' : canonicalJson(v));
            state = VALUE_WRITTEN;
          }
        }
        return out + CLOSE_ARRAY[state];
      }
      const keys = Object.keys(value);
      if (keys.length === 0) return '{}';
      return writeObject(shapeOf(keys), value as Record<string, unknown>, CLOSE_OBJECT);
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
  const shape = all.length === 0 ? EMPTY : shapeOf(all);
  let opened = shape.opened;
  if (opened === undefined || opened.key !== key || opened.omit !== omit) {
    const keys: string[] = [key];
    for (let i = 0; i < all.length; i++) {
      const k = all[i]!;
      if (k !== key && k !== omit) keys.push(k);
    }
    opened = { key, omit, shape: newShape(keys, sortKeys(keys)) };
    // The last (key, omit) asked for: sealing asks for one pair only.
    if (shape.cached) shape.opened = opened;
  }
  return writeObject(opened.shape, obj as Record<string, unknown>, LEAVE_OBJECT_OPEN, key, value);
}

/**
 * Where a text being written stands: nothing written yet, a value written whole, or a plain string written
 * without its closing quote, which goes into the text written next. Every piece appended is one more node of
 * the rope that hashing then flattens (about 11 ns each, to make and to copy), so a plain string is appended
 * as one piece with its opening quote and the key before it, its closing quote with the comma, key and
 * opening quote after it: two pieces, where quoting it apart took four (docs/architecture.md §37.13).
 */
type State = 0 | 1 | 2;
const NOTHING_WRITTEN = 0;
const VALUE_WRITTEN = 1;
const QUOTE_PENDING = 2;

/** What comes before a member's key, by state. */
const BEFORE_MEMBER = ['{', ',', '",'] as const;
const BEFORE_ARRAY_VALUE = ['[', ',', '",'] as const;
const BEFORE_ARRAY_STRING = ['["', ',"', '","'] as const;
const CLOSE_ARRAY = ['[]', ']', '"]'] as const;
/** How writeObject ends an object: closed, or left open for the caller to append members (canonicalObjectOpen). */
const CLOSE_OBJECT = ['{}', '}', '"}'] as const;
const LEAVE_OBJECT_OPEN = ['{', '', '"'] as const;

/**
 * What serialising an object whose Object.keys are exactly `keys` (in that order) takes: the keys sorted, and
 * the text before each sorted key's value (see writeObject). Objects of one shape recur (every event of a type
 * has the same data keys, every meta the same few), so this is kept per key sequence rather than redone per
 * object: the sort, a map look-up per key, and the concatenations of commas and quotes. Kept by the exact
 * sequence of keys, compared key by key, so an object is served the shape of its own keys or none: never
 * another object's (docs/architecture.md §37.13).
 */
interface Shape {
  readonly keys: readonly string[];
  readonly sorted: readonly string[];
  /** For sorted key i, the text before its value at `i * 6 + state * 2 + (1 if the value is a plain string)`. */
  readonly before: readonly string[];
  /** Whether the shape is held in `shapes` (so worth extending with `opened`). */
  cached: boolean;
  /** canonicalObjectOpen's shape for these keys with `key` set and `omit` left out. */
  opened?: { readonly key: string; readonly omit: string; readonly shape: Shape };
}

function newShape(keys: readonly string[], sorted: readonly string[]): Shape {
  const before = new Array<string>(sorted.length * 6);
  for (let i = 0; i < sorted.length; i++) {
    const m = member(sorted[i]!);
    for (let state = 0; state < 3; state++) {
      before[i * 6 + state * 2] = BEFORE_MEMBER[state] + m;
      before[i * 6 + state * 2 + 1] = BEFORE_MEMBER[state] + m + '"';
    }
  }
  return { keys, sorted, before, cached: false };
}

const EMPTY: Shape = { ...newShape([], []), cached: true };

/**
 * Shapes by their first key, a few each. Bounded in count, in keys per shape and in the keys' length, so
 * objects of ever-new or huge keys cannot grow it without limit (at most about 1,024 × 1,024 characters of
 * keys, each held in a few texts): past the bounds a shape is built for the object and dropped.
 */
const shapes = new Map<string, Shape[]>();
let shapeCount = 0;
const MAX_SHAPES = 1024;
const MAX_SHAPES_PER_FIRST_KEY = 8;
const MAX_SHAPE_KEYS = 64;
const MAX_SHAPE_KEY_CHARS = 1024;

function shapeOf(keys: string[]): Shape {
  const first = keys[0]!;
  const candidates = shapes.get(first);
  if (candidates !== undefined) {
    for (let c = 0; c < candidates.length; c++) {
      const shape = candidates[c]!;
      if (sameKeys(shape.keys, keys)) return shape;
    }
  }
  const shape = newShape(keys, sortKeys(keys.slice()));
  if (shapeCount < MAX_SHAPES && keys.length <= MAX_SHAPE_KEYS && keyChars(keys) <= MAX_SHAPE_KEY_CHARS) {
    if (candidates === undefined) shapes.set(first, [shape]);
    else if (candidates.length < MAX_SHAPES_PER_FIRST_KEY) candidates.push(shape);
    else return shape;
    shape.cached = true;
    shapeCount++;
  }
  return shape;
}

function keyChars(keys: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < keys.length; i++) n += keys[i]!.length;
  return n;
}

/** Whether two key sequences whose first keys are equal (the map's key) are equal. */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 1; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The members of `source` under the shape's sorted keys, in order, members whose value is undefined left out,
 * ended with `end[state]`; `key`, if given, takes `value` in place of the source's own.
 */
function writeObject(
  shape: Shape,
  source: Record<string, unknown>,
  end: readonly [string, string, string],
  key?: string,
  value?: unknown,
): string {
  const { sorted, before } = shape;
  let out = '';
  let state: State = NOTHING_WRITTEN;
  for (let i = 0; i < sorted.length; i++) {
    const k = sorted[i]!;
    const v = k === key ? value : source[k];
    if (v === undefined) continue;
    if (typeof v === 'string' && NOTHING_TO_ESCAPE.test(v)) {
      out += before[i * 6 + state * 2 + 1]! + v;
      state = QUOTE_PENDING;
    } else {
      out += before[i * 6 + state * 2]! + canonicalJson(v);
      state = VALUE_WRITTEN;
    }
  }
  return out + end[state];
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
