import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadModelsInUseError, ReadModelsLock } from './read-models-lock';

describe('ReadModelsLock', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-lock-'));
    file = join(dir, 'projector.pid');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the holder writes its pid and removes the file on release', () => {
    const lock = new ReadModelsLock(file);
    lock.acquire();
    expect(readFileSync(file, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('a second writer is refused while the holder lives, naming its pid', () => {
    // The parent of this process is alive and is not us: it stands in for a running api.
    writeFileSync(file, `${process.ppid}\n`);
    const lock = new ReadModelsLock(file);
    expect(lock.holder()).toBe(process.ppid);
    expect(() => lock.acquire()).toThrow(ReadModelsInUseError);
    expect(readFileSync(file, 'utf8').trim()).toBe(String(process.ppid));
  });

  it('a lock left by a dead process is taken over', () => {
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(file, `${dead}\n`);
    const lock = new ReadModelsLock(file);
    expect(lock.holder()).toBeUndefined();
    lock.acquire();
    expect(readFileSync(file, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('release leaves alone a lock it does not hold', () => {
    writeFileSync(file, `${process.ppid}\n`);
    new ReadModelsLock(file).release();
    expect(existsSync(file)).toBe(true);
  });
});
