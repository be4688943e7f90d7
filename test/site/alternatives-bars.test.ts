import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { openChromium, type TestBrowser } from '../fixtures/chromium.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * The object page’s "Alternatives the model considered" drew each probability as a bar in the middle column of a
 * `6rem 1fr 3rem` grid, in a box half the page wide: what was left for the bars was a few pixels, so 90% and 5% looked
 * alike. Measured in Chromium at a phone’s width (390 px) and a laptop’s (1280 px).
 */

// Run in the page by Playwright (the tests’ own types have no DOM).
declare const document: {
  querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { width: number } }>;
  querySelector(s: string): { getBoundingClientRect(): { width: number } } | null;
};

describe('the alternatives’ probability bars on an object page', () => {
  let dir = '';
  let catalogue: Catalogue;
  let browser: TestBrowser;
  let site: Awaited<ReturnType<typeof serveSite>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-alternatives-'));
    const image = path.join(dir, 'photo.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 90, b: 60 } } })
      .png()
      .toFile(image);
    const objects: FixtureObject[] = [
      // Alternatives 0.9, 0.067 and 0.033 (the fixture’s).
      { id: 'A1', title: 'Vase', label: 'vessel', image, predicted: { label: 'vessel', confidence: 0.9 } },
      { id: 'A2', title: 'Sampler', label: 'textile', image },
    ];
    await writeFixture({ root: dir, objects, labels: ['vessel', 'textile', 'coin'], withMetrics: false });
    const ws = workspace(dir);
    const params = defaultParams();
    catalogue = (await buildCatalogueData({ ws, params, log: memoryLogger() })).catalogue;
    await buildSite({ ws, params, log: memoryLogger() });
    site = await serveSite({ dir: ws.site });
    browser = await openChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const width of [390, 1280])
    it(`are wide enough to compare at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const slug = catalogue.objects.find((o) => o.id === 'A1')!.slug;
      await page.goto(`${site.url}objects/${slug}/`);
      const { bars, box } = await page.evaluate(() => ({
        bars: Array.from(document.querySelectorAll('.alts .bar')).map((b) => b.getBoundingClientRect().width),
        box: document.querySelector('#machine-label')!.getBoundingClientRect().width,
      }));
      await page.close();
      expect(bars.length).toBe(3);
      // The likeliest (90%) takes most of its box; each bar is in proportion to its probability.
      expect(bars[0]!, `${bars} in ${box}`).toBeGreaterThanOrEqual(150);
      expect(bars[0]! / box).toBeGreaterThan(0.6);
      expect(bars[1]! / bars[0]!).toBeCloseTo(0.067 / 0.9, 1);
      expect(bars[2]!).toBeGreaterThan(3);
    });
});
