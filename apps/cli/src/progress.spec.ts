import { Readable } from 'node:stream';
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

  it('draws nothing when not enabled (stderr is no terminal and --progress was not given)', () => {
    const written: string[] = [];
    const meter = new ProgressMeter({
      label: 'share',
      total: 10,
      enabled: false,
      inPlace: false,
      write: (t) => void written.push(t),
    });
    meter.add(10);
    expect(meter.finish().bytes).toBe(10);
    expect(written).toEqual([]);
  });

  it('on a terminal redraws one line in place at most ten times a second, then ends it', () => {
    let now = 0;
    const written: string[] = [];
    const meter = new ProgressMeter({
      label: 'share',
      total: 4 * MIB,
      enabled: true,
      inPlace: true,
      write: (t) => void written.push(t),
      now: () => now,
    });
    now = 100;
    meter.add(MIB);
    now = 150;
    meter.add(MIB); // within 100 ms of the last draw: skipped
    now = 250;
    meter.add(MIB);
    meter.finish();
    expect(written).toHaveLength(3);
    expect(written.slice(0, 2).every((t) => t.startsWith('\r') && !t.endsWith('\n'))).toBe(true);
    expect(written[1]).toContain(' 75%');
    expect(written[2]).toBe('\rshare   3.0 MiB in 0.3 s, 12.0 MiB/s\u001b[K\n');
  });

  it('into a pipe (--progress) prints whole lines, at most one a second, and a plain summary', () => {
    let now = 0;
    const written: string[] = [];
    const meter = new ProgressMeter({
      label: 'fetch',
      enabled: true,
      inPlace: false,
      write: (t) => void written.push(t),
      now: () => now,
    });
    for (let ms = 200; ms <= 2000; ms += 200) {
      now = ms;
      meter.add(MIB);
    }
    meter.finish();
    expect(written).toHaveLength(3);
    expect(written.every((t) => t.endsWith('\n') && !t.includes('\u001b'))).toBe(true);
  });

  it('counter() passes every byte through and counts it', async () => {
    const meter = new ProgressMeter({ label: 'share', enabled: false, inPlace: false });
    const counted = Readable.from([Buffer.alloc(3), Buffer.alloc(5)]).pipe(meter.counter());
    let bytes = 0;
    for await (const chunk of counted) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(8);
    expect(meter.finish().bytes).toBe(8);
  });
});
