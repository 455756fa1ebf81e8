import { Readable, Writable } from 'node:stream';
import { formatProgress, formatSummary, ProgressMeter } from './progress';

const MIB = 1024 * 1024;

describe('progress on stderr', () => {
  it('shows percent, bytes of the total and MiB/s', () => {
    const line = formatProgress({ label: 'share', bytes: 25 * MIB, total: 50 * MIB, elapsedMs: 500 });
    expect(line).toBe('share   [############------------]  50%   25.0 / 50.0 MiB   50.0 MiB/s');
  });

  it('without a known total, shows bytes and rate only', () => {
    expect(formatProgress({ label: 'fetch', bytes: 3 * MIB, total: undefined, elapsedMs: 1000 })).toBe(
      'fetch   3.0 MiB   3.0 MiB/s',
    );
  });

  it('the summary gives the average rate over the whole transfer', () => {
    expect(formatSummary({ label: 'share', bytes: 50 * MIB, total: 50 * MIB, elapsedMs: 2000 })).toBe(
      'share   50.0 MiB in 2.0 s, 25.0 MiB/s',
    );
  });

  /** A stand-in for stderr: a terminal (in place) or a pipe, recording every write. */
  function fakeStderr(isTTY: boolean) {
    const written: string[] = [];
    const stream = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), {
      isTTY,
      columns: 120,
      write: (text: string) => {
        written.push(String(text));
        return true;
      },
    });
    return { stream, written };
  }

  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('draws nothing when not enabled (stderr is no terminal and --progress was not given)', () => {
    const { stream, written } = fakeStderr(false);
    const meter = new ProgressMeter({ label: 'share', total: 10, enabled: false, stream });
    meter.add(10);
    jest.advanceTimersByTime(5000);
    expect(meter.finish().bytes).toBe(10);
    expect(written).toEqual([]);
  });

  it('on a terminal redraws one line in place at most ten times a second, then the summary', () => {
    const { stream, written } = fakeStderr(true);
    const meter = new ProgressMeter({ label: 'share', total: 40 * MIB, enabled: true, stream });
    for (let ms = 10; ms <= 1000; ms += 10) {
      jest.advanceTimersByTime(10);
      meter.add(MIB / 4); // 100 updates in a second
    }
    const lines = written.filter((t) => t.startsWith('share   ['));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines.at(-1)).toMatch(/ 6[12]%/); // 25 of 40 MiB, drawn within the last 100 ms
    expect(written.join('')).not.toContain('\n'); // one line, redrawn
    meter.finish();
    expect(written.at(-1)).toBe('share   25.0 MiB in 1.0 s, 25.0 MiB/s\n');
  });

  it('into a pipe (--progress) prints whole lines, about one a second, no escapes, then the summary', () => {
    const { stream, written } = fakeStderr(false);
    const meter = new ProgressMeter({ label: 'fetch', enabled: true, stream });
    for (let ms = 200; ms <= 2000; ms += 200) {
      jest.advanceTimersByTime(200);
      meter.add(MIB);
    }
    meter.finish();
    const text = written.join('');
    expect(text).not.toContain('\u001b');
    const lines = text.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines.slice(0, -1).every((l) => /^fetch {3}[\d.]+ MiB {3}[\d.]+ MiB\/s$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('fetch   10.0 MiB in 2.0 s, 5.0 MiB/s');
  });

  it('counter() passes every byte through and counts it', async () => {
    const meter = new ProgressMeter({ label: 'share', enabled: false });
    const counted = Readable.from([Buffer.alloc(3), Buffer.alloc(5)]).pipe(meter.counter());
    let bytes = 0;
    for await (const chunk of counted) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(8);
    expect(meter.finish().bytes).toBe(8);
  });
});
