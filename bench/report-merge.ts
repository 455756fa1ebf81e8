import { measuredLine } from './report';

/**
 * A partial run written with --write (`npm run bench -- share share-large --write`) replaces only its own
 * workloads' sections of docs/benchmarks.md and keeps the others from the file as it stands at write time,
 * so two people benchmarking different workloads do not erase each other's figures. The machine table is
 * this run's; every section names the run it came from (sections written before that line existed get
 * the date of the machine table they were kept from).
 */
export function mergeReport(
  fresh: string,
  existing: string | undefined,
  titlesInOrder: readonly string[],
  freshTitles: ReadonlySet<string>,
): string {
  if (existing === undefined) return fresh;
  const next = splitSections(fresh, titlesInOrder);
  const old = splitSections(existing, titlesInOrder);
  const oldRun = {
    date: /^\|\s*date\s*\|\s*(\S+)\s*\|/m.exec(existing)?.[1] ?? 'in an earlier run',
    scale: /^\|\s*scale\s*\|\s*([\d.]+)/m.exec(existing)?.[1] ?? 'unknown',
  };
  const kept: string[] = [];
  const out = [next.head.trimEnd(), ''];
  for (const title of titlesInOrder) {
    if (freshTitles.has(title)) {
      const section = next.sections.get(title);
      if (section) out.push(section.trimEnd(), '');
      continue;
    }
    const section = old.sections.get(title);
    if (!section) continue;
    kept.push(title);
    out.push(dated(section, oldRun).trimEnd(), '');
  }
  if (kept.length > 0) {
    // Said once, under the machine table, so nobody reads a kept section's figures as this run's.
    const note =
      `> This run measured ${freshTitles.size} workload(s); the other ${kept.length} section(s) are kept ` +
      'from earlier runs, each under the date it was measured.';
    out.splice(1, 0, '', note);
  }
  return out.join('\n') + '\n';
}

interface Split {
  /** Everything before the first workload section (title, how to run, the machine table, notes). */
  head: string;
  sections: Map<string, string>;
}

/** Cuts a report at its `## ` headings; a workload's section runs to the next heading of that level. */
function splitSections(text: string, titles: readonly string[]): Split {
  const known = new Set(titles);
  const lines = text.split('\n');
  const sections = new Map<string, string>();
  const head: string[] = [];
  let current: { title: string; lines: string[] } | undefined;
  const close = () => {
    if (current) sections.set(current.title, current.lines.join('\n'));
    current = undefined;
  };
  for (const line of lines) {
    if (line.startsWith('## ')) {
      close();
      const title = line.slice(3).trim();
      if (known.has(title)) {
        current = { title, lines: [line] };
        continue;
      }
    }
    if (current) current.lines.push(line);
    else if (sections.size === 0) head.push(line);
    // A heading that names no current workload (a retired one) is dropped with its section.
  }
  close();
  return { head: head.join('\n'), sections };
}

function dated(section: string, run: { date: string; scale: string }): string {
  if (/^Measured \S+, scale /m.test(section)) return section;
  const lines = section.split('\n');
  // After the heading, its blank line, the goal and its blank line when there is a goal.
  const at = lines[2]?.startsWith('Goal:') ? 4 : 2;
  lines.splice(at, 0, measuredLine(run.date, run.scale), '');
  return lines.join('\n');
}
