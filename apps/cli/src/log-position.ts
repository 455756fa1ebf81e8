import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configFilePath } from './cli-config';

/**
 * Read-your-writes through a balancer (docs/architecture.md §38): the highest `Accord-Position` the CLI has
 * been answered with, per server URL, echoed as `Accord-Min-Position` on every later request, so
 * `accord share … && accord inbox` sees the share whichever api node answers the second command. Kept in
 * positions.json beside the config file, so it holds across invocations; a file that cannot be read or
 * written only costs the guarantee, never the command.
 */
export const POSITION_HEADER = 'accord-position';
export const MIN_POSITION_HEADER = 'accord-min-position';

export function positionsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(configFilePath(env)), 'positions.json');
}

export class PositionMemory {
  private positions: Record<string, number> | undefined;

  constructor(private readonly file: string) {}

  /** The header to send to `url`: empty until a position was seen there. */
  headers(url: string): Record<string, string> {
    const position = this.load()[url];
    return position ? { [MIN_POSITION_HEADER]: String(position) } : {};
  }

  /** Records the answer's position if it is higher than any seen from `url`. */
  note(url: string, header: string | string[] | null | undefined): void {
    const value = Array.isArray(header) ? header[0] : header;
    if (value === undefined || value === null || !/^\d{1,15}$/.test(value)) return;
    const positions = this.load();
    if (Number(value) <= (positions[url] ?? 0)) return;
    positions[url] = Number(value);
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}`;
      writeFileSync(tmp, JSON.stringify(positions), { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch {
      // Read-only home: the guarantee holds within this invocation only.
    }
  }

  private load(): Record<string, number> {
    if (this.positions) return this.positions;
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      this.positions =
        parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
    } catch {
      this.positions = {};
    }
    return this.positions;
  }
}

let memory: PositionMemory | undefined;

/** The process's one memory, on the file of the environment it runs in. */
export function logPositions(): PositionMemory {
  return (memory ??= new PositionMemory(positionsFilePath()));
}
