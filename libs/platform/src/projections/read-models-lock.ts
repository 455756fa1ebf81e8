import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AccordConfig } from '../config/accord-config';

/** Another live process projects into the same read.db. */
export class ReadModelsInUseError extends Error {
  readonly code = 'read-models.in-use';
  constructor(
    readonly file: string,
    readonly pid: number,
  ) {
    super(`the read models are in use by process ${pid} (${file}); stop it first`);
    this.name = 'ReadModelsInUseError';
  }
}

/**
 * One writer of read models per read.db. A projector keeps its checkpoints in memory between batches, so a
 * second projector, or `accord admin rebuild` under a running one, would apply events twice. SQLite's own
 * locking serialises transactions, not that; this pid file does. A stale file (the holder died) is taken over.
 */
export class ReadModelsLock {
  private held = false;

  constructor(private readonly file: string) {}

  /** The live process holding the lock, other than this one. */
  holder(): number | undefined {
    const pid = readPid(this.file);
    return pid !== undefined && pid !== process.pid && isAlive(pid) ? pid : undefined;
  }

  acquire(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.file, 'wx', 0o600);
        try {
          writeSync(fd, `${process.pid}\n`);
        } finally {
          closeSync(fd);
        }
        this.held = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const pid = this.holder();
        if (pid !== undefined) throw new ReadModelsInUseError(this.file, pid);
        // Stale (or our own from an earlier start in this process): remove it and race once more for it.
        unlinkSync(this.file);
      }
    }
    const pid = this.holder();
    throw new ReadModelsInUseError(this.file, pid ?? -1);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    if (readPid(this.file) === process.pid) unlinkSync(this.file);
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock beside the node's read.db. */
export function readModelsLockFor(config: Pick<AccordConfig, 'readModels'>): ReadModelsLock {
  return new ReadModelsLock(join(dirname(config.readModels.file), 'projector.pid'));
}
