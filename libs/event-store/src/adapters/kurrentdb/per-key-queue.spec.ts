import { PerKeyQueue } from './per-key-queue';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function turns(n: number) {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
}

describe('per-key queue', () => {
  it('runs tasks of one key one at a time, in call order', async () => {
    const q = new PerKeyQueue();
    const log: string[] = [];
    const gate = deferred();
    const first = q.run('s', async () => {
      log.push('1 start');
      await gate.promise;
      log.push('1 end');
      return 1;
    });
    const second = q.run('s', async () => {
      log.push('2 start');
      return 2;
    });
    await turns(3);
    expect(log).toEqual(['1 start']);
    gate.resolve();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(log).toEqual(['1 start', '1 end', '2 start']);
  });

  it('runs tasks of different keys concurrently', async () => {
    const q = new PerKeyQueue();
    const gate = deferred();
    const started: string[] = [];
    const a = q.run('a', async () => {
      started.push('a');
      await gate.promise;
    });
    const b = q.run('b', async () => {
      started.push('b');
    });
    await b;
    expect(started).toEqual(['a', 'b']);
    gate.resolve();
    await a;
  });

  it('keeps going after a failed task and hands each caller its own outcome', async () => {
    const q = new PerKeyQueue();
    const failed = q.run('s', async () => {
      throw new Error('conflict');
    });
    const next = q.run('s', async () => 'ok');
    await expect(failed).rejects.toThrow('conflict');
    await expect(next).resolves.toBe('ok');
  });

  it('forgets a key once its queue is empty', async () => {
    const q = new PerKeyQueue();
    await q.run('s', async () => undefined);
    await turns(2);
    expect(q.size).toBe(0);
  });
});
