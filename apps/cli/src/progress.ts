import { Transform } from 'node:stream';

const MIB = 1024 * 1024;
const BAR_WIDTH = 24;
/** Below this a transfer is over before a bar would tell anyone anything. */
const WORTH_SHOWING_BYTES = 4 * MIB;

export interface ProgressState {
  label: string;
  bytes: number;
  /** Unknown when the server sends no length. */
  total: number | undefined;
  elapsedMs: number;
}

/** `share   [#########---------------]  37%   18.5 / 50.0 MiB   92.4 MiB/s` */
export function formatProgress(s: ProgressState): string {
  const rate = `${mibPerSecond(s.bytes, s.elapsedMs).toFixed(1)} MiB/s`;
  const done = (s.bytes / MIB).toFixed(1);
  if (s.total === undefined || s.total <= 0) return `${s.label.padEnd(6)}  ${done} MiB   ${rate}`;
  const fraction = Math.min(1, s.bytes / s.total);
  const filled = Math.floor(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${s.label.padEnd(6)}  ${bar} ${percent}   ${done} / ${(s.total / MIB).toFixed(1)} MiB   ${rate}`;
}

/** `share   50.0 MiB in 0.6 s, 85.3 MiB/s` */
export function formatSummary(s: ProgressState): string {
  const seconds = (s.elapsedMs / 1000).toFixed(1);
  const rate = mibPerSecond(s.bytes, s.elapsedMs).toFixed(1);
  return `${s.label.padEnd(6)}  ${(s.bytes / MIB).toFixed(1)} MiB in ${seconds} s, ${rate} MiB/s`;
}

export function mibPerSecond(bytes: number, elapsedMs: number): number {
  return elapsedMs > 0 ? bytes / MIB / (elapsedMs / 1000) : 0;
}

export interface ProgressOptions {
  label: string;
  total?: number;
  /** Draw at all: stderr is a terminal, or --progress asked for it. */
  enabled: boolean;
  /** Rewrite one line in place (a terminal) rather than print a line now and then. */
  inPlace: boolean;
  write?: (text: string) => void;
  now?: () => number;
}

/**
 * A progress line on stderr, never stdout (stdout carries the document id for scripts). On a terminal it
 * is redrawn in place at most ten times a second; otherwise (--progress into a pipe or a log) one line a
 * second, then the summary.
 */
export class ProgressMeter {
  private bytes = 0;
  private readonly started: number;
  private lastDrawn = 0;
  private drawnInPlace = false;
  private readonly write: (text: string) => void;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.write = options.write ?? ((text) => void process.stderr.write(text));
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  /** Drawn when asked (--progress), or on a terminal for a transfer big enough to be worth watching. */
  static forStderr(label: string, total: number | undefined, forced: boolean | undefined): ProgressMeter {
    const tty = process.stderr.isTTY === true;
    const worthIt = total === undefined || total >= WORTH_SHOWING_BYTES;
    return new ProgressMeter({
      label,
      ...(total !== undefined ? { total } : {}),
      enabled: forced === true || (tty && worthIt),
      inPlace: tty,
    });
  }

  add(bytes: number): void {
    this.bytes += bytes;
    if (!this.options.enabled) return;
    const now = this.now();
    if (now - this.lastDrawn < (this.options.inPlace ? 100 : 1000)) return;
    this.lastDrawn = now;
    const line = formatProgress(this.state(now));
    if (this.options.inPlace) {
      this.write(`\r${line}\u001b[K`);
      this.drawnInPlace = true;
    } else {
      this.write(`${line}\n`);
    }
  }

  /** The final summary line (when drawing at all); returns the state for callers that report it. */
  finish(): ProgressState {
    const state = this.state(this.now());
    const summary = formatSummary(state);
    if (this.options.enabled) this.write(this.options.inPlace ? `\r${summary}\u001b[K\n` : `${summary}\n`);
    return state;
  }

  /** Clears a half-drawn line so an error message starts at the left margin. */
  abandon(): void {
    if (this.drawnInPlace) this.write('\r\u001b[K');
  }

  /** A pass-through stream that counts what flows through it. */
  counter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.add(chunk.length);
        callback(null, chunk);
      },
    });
  }

  private state(now: number): ProgressState {
    return {
      label: this.options.label,
      bytes: this.bytes,
      total: this.options.total,
      elapsedMs: now - this.started,
    };
  }
}
