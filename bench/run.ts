import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  Json,
  RunContext,
  SharedStore,
  WorkloadReport,
  makeRunDir,
  now,
  progress,
  removeDir,
  runPhaseInChild,
  secondsSince,
} from './harness';
import { machineInfo, markdown, summaryLines } from './report';
import { mergeReport } from './report-merge';
import { fillSharedStore } from './shared-store';
import { workloads } from './workloads';

/**
 * `npm run bench [-- <workload>... ] [--scale=0.1 | --quick] [--write | --no-write] [--out=<file>]`
 * BENCH_SCALE=0.1 does the same as --scale=0.1. docs/benchmarks.md is written only by a full run of every
 * workload at scale 1 (or with --write), so a quick run during development never replaces the real figures.
 * A partial run with --write replaces its own workloads' sections and keeps the others (report-merge.ts).
 */

interface Options {
  names: string[];
  scale: number;
  write: boolean | undefined;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const names: string[] = [];
  let scale = Number(process.env.BENCH_SCALE ?? '1');
  let write: boolean | undefined;
  // npm runs scripts from the package root.
  let out = join(process.cwd(), 'docs', 'benchmarks.md');
  for (const a of argv) {
    if (a === '--quick') scale = 0.1;
    else if (a.startsWith('--scale=')) scale = Number(a.slice('--scale='.length));
    else if (a === '--write') write = true;
    else if (a === '--no-write') write = false;
    else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`workloads: ${workloads.map((w) => w.name).join(', ')}\n`);
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else names.push(a);
  }
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('scale must be a positive number');
  const known = new Set(workloads.map((w) => w.name));
  for (const n of names) {
    if (!known.has(n)) throw new Error(`unknown workload ${n} (known: ${[...known].join(', ')})`);
  }
  return { names, scale, write, out };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const selected = opts.names.length ? workloads.filter((w) => opts.names.includes(w.name)) : workloads;
  const machine = machineInfo();
  const dir = makeRunDir();
  const cleanUp = () => removeDir(dir);
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  const started = now();
  const shared = new Map<number, SharedStore>();
  const ctx: RunContext = {
    scale: opts.scale,
    dir,
    progress,
    phase: (workload: string, phase: string, args: Record<string, Json> = {}) =>
      runPhaseInChild(workload, phase, args),
    async sharedStore(events: number) {
      let s = shared.get(events);
      if (!s) {
        s = await fillSharedStore(ctx, events);
        shared.set(events, s);
      }
      return s;
    },
  };
  progress(`scale ${opts.scale}; workloads: ${selected.map((w) => w.name).join(', ')}; scratch ${dir}`);
  const reports: WorkloadReport[] = [];
  try {
    for (const w of selected) {
      const t = now();
      const r = await w.run(ctx);
      progress(`${w.name} done in ${secondsSince(t).toFixed(1)} s`);
      reports.push(r);
      process.stdout.write(summaryLines(r).join('\n') + '\n');
    }
  } finally {
    cleanUp();
  }
  const seconds = secondsSince(started);
  const full = selected.length === workloads.length && opts.scale === 1;
  const write = opts.write ?? full;
  if (write) {
    let text = markdown(machine, reports, { scale: opts.scale, seconds, loadAtEnd: loadavg() });
    // Read at write time: another run may have rewritten the file while this one was measuring.
    if (selected.length < workloads.length)
      text = mergeReport(
        text,
        existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : undefined,
        workloads.map((w) => w.title),
        new Set(selected.map((w) => w.title)),
      );
    writeFileSync(opts.out, await prettierFormatted(text, opts.out));
    progress(`wrote ${opts.out}`);
  } else {
    progress(`not writing ${opts.out} (partial or scaled run; --write forces it)`);
  }
  progress(`total ${seconds.toFixed(1)} s`);
}

/** The repository formats markdown with prettier; write the file as `npm run format` would leave it. */
async function prettierFormatted(text: string, file: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...options, filepath: file });
  } catch {
    return text;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
