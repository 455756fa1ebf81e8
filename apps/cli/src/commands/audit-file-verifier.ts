import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  Checkpoint,
  CompactRange,
  eventHash,
  eventLeafHash,
  GENESIS_HASH,
  RecordedEvent,
} from '@accord/event-store';
import { userFileSize } from '../cli-files';

export type BadReason =
  'malformed' | 'hash-mismatch' | 'prev-hash-mismatch' | 'revision-gap' | 'position-order';

/** Each reason as an auditor reads it after "line N": what the line shows, not the check's name alone. */
export const BAD_REASON_WORDS: Record<BadReason, string> = {
  malformed: 'is not an event envelope (unreadable JSON or a field missing)',
  'hash-mismatch': 'was changed: its hash does not match its contents',
  'prev-hash-mismatch': 'does not follow the event before it in its stream: the chain is broken there',
  'revision-gap': "repeats or goes back in its stream's revisions",
  'position-order': 'is out of order or repeated: positions must rise from line to line',
};

/** The first place a stream skips revisions: events of it the file does not hold. */
export interface FirstGap {
  line: number;
  streamId: string;
  /** The revision last seen before the gap, and the one this line holds. */
  from: number;
  to: number;
}

export interface BadEvent {
  /** 1-based line of the file. */
  line: number;
  eventId: string | null;
  streamId: string | null;
  revision: number | null;
  position: number | null;
  reason: BadReason;
}

/** A stream whose first event in the file is not its first event: its chain is checked from there on. */
export interface ContinuedStream {
  streamId: string;
  firstRevision: number;
  /** The hash of the event before, which the file does not hold: compare it with an earlier export. */
  prevHash: string;
}

/**
 * The first line `accord audit export` writes: what the server said the export is (its
 * `x-accord-export-scope` and `after`, and `x-accord-log-head`). Not an event, and not proof of anything:
 * a statement, which the verifier holds the file to.
 */
export interface ExportHeader {
  /** `limit`: the export stops after that many events, short of the head on purpose. */
  accordAuditExport: { scope: string; after: number; logHead: number; limit?: number };
}

export function exportHeaderLine(header: ExportHeader['accordAuditExport']): string {
  return `${JSON.stringify({ accordAuditExport: header })}\n`;
}

/** The header on one line, or undefined if the line is not one. */
export function parseExportHeader(text: string): ExportHeader['accordAuditExport'] | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const h = (v as Partial<ExportHeader> | null)?.accordAuditExport;
  if (typeof h !== 'object' || h === null) return undefined;
  if (typeof h.scope !== 'string' || !Number.isInteger(h.after) || !Number.isInteger(h.logHead))
    return undefined;
  if (h.limit !== undefined && !Number.isInteger(h.limit)) return undefined;
  return h;
}

export interface FileVerifyResult {
  /** No event is malformed, altered, out of order or duplicated (and, for the whole log, nothing is missing). */
  ok: boolean;
  /**
   * The file is held to be the whole log from its first event: `--complete` said so, or the export's first
   * line does (scope `platform`, after 0). Then a stream met half-way or skipping revisions is a failure.
   */
  wholeLog: boolean;
  /**
   * A platform export without a limit reads the log to its end, so it reaches at least the head its first
   * line states; one that ends before it had its last lines cut off (or was interrupted and not resumed).
   */
  cutShort?: { lastPosition: number; logHead: number };
  eventsChecked: number;
  streams: number;
  firstBadEvent?: BadEvent;
  /** Streams first met half-way, as in any export made `--after` a position or cut to one organisation. */
  continuedStreams: number;
  continued: ContinuedStream[];
  /** Places where a stream skips revisions (events of it the export does not hold). */
  gaps: number;
  firstGap?: FirstGap;
  lastPosition: number;
  /** Against a checkpoint: the file's events, as leaves in file order, must have its root at its size. */
  checkpoint?: {
    size: number;
    ok: boolean;
    /** `export-shorter-than-checkpoint`: the file ends before the checkpoint's size (lines removed). */
    reason?: 'export-shorter-than-checkpoint' | 'root-mismatch' | 'export-not-from-start';
  };
}

const KEEP_EXAMPLES = 20;

/**
 * Re-checks the hash chains of an exported log (NDJSON from GET /audit/events) with nothing but the file:
 * each event's own hash, and each event's prevHash against the hash of the event before it in the same
 * stream. The event store's ChainVerifier treats a stream met half-way as broken, which is right for the
 * whole log but not for an export that starts `after` a position or holds one organisation's events: here
 * such a stream is reported as continued (with the prevHash it continues from) and a skipped revision as
 * a gap. `complete` (an export of the whole log from the start) makes either a failure, and so does the
 * export's own first line when it states the same (a platform auditor's export from position 0): a line
 * removed from its middle then fails without the flag, which an auditor handed the file may not know to
 * give. An organisation's export, or one made `--after` a position, states that and keeps its gaps. The
 * statement is not a proof (whoever removes a line can remove it too): a signed checkpoint is.
 */
export class ExportVerifier {
  private readonly heads = new Map<string, { revision: number; hash: string }>();
  private lastPosition = 0;
  private line = 0;
  private eventsChecked = 0;
  private firstBadEvent: BadEvent | undefined;
  private continuedStreams = 0;
  private readonly continued: ContinuedStream[] = [];
  private gaps = 0;
  private firstGap: FirstGap | undefined;

  /** The Merkle tree of the file's events so far, when checking against a checkpoint. */
  private readonly range = CompactRange.empty();
  private checkpointRoot: Buffer | undefined;
  private fromStart = true;
  private header: ExportHeader['accordAuditExport'] | undefined;

  constructor(private readonly options: { complete?: boolean; checkpoint?: Checkpoint } = {}) {}

  checkLine(text: string): void {
    this.line += 1;
    if (text.trim() === '') return;
    if (this.line === 1 && (this.header = parseExportHeader(text))) return;
    const e = parseEnvelope(text);
    if (!e) return this.bad({ eventId: null, streamId: null, revision: null, position: null }, 'malformed');
    this.eventsChecked += 1;
    const head = this.heads.get(e.streamId);
    let reason: BadReason | undefined;
    if (e.position <= this.lastPosition) reason = 'position-order';
    else if (eventHash(e) !== e.meta.hash) reason = 'hash-mismatch';
    else if (head && e.revision <= head.revision) reason = 'revision-gap';
    else if (!head && e.revision === 0 && e.meta.prevHash !== GENESIS_HASH) reason = 'prev-hash-mismatch';
    else if (head && e.revision === head.revision + 1 && e.meta.prevHash !== head.hash) {
      reason = 'prev-hash-mismatch';
    }
    if (!reason && !head && e.revision > 0) this.continue(e);
    if (!reason && head && e.revision > head.revision + 1) {
      this.gaps += 1;
      this.firstGap ??= { line: this.line, streamId: e.streamId, from: head.revision, to: e.revision };
    }
    if (reason) this.bad(e, reason);
    // Follow the stream from the stored hash, so one altered event is named once, not every one after it.
    if (!head || e.revision > head.revision)
      this.heads.set(e.streamId, { revision: e.revision, hash: e.meta.hash });
    if (e.position > this.lastPosition) this.lastPosition = e.position;
    if (this.options.checkpoint) this.addLeaf(e);
  }

  /**
   * The checkpoint covers the log from its first event: leaf i is the file's i-th event, hashed whole
   * with its position (eventLeafHash), so a removed, added, moved or altered line changes the root.
   */
  private addLeaf(e: RecordedEvent): void {
    if (this.range.size === 0 && e.position !== 1) this.fromStart = false;
    let leaf: Buffer;
    try {
      leaf = eventLeafHash(e);
    } catch {
      leaf = Buffer.alloc(32);
    }
    if (this.range.size < this.options.checkpoint!.size) this.range.append(leaf.toString('latin1'));
    if (this.range.size === this.options.checkpoint!.size && !this.checkpointRoot) {
      this.checkpointRoot = this.range.root();
    }
  }

  private checkpointVerdict(): FileVerifyResult['checkpoint'] {
    const c = this.options.checkpoint;
    if (!c) return undefined;
    if (c.size === 0) return { size: 0, ok: true };
    if (!this.fromStart) return { size: c.size, ok: false, reason: 'export-not-from-start' };
    if (!this.checkpointRoot) return { size: c.size, ok: false, reason: 'export-shorter-than-checkpoint' };
    return this.checkpointRoot.equals(c.root)
      ? { size: c.size, ok: true }
      : { size: c.size, ok: false, reason: 'root-mismatch' };
  }

  result(): FileVerifyResult {
    const wholeLog =
      this.options.complete === true || (this.header?.scope === 'platform' && this.header.after === 0);
    const missing = wholeLog && (this.continuedStreams > 0 || this.gaps > 0);
    const h = this.header;
    const reached = Math.max(this.lastPosition, h?.after ?? 0);
    const cutShort =
      h?.scope === 'platform' && h.limit === undefined && reached < h.logHead
        ? { lastPosition: this.lastPosition, logHead: h.logHead }
        : undefined;
    const checkpoint = this.checkpointVerdict();
    return {
      ok: !this.firstBadEvent && !missing && !cutShort && checkpoint?.ok !== false,
      wholeLog,
      ...(cutShort ? { cutShort } : {}),
      ...(checkpoint ? { checkpoint } : {}),
      eventsChecked: this.eventsChecked,
      streams: this.heads.size,
      ...(this.firstBadEvent ? { firstBadEvent: this.firstBadEvent } : {}),
      continuedStreams: this.continuedStreams,
      continued: [...this.continued],
      gaps: this.gaps,
      ...(this.firstGap ? { firstGap: this.firstGap } : {}),
      lastPosition: this.lastPosition,
    };
  }

  private continue(e: RecordedEvent): void {
    this.continuedStreams += 1;
    if (this.continued.length < KEEP_EXAMPLES) {
      this.continued.push({ streamId: e.streamId, firstRevision: e.revision, prevHash: e.meta.prevHash });
    }
  }

  private bad(e: Pick<BadEvent, 'eventId' | 'streamId' | 'revision' | 'position'>, reason: BadReason): void {
    if (this.firstBadEvent) return;
    const { eventId, streamId, revision, position } = e;
    this.firstBadEvent = { line: this.line, eventId, streamId, revision, position, reason };
  }
}

/** The envelope on one line, or undefined if it is not one (then no hash can be recomputed from it). */
export function parseEnvelope(text: string): RecordedEvent | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const e = v as Partial<RecordedEvent> | null;
  const isObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (
    !isObject(e) ||
    typeof e!.eventId !== 'string' ||
    typeof e!.type !== 'string' ||
    typeof e!.streamId !== 'string' ||
    !Number.isInteger(e!.revision) ||
    typeof e!.position !== 'number' ||
    !isObject(e!.data) ||
    !isObject(e!.meta) ||
    typeof e!.meta!.hash !== 'string' ||
    typeof e!.meta!.prevHash !== 'string'
  ) {
    return undefined;
  }
  return e as RecordedEvent;
}

/** Streams the file line by line (memory: one entry per stream); `onProgress` gets bytes read and the size. */
export async function verifyExportFile(
  file: string,
  options: {
    complete?: boolean;
    checkpoint?: Checkpoint;
    onProgress?: (bytes: number, total: number) => void;
  } = {},
): Promise<FileVerifyResult> {
  const total = userFileSize(file);
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  const verifier = new ExportVerifier(options);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    verifier.checkLine(line);
    if (++n % 10_000 === 0) options.onProgress?.(input.bytesRead, total);
  }
  options.onProgress?.(total, total);
  return verifier.result();
}
