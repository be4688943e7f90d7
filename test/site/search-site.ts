import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { openChromium, type TestBrowser } from '../fixtures/chromium.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/**
 * A tiny catalogue built and served, with a Chromium page; `pagefind` loads Pagefind into it (`window.pf`, on the
 * data page) when it first needs it, or again after the page went elsewhere. Most files only type searches: a page
 * load and Pagefind's start, about a second of CPU, for nothing.
 */
export interface SearchSite {
  dir: string;
  catalogue: Catalogue;
  site: Awaited<ReturnType<typeof serveSite>>;
  browser: TestBrowser;
  page: Page;
  /** The object number of a result's address (the address itself when no object has it). */
  idOf(url: string): string;
  /** Pagefind's results for `q`, best first, as `data()` gives them. */
  pagefind<T extends { url: string }>(q: string): Promise<T[]>;
  close(): Promise<void>;
}

/** Build `objects` into a site in a new temp folder (`prefix`), serve it and open it in Chromium. */
export async function searchSite({
  prefix,
  objects,
  labels,
  uniqueThumbnails = false,
}: {
  prefix: string;
  objects: FixtureObject[];
  labels: string[];
  uniqueThumbnails?: boolean;
}): Promise<SearchSite> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await writeFixture({ root: dir, objects, labels, withMetrics: false, uniqueThumbnails });
  const ws = workspace(dir);
  const params = defaultParams();
  const catalogue = (await buildCatalogueData({ ws, params, log: memoryLogger() })).catalogue;
  await buildSite({ ws, params, log: memoryLogger() });
  const site = await serveSite({ dir: ws.site });
  const browser = await openChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  const withPagefind = async () => {
    if (await page.evaluate(`typeof window.pf === 'object'`)) return;
    await page.goto(`${site.url}data/`);
    // A string, not a function: vitest rewrites import() in functions it compiles.
    await page.evaluate(
      `(async () => { const pf = await import('/pagefind/pagefind.js'); await pf.init(); Object.assign(globalThis, { pf }); })()`,
    );
  };
  return {
    dir,
    catalogue,
    site,
    browser,
    page,
    idOf: (url) => catalogue.objects.find((o) => url.endsWith(`/objects/${o.slug}/`))?.id ?? url,
    pagefind: async <T extends { url: string }>(q: string) => {
      await withPagefind();
      return page.evaluate(async (q) => {
        const pf = (
          globalThis as unknown as {
            pf: { search(q: string): Promise<{ results: { data(): Promise<unknown> }[] }> };
          }
        ).pf;
        const s = await pf.search(q);
        return Promise.all(s.results.map(async (r) => r.data()));
      }, q) as Promise<T[]>;
    },
    close: async () => {
      await browser.close();
      await site.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The search page's answer to `q` typed into its box: its status line, the offered object and the cards’ titles. */
export interface SearchAnswer {
  status: string;
  offered: string | null;
  titles: string[];
}

/**
 * Whether `page` shows the search page with nothing chosen but a typed search (its address holds `q` at most), so
 * the next search can be typed over it: every navigation costs Chromium about 0.8 s of CPU on this machine, and the
 * suite types hundreds of searches.
 */
function onPlainSearchPage(built: SearchSite): boolean {
  const url = new URL(built.page.url());
  return (
    url.href.startsWith(built.site.url) &&
    url.pathname.endsWith('/browse/') &&
    url.hash === '' &&
    [...url.searchParams.keys()].every((k) => k === 'q')
  );
}

/**
 * `q` typed into the search box of `built`'s page and Enter pressed, or with `filters` (a query string such as
 * "type=print") opened as an address; resolves once the page has said how many objects it found (or the status line
 * matches `done`: "Type two or more letters" says no number). Typed over the last search when the page still shows
 * one with no filter chosen, as a visitor searching again would.
 */
export async function typedSearch({
  built,
  q,
  filters = '',
  done = /^\d+ objects? for /,
}: {
  built: SearchSite;
  q: string;
  filters?: string;
  done?: RegExp;
}): Promise<SearchAnswer> {
  const { page } = built;
  if (filters) await page.goto(`${built.site.url}browse/?q=${encodeURIComponent(q)}&${filters}`);
  else {
    if (!onPlainSearchPage(built)) {
      await page.goto(`${built.site.url}browse/`);
      await page
        .locator('#status')
        .filter({ hasText: /objects? in the collection/ })
        .waitFor();
    }
    // The last search's status line is cleared first, so the wait below is for this search's.
    await page.locator('#status').evaluate((s) => {
      s.textContent = '';
    });
    await page.fill('#q', q);
    await page.press('#q', 'Enter');
  }
  await page.locator('#status').filter({ hasText: done }).waitFor();
  await page.waitForLoadState('networkidle');
  const exact = page.locator('#exact');
  return {
    status: (await page.locator('#status').textContent()) ?? '',
    offered: (await exact.isVisible()) ? await exact.locator('a').textContent() : null,
    titles: await page.locator('#results .title').allTextContents(),
  };
}
