import { EventMeta, JsonObject, RecordedEvent } from '../../envelope';
import type { ReadAllOptions } from '../../event-store.port';
import { EventRow } from './sqlite.schema';

/** The envelope of a stored row, data and meta decoded. */
export function toRecorded(r: EventRow): RecordedEvent {
  return {
    eventId: r[1],
    type: r[4],
    streamId: r[2],
    revision: r[3],
    data: JSON.parse(r[5]) as JsonObject,
    meta: JSON.parse(r[6]) as EventMeta,
    position: r[0],
  };
}

/**
 * The envelope of a stored row with `data` and `meta` decoded on first read. JSON.parse of those two columns
 * is most of the cost of reading an event, and a projector replaying the log often looks at `type` only or
 * skips events its projections do not handle (benchmark (b)). They are own, enumerable accessor properties of
 * a plain object, so spreading, JSON.stringify, structuredClone and deep equality see them as before, and
 * assigning to them works. Defining them costs about half a parse, though: see PageDecoder.
 */
export function toLazyRecorded(r: EventRow): RecordedEvent {
  const e = { eventId: r[1], type: r[4], streamId: r[2], revision: r[3], position: r[0] };
  Object.defineProperty(e, STORED, { value: { data: r[5], meta: r[6] } satisfies StoredText });
  Object.defineProperty(e, 'data', DATA);
  Object.defineProperty(e, 'meta', META);
  return e as RecordedEvent;
}

/**
 * Decodes the pages of one reader (a subscription, a readAll pass) lazily or not, by what the reader did with
 * its last lazily decoded page: if it read the data or meta of most events, decoding up front is cheaper, so
 * the next pages are decoded up front, with a lazy page now and then to notice when that changes. Either way
 * the events are the same; only the cost differs.
 */
export class PageDecoder {
  private lastLazy: RecordedEvent[] | undefined;
  private eagerPages = 0;

  /** `eager`: every page decoded up front, for a reader that says it reads every event (ReadAllOptions). */
  constructor(private readonly mode: 'eager' | 'adaptive' = 'adaptive') {}

  decode(rows: EventRow[]): RecordedEvent[] {
    if (this.mode === 'eager') return rows.map(decodedOrLazy);
    if (this.lastLazy) {
      this.eagerPages = mostlyRead(this.lastLazy) ? EAGER_PAGES_BETWEEN_PROBES : 0;
      this.lastLazy = undefined;
    }
    const out = new Array<RecordedEvent>(rows.length);
    if (this.eagerPages > 0) {
      this.eagerPages--;
      for (let i = 0; i < rows.length; i++) out[i] = decodedOrLazy(rows[i]!);
      return out;
    }
    for (let i = 0; i < rows.length; i++) out[i] = toLazyRecorded(rows[i]!);
    this.lastLazy = out;
    return out;
  }
}

/** A row that does not decode (altered by hand) fails where it is read, as a lazy one would, not the page. */
function decodedOrLazy(r: EventRow): RecordedEvent {
  try {
    return toRecorded(r);
  } catch {
    return toLazyRecorded(r);
  }
}

/**
 * `readAll` over a reader of pages by position (`readPage(decoder, after, limit)`), shared by the SQLite and
 * PostgreSQL adapters; `limit` caps the number of events over all pages.
 */
export async function* readAllInPages(
  readPage: (
    decoder: PageDecoder,
    after: number,
    limit: number,
  ) => RecordedEvent[] | Promise<RecordedEvent[]>,
  options: ReadAllOptions,
  pageSize: number,
): AsyncIterable<RecordedEvent[]> {
  let after = options.after ?? 0;
  let remaining = options.limit ?? Infinity;
  const decoder = new PageDecoder(options.decode);
  while (remaining > 0) {
    const page = await readPage(decoder, after, Math.min(pageSize, remaining));
    if (page.length === 0) return;
    remaining -= page.length;
    after = page[page.length - 1]!.position;
    yield page;
  }
}

/** After a page whose events were mostly read, this many pages are decoded up front before the next probe. */
const EAGER_PAGES_BETWEEN_PROBES = 15;

function mostlyRead(page: RecordedEvent[]): boolean {
  let read = 0;
  for (const e of page) {
    const t = (e as Lazy)[STORED];
    if (t.data === undefined || t.meta === undefined) read++;
  }
  return read * 2 > page.length;
}

/** The undecoded columns of a lazily decoded event; each text is dropped once decoded. */
interface StoredText {
  data: string | undefined;
  meta: string | undefined;
  dataValue?: JsonObject;
  metaValue?: EventMeta;
}

const STORED = Symbol('stored JSON text');
type Lazy = RecordedEvent & { [STORED]: StoredText };

const DATA: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Lazy): JsonObject {
    const t = this[STORED];
    if (t.data !== undefined) {
      t.dataValue = JSON.parse(t.data) as JsonObject;
      t.data = undefined;
    }
    return t.dataValue!;
  },
  set(this: Lazy, value: JsonObject) {
    const t = this[STORED];
    t.dataValue = value;
    t.data = undefined;
  },
};

const META: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Lazy): EventMeta {
    const t = this[STORED];
    if (t.meta !== undefined) {
      t.metaValue = JSON.parse(t.meta) as EventMeta;
      t.meta = undefined;
    }
    return t.metaValue!;
  },
  set(this: Lazy, value: EventMeta) {
    const t = this[STORED];
    t.metaValue = value;
    t.meta = undefined;
  },
};
