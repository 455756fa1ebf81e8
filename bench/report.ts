import { cpus, loadavg, totalmem } from 'node:os';
import { Comparison, Figure, WorkloadReport } from './harness';

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  totalMemoryGiB: number;
  node: string;
  platform: string;
  date: string;
  loadAtStart: number[];
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpuCount: cpu.length,
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    loadAtStart: loadavg(),
  };
}

export function formatRate(rate: number): string {
  if (rate >= 100) return Math.round(rate).toLocaleString('en-GB');
  return rate.toFixed(1);
}

function formatRatio(c: Comparison): string {
  const slower = c.kind === 'slowdown' ? c.ratio >= 1 : c.ratio < 1;
  const factor = c.ratio >= 1 ? c.ratio : 1 / c.ratio;
  const words = `${factor.toFixed(2)}x ${slower ? 'slower' : 'faster'} than ${c.baseline.label}`;
  // Keep the number the target is stated in visible when the plain-words factor is its inverse.
  return c.ratio >= 1 ? words : `${c.ratio.toFixed(2)} (${words})`;
}

function spread(f: Figure): string {
  if (f.runs < 2) return '1 run';
  const lo = Math.min(...f.runRates);
  const hi = Math.max(...f.runRates);
  return `median of ${f.runs} (${formatRate(lo)}–${formatRate(hi)})`;
}

/** One line per figure and per comparison, for the terminal. */
export function summaryLines(r: WorkloadReport): string[] {
  const lines = [`== ${r.title}`];
  for (const f of r.figures) {
    lines.push(
      `   ${f.label.padEnd(58)} ${formatRate(f.rate).padStart(12)} ${f.unit}  ` +
        `(${f.ops} in ${f.seconds.toFixed(2)} s, peak RSS ${f.peakRssMb} MB, ${spread(f)})`,
    );
  }
  for (const c of r.comparisons) {
    const verdict = c.met === undefined ? '' : c.met ? '  [target met]' : '  [TARGET MISSED]';
    lines.push(`   ratio: ${c.label}: ${formatRatio(c)}${c.target ? `; target ${c.target}` : ''}${verdict}`);
  }
  for (const n of r.notes) lines.push(`   note: ${n}`);
  return lines;
}

export function markdown(
  machine: MachineInfo,
  reports: WorkloadReport[],
  run: { scale: number; seconds: number; loadAtEnd: number[] },
): string {
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const out: string[] = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Each workload measures the adapter and a raw',
    "baseline in the same run; every figure comes from its own child process, so its peak RSS (the kernel's",
    "maxrss, which includes Node itself, about 40-50 MB) is that phase's own. Ratios compare throughputs.",
    '',
    'Run: `npm run bench` (all workloads, full scale, rewrites this file, a few minutes on 2 cores);',
    '`npm run bench -- append concurrent` runs some workloads; `BENCH_SCALE=0.1` (or `--quick`, `--scale=0.1`) a',
    'smaller run; `--write` / `--out=<file>` write a partial or scaled run (a partial run replaces only its own',
    "workloads' sections and keeps the others); `BENCH_CPU_PROF=<dir>` leaves a `.cpuprofile` per phase (and per",
    'api process the share workloads start). Scratch files go to a directory under `os.tmpdir()`, removed at the end.',
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPU | ${machine.cpuModel} × ${machine.cpuCount} |`,
    `| memory | ${machine.totalMemoryGiB} GiB |`,
    `| Node | ${machine.node} (${machine.platform}) |`,
    `| date | ${machine.date} |`,
    `| scale | ${run.scale}${run.scale === 1 ? ' (full)' : ' (reduced: figures are not comparable with the goals)'} |`,
    `| load average (1/5/15 min) at start, end | ${load(machine.loadAtStart)}; ${load(run.loadAtEnd)} |`,
    `| total run time | ${Math.round(run.seconds)} s |`,
    '',
  ];
  // The bench itself keeps about one core busy, which the load average at the end includes.
  const busy =
    (machine.loadAtStart[0] ?? 0) > 0.5 * machine.cpuCount ||
    (run.loadAtEnd[0] ?? 0) > 1 + 0.5 * machine.cpuCount;
  if (busy) {
    out.push(
      '> The machine was busy with other work during this run (see the load average): the figures are noisy,',
      '> the ratios (both sides measured alternately in the same run) less so.',
      '',
    );
  }
  for (const r of reports) {
    out.push(`## ${r.title}`, '', `Goal: ${r.goal}`, '', measuredLine(machine.date, run.scale), '');
    out.push(
      `| figure | rate | ${r.opsLabel ?? 'events'} | time (s) | peak RSS (MB) | runs |`,
      '|---|---:|---:|---:|---:|---|',
    );
    for (const f of r.figures) {
      out.push(
        `| ${f.label} | ${formatRate(f.rate)} ${f.unit} | ${f.ops.toLocaleString('en-GB')} | ${f.seconds.toFixed(2)} | ${f.peakRssMb} | ${spread(f)} |`,
      );
    }
    if (r.comparisons.length) {
      out.push('', '| comparison | ratio | target | met |', '|---|---:|---|---|');
      for (const c of r.comparisons) {
        const met = c.met === undefined ? '–' : c.met ? 'yes' : '**no**';
        out.push(`| ${c.label} | ${formatRatio(c)} | ${c.target ?? '–'} | ${met} |`);
      }
    }
    if (r.notes.length) out.push('', ...r.notes.map((n) => `- ${n}`));
    out.push('');
  }
  return out.join('\n');
}

/** Each section says which run it came from: a partial run keeps the other sections of an earlier one. */
export function measuredLine(date: string, scale: number | string): string {
  return `Measured ${date}, scale ${scale}.`;
}
