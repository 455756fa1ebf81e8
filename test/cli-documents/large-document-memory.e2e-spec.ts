import { createReadStream, createWriteStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pseudoRandomStream } from '../../libs/crypto/src/testing/test-keys';
import { accord, ensureBuiltCli, summaryRate } from './support/accord-cli';
import { buildSharingWorld, PURPOSE, SharingWorld } from './support/sharing-world';

const MIB = 1024 * 1024;
const SIZE = 50 * MIB;
/**
 * docs/architecture.md §19.1: buffering a 100 MiB document cost about 1 GiB; streaming keeps the CLI near its
 * baseline.
 */
const PEAK_RSS_LIMIT_MIB = 150;

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * The CLI streams: sharing and fetching a 50 MiB document keeps its peak RSS (getrusage of the CLI
 * process itself) under 150 MiB. A memory bound, not a timing one; the rates are printed for the record.
 */
describe('a 50 MiB document through the CLI', () => {
  let w: SharingWorld;
  let original: string;

  beforeAll(async () => {
    ensureBuiltCli();
    w = await buildSharingWorld();
    original = join(w.dir, 'large.bin');
    await pipeline(pseudoRandomStream(SIZE, 1024 * 1024), createWriteStream(original));
    for (const side of ['own', 'other'] as const) {
      const run = await accord(w.as(side, 'ig-lead'), [
        'keys',
        'generate',
        '--org',
        w.orgs[side].id,
        '--name',
        side,
        '--email',
        `ig@${side}.test.example`,
        '--upload',
      ]);
      expect(run.code).toBe(0);
    }
  });
  afterAll(async () => {
    await w?.close();
  });

  it('share and fetch each stay under 150 MiB peak RSS and round-trip the bytes', async () => {
    const share = await accord(
      w.as('own', 'practitioner'),
      [
        'share',
        original,
        '--nature',
        'fact',
        '--agreement',
        w.agreementId,
        '--to',
        w.orgs.other.id,
        '--purpose',
        PURPOSE,
        '--category',
        'name',
        '--progress',
      ],
      { measureRss: true },
    );
    expect(share.code).toBe(0);
    const id = share.stdout.trim();
    const fetched = join(w.dir, 'large.out');
    const fetch = await accord(w.as('other', 'practitioner'), ['fetch', id, '-o', fetched, '--progress'], {
      measureRss: true,
    });
    expect(fetch.code).toBe(0);
    expect(await fileSha256(fetched)).toBe(await fileSha256(original));

    console.log(
      `50 MiB: share ${summaryRate(share.stderr)} MiB/s, peak RSS ${share.peakRssMiB!.toFixed(0)} MiB; ` +
        `fetch ${summaryRate(fetch.stderr)} MiB/s, peak RSS ${fetch.peakRssMiB!.toFixed(0)} MiB`,
    );
    expect(share.peakRssMiB).toBeLessThan(PEAK_RSS_LIMIT_MIB);
    expect(fetch.peakRssMiB).toBeLessThan(PEAK_RSS_LIMIT_MIB);
    // --progress into a pipe: plain lines (no terminal codes), ending with the summary and its average rate.
    expect(share.stderr).toMatch(/^share {3}50\.0 MiB in [\d.]+ s, [\d.]+ MiB\/s\n$/m);
    expect(share.stderr).not.toContain('\u001b');
  });
});
