import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { pseudoRandomSource } from '../documents-large/support/streaming-share';
import { openInBrowser, sha256File, shareInBrowser } from './support/web-pages';
import {
  COUNCIL,
  importKey,
  personContext,
  POLICE,
  signIn,
  startWebWorld,
  type WebWorld,
} from './support/web-world';

const SIZE = 100 * 1024 * 1024;

/** The tab's peak JS heap while `run` runs, sampled through the DevTools protocol (Performance.getMetrics). */
async function peakHeapDuring<T>(
  cdp: CDPSession,
  run: () => Promise<T>,
): Promise<{ result: T; peakMiB: number }> {
  await cdp.send('Performance.enable');
  let peak = 0;
  let sampling = true;
  const sample = async () => {
    while (sampling) {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      peak = Math.max(peak, used);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const sampler = sample();
  try {
    return { result: await run(), peakMiB: peak / 1024 / 1024 };
  } finally {
    sampling = false;
    await sampler;
  }
}

/**
 * Issue 14 §7: a 100 MiB file shares and opens in the browser with the progress shown. The figures (time,
 * the tab's peak JS heap) are logged, never asserted: speed is measured by `npm run bench` only.
 */
describe('the web app with a 100 MiB file', () => {
  let world: WebWorld;
  let council: { context: BrowserContext; page: Page };
  let police: { context: BrowserContext; page: Page };
  let file: string;
  let sha256: string;

  beforeAll(async () => {
    world = await startWebWorld('LARGE-FILE-MARKER-NOT-IN-RANDOM-BYTES');
    file = join(world.work, 'large.bin');
    await pipeline(pseudoRandomSource(SIZE, 'web-large'), createWriteStream(file));
    sha256 = await sha256File(file);
    for (const [who, token, org] of [
      ['council', world.councilPractitioner.client.token!, COUNCIL],
      ['police', world.policePractitioner.client.token!, POLICE],
    ] as const) {
      const context = await personContext(world);
      const page = await context.newPage();
      await signIn(page, token);
      await importKey(page, world.keys[org]!.file);
      if (who === 'council') council = { context, page };
      else police = { context, page };
    }
  });
  afterAll(async () => world?.close());

  it('shares and opens 100 MiB with progress shown; the saved file is the original', async () => {
    let sawEncrypt = false;
    let sawUpload = false;
    const cdp = await council.context.newCDPSession(council.page);
    const started = Date.now();
    const shared = await peakHeapDuring(cdp, () =>
      shareInBrowser(council.page, {
        file,
        recipients: ['Staffordshire Police'],
        title: 'Large evidence bundle',
        whileSharing: async (page) => {
          await page.locator('#encrypt-progress').waitFor();
          sawEncrypt = true;
          await page.locator('#upload-progress').waitFor({ timeout: 110_000 });
          sawUpload = true;
        },
      }),
    );
    const shareSeconds = (Date.now() - started) / 1000;
    expect(sawEncrypt && sawUpload).toBe(true);

    const policeCdp = await police.context.newCDPSession(police.page);
    const openStarted = Date.now();
    let sawDownload = false;
    const opened = await peakHeapDuring(policeCdp, async () => {
      const download = openInBrowser(police.page, shared.result);
      await police.page.locator('#download-progress').waitFor();
      sawDownload = true;
      const d = await download;
      return d.path();
    });
    const openSeconds = (Date.now() - openStarted) / 1000;
    expect(sawDownload).toBe(true);
    expect(await sha256File(opened.result!)).toBe(sha256);

    console.log(
      `100 MiB in the browser: share (encrypt + sign in the worker, upload) ${shareSeconds.toFixed(1)} s, ` +
        `tab peak JS heap ${shared.peakMiB.toFixed(1)} MiB; open (download, verify, decrypt, save) ` +
        `${openSeconds.toFixed(1)} s, tab peak JS heap ${opened.peakMiB.toFixed(1)} MiB; api peak RSS ` +
        `${world.api.peakRssMiB().toFixed(0)} MiB`,
    );
  });
});
