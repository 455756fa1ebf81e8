import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every measured phase runs in a fresh child process, so its peak RSS (the kernel's maxrss) belongs to that
 * phase alone and no phase inherits another's heap, JIT state or open SQLite pages.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What a phase reports: `ops` done in `seconds` of timed work. Setup and warm-up are outside the timing. */
export interface PhaseResult {
  ops: number;
  seconds: number;
  peakRssMb: number;
  info?: Record<string, Json>;
}

export interface PhaseContext {
  args: Record<string, Json>;
  /** Progress for long phases; goes to stderr so stdout stays the results. */
  progress(message: string): void;
}

export type Phase = (ctx: PhaseContext) => Promise<Omit<PhaseResult, 'peakRssMb'> | PhaseResult>;

/** One measured figure as it appears in the report. */
export interface Figure {
  label: string;
  ops: number;
  /** Median over runs when a phase is repeated. */
  seconds: number;
  rate: number;
  unit: string;
  peakRssMb: number;
  runs: number;
  /** Rates of each run, so the spread of a noisy machine is visible. */
  runRates: number[];
}

export interface Comparison {
  label: string;
  subject: Figure;
  baseline: Figure;
  /** 'slowdown': baseline rate / subject rate (1.5 means the subject takes 1.5x as long). 'speedup': the inverse. */
  kind: 'slowdown' | 'speedup';
  ratio: number;
  target?: string;
  met?: boolean;
}

export interface WorkloadReport {
  name: string;
  title: string;
  goal: string;
  figures: Figure[];
  comparisons: Comparison[];
  notes: string[];
  /** What a figure's count counts, as the report's column heading; `events` unless said. */
  opsLabel?: string;
}

export interface RunContext {
  scale: number;
  /** This run's scratch directory (under os.tmpdir(), removed at the end). */
  dir: string;
  /** Runs `phase` of this workload in a child process. */
  phase(workload: string, phase: string, args?: Record<string, Json>): Promise<PhaseResult>;
  /** A store of `events` events filled through the adapter, shared by the workloads of one run. */
  sharedStore(events: number): Promise<SharedStore>;
  progress(message: string): void;
}

export interface SharedStore {
  file: string;
  events: number;
  streams: number;
  fill: Figure;
}

export interface Workload {
  name: string;
  title: string;
  goal: string;
  phases: Record<string, Phase>;
  run(ctx: RunContext): Promise<WorkloadReport>;
}

/** The report of a workload this machine cannot run (e.g. no PostgreSQL binaries), saying why. */
export function notRun(workload: Workload, why: string): WorkloadReport {
  const { name, title, goal } = workload;
  return { name, title, goal, figures: [], comparisons: [], notes: [`Not run: ${why}.`] };
}

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export function scaled(count: number, scale: number, minimum = 1): number {
  return Math.max(minimum, Math.round(count * scale));
}

export function makeRunDir(): string {
  return mkdtempSync(join(tmpdir(), 'accord-bench-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Starts a child that runs one phase (see run-phase.ts) and resolves with what it reports. */
export function runPhaseInChild(
  workload: string,
  phase: string,
  args: Record<string, Json>,
): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=<dir> leaves one .cpuprofile per phase there, named after the phase, for --cpu-prof analysis.
    const profDir = process.env.BENCH_CPU_PROF;
    const prof = profDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${profDir}`,
          `--cpu-prof-name=${workload}-${phase}-${Date.now()}.cpuprofile`,
        ]
      : [];
    const child = fork(join(__dirname, 'run-phase.js'), [], {
      execArgv: ['--expose-gc', '--max-old-space-size=4096', ...prof],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.on('message', (m: { ok: boolean; result?: PhaseResult; error?: string }) => {
      settled = true;
      if (m.ok && m.result) resolve(m.result);
      else reject(new Error(`${workload}/${phase}: ${m.error ?? 'no result'}`));
    });
    child.on('exit', (code, signal) => {
      if (!settled)
        reject(new Error(`${workload}/${phase}: child exited (${signal ?? code}) without a result`));
    });
    child.send({ workload, phase, args });
  });
}

export function peakRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes on every platform Node supports.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Between untimed steps, so a phase's peak RSS reflects what it keeps rather than how lazily V8 collects. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function now(): bigint {
  return process.hrtime.bigint();
}

export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Collects garbage, then times `work`: the wall seconds and the CPU seconds (user + system, all threads of this
 * process) it took. A phase runs its untimed warm-up before.
 */
export async function timed(work: () => unknown): Promise<{ seconds: number; cpuSeconds: number }> {
  collectGarbage();
  const cpu = process.cpuUsage();
  const start = now();
  await work();
  const seconds = secondsSince(start);
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** Runs jobs `first` .. `first + count - 1` with `concurrency` in flight and returns the seconds they took. */
export async function timedInFlight(
  concurrency: number,
  count: number,
  job: (i: number) => Promise<void>,
  first = 0,
): Promise<number> {
  let next = first;
  const end = first + count;
  const start = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < end) await job(next++);
    }),
  );
  return secondsSince(start);
}

/**
 * Latency at a given load: `count` jobs started on a fixed schedule of `rate` a second, each not waiting
 * for the others (an open loop, as independent clients arrive), and each job's latency counted from when it
 * was due, not from when it started, so a server that falls behind shows it rather than slowing the
 * arrivals (coordinated omission). Milliseconds at the 50th and 99th percentile.
 */
export async function latencyAtRate(
  rate: number,
  count: number,
  job: (i: number) => Promise<void>,
  first = 0,
): Promise<{ p50Ms: number; p99Ms: number; rate: number }> {
  const latencies: number[] = [];
  const start = now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + BigInt(Math.round((i * 1e9) / rate));
    const wait = Number(due - now()) / 1e6;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(job(first + i).then(() => void latencies.push(Number(now() - due) / 1e6)));
  }
  await Promise.all(running);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 100) / 100;
  return { p50Ms: at(0.5), p99Ms: at(0.99), rate: Math.round(rate * 10) / 10 };
}

/** The median over runs of a number a phase reported in its info. */
export function medianInfo(results: readonly PhaseResult[], key: string): number {
  const xs = results.map((r) => Number(r.info?.[key])).sort((a, b) => a - b);
  return xs[Math.floor((xs.length - 1) / 2)]!;
}

/** The latency view of runs that measured latencyAtRate, as one note (medians over runs). */
export function latencyNote(results: readonly PhaseResult[], what: string): string {
  return (
    `Latency, ${what}, at half the measured maximum throughput (open loop, counted from when each request was ` +
    `due; medians over runs): p50 ${medianInfo(results, 'p50Ms')} ms, p99 ${medianInfo(results, 'p99Ms')} ms, at ` +
    `${medianInfo(results, 'rate')}/s.`
  );
}

/** Folds repeated runs of one phase into a figure: the median run's time, the worst peak RSS. */
export function figure(label: string, results: PhaseResult[], unit = 'events/s'): Figure {
  const runRates = results.map((r) => r.ops / r.seconds);
  const sorted = [...results].sort((a, b) => a.seconds / a.ops - b.seconds / b.ops);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return {
    label,
    ops: median.ops,
    seconds: median.seconds,
    rate: median.ops / median.seconds,
    unit,
    peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
    runs: results.length,
    runRates,
  };
}

/** Runs phases in alternation (a b a b ...) so a burst of load from elsewhere falls on both sides alike. */
export async function interleaved(
  ctx: RunContext,
  workload: string,
  repeats: number,
  phases: { phase: string; label?: string; args: (run: number) => Record<string, Json> }[],
): Promise<PhaseResult[][]> {
  const out: PhaseResult[][] = phases.map(() => []);
  for (let run = 0; run < repeats; run++) {
    for (let i = 0; i < phases.length; i++) {
      const p = phases[i]!;
      ctx.progress(`${workload}: ${p.label ?? p.phase} (run ${run + 1}/${repeats})`);
      out[i]!.push(await ctx.phase(workload, p.phase, p.args(run)));
    }
  }
  return out;
}

export function compare(
  label: string,
  subject: Figure,
  baseline: Figure,
  kind: Comparison['kind'],
  target?: { text: string; met: (ratio: number, subject: Figure) => boolean },
): Comparison {
  const ratio = kind === 'slowdown' ? baseline.rate / subject.rate : subject.rate / baseline.rate;
  const c: Comparison = { label, subject, baseline, kind, ratio };
  if (target) {
    c.target = target.text;
    c.met = target.met(ratio, subject);
  }
  return c;
}
