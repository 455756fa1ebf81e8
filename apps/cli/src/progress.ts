import { Transform } from 'node:stream';
import { SingleBar } from 'cli-progress';

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
  /** Where to draw (default stderr). A terminal gets one line redrawn in place; anything else whole lines. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/**
 * A progress line on stderr, never stdout (stdout carries the document id for scripts), drawn by
 * cli-progress: on a terminal redrawn in place at most ten times a second; otherwise (--progress into a
 * pipe or a log) one whole line a second. Then the summary line (formatSummary).
 */
export class ProgressMeter {
  private bytes = 0;
  private readonly started = Date.now();
  private readonly stream: NonNullable<ProgressOptions['stream']>;
  private readonly bar: SingleBar | undefined;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    if (!options.enabled) return;
    this.bar = new SingleBar({
      stream: this.stream,
      format: (_options, params) =>
        formatProgress({
          label: options.label,
          bytes: params.value,
          total: options.total,
          elapsedMs: Date.now() - params.startTime,
        }),
      fps: 10,
      noTTYOutput: true, // draw into a pipe too (only ever enabled there by --progress)
      notTTYSchedule: 1000,
      clearOnComplete: true, // the summary replaces the bar
      hideCursor: false,
      gracefulExit: false, // never take over Ctrl-C
    });
    this.bar.start(options.total ?? 0, 0);
  }

  /** Drawn when asked (--progress), or on a terminal for a transfer big enough to be worth watching. */
  static forStderr(label: string, total: number | undefined, forced: boolean | undefined): ProgressMeter {
    const tty = process.stderr.isTTY === true;
    const worthIt = total === undefined || total >= WORTH_SHOWING_BYTES;
    return new ProgressMeter({
      label,
      ...(total !== undefined ? { total } : {}),
      enabled: forced === true || (tty && worthIt),
    });
  }

  add(bytes: number): void {
    this.bytes += bytes;
    this.bar?.update(this.bytes);
  }

  /** Stops the bar and prints the summary line (when drawing at all); returns the state for callers. */
  finish(): ProgressState {
    const state = this.state();
    if (this.bar) {
      this.bar.stop();
      this.stream.write(`${formatSummary(state)}\n`);
    }
    return state;
  }

  /** Stops the bar and clears its line, so an error message starts at the left margin. */
  abandon(): void {
    this.bar?.stop();
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

  private state(): ProgressState {
    return {
      label: this.options.label,
      bytes: this.bytes,
      total: this.options.total,
      elapsedMs: Date.now() - this.started,
    };
  }
}
