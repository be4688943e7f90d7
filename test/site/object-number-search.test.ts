import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueFiles } from '../../pipeline/catalogue/data.ts';
import { assignSlugs, plainSlug } from '../../pipeline/catalogue/derive.ts';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import {
  type NumberPiece,
  numberIndex,
  numberKey,
  numberKeys,
  numberPiece,
  numberTyped,
} from '../../pipeline/catalogue/slug-rules.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { addressOf, md5, numberPieceOf, pagesOf } from '../../site/src/lib/address.ts';
import { fold, foldedCopy } from '../../site/src/lib/fold.ts';
import { numberWords } from '../../site/src/lib/number.ts';
import { readUnindexed, unindexed } from '../../site/src/lib/unindexed.ts';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite } from './search-site.ts';

/*
 * Searching by object number, as an outside tester did on the demo: "DM-0267" found nothing (the number
 * was not indexed), "0267" found DM-0322 and DM-0177 and "9999" eight objects, none of them with that
 * number. Pagefind searches every data-pagefind-meta field: the thumbnail's address ("…/<md5>-240.webp")
 * gave each object words such as "02" and "99", and Pagefind, finding no word that starts with "0267",
 * falls back to the longest word that starts it ("02"). A small site with photographs, read in Chromium.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const photo = path.resolve(root, '..', 'shared', 'datasets', 'five-museums', 'images', 'artic', 'artic_28560.jpg');

describe('object addresses in the browser', () => {
  it('makes the same address and md5 as the pipeline', () => {
    for (const id of ['DM-0267', 'DM 0267', 'A/1', 'Łódź 12', 'Château.3', '1923.45 a-b', '---', 'x'.repeat(90)]) {
      // The pipeline names an id that leaves no address "object"; the browser looks none up.
      expect(addressOf(id) || 'object', id).toBe(plainSlug(id));
      expect(md5(id), id).toBe(createHash('md5').update(id).digest('hex'));
    }
  });

  it("looks up the page the build gave an id, also a look-alike's and a Windows device name's", () => {
    // Each id after the first of a pair slugifies like it, so the build gives it the coded address.
    const ids = ['dm-0267', 'DM-0267', 'nul-1', 'NUL.1', 'CON', 'A.', 'lpt9.x', 'LPT9.X'];
    const slugs = assignSlugs({ ids, previous: new Map() });
    ids.forEach((id, i) => expect(pagesOf(id), id).toContain(slugs[i]));
  });

  it('finds a typed number however it is punctuated, choosing among look-alikes as before', () => {
    const ids = [
      'DM-0267',
      'DM 0267',
      'dm.0267',
      'DM0267x',
      'MET_544744',
      'met-544744',
      'CLE_100078',
      'A1',
      'a-1',
      '..',
    ];
    const slugs = assignSlugs({ ids, previous: new Map() });
    const pieces = numberIndex(ids.map((id, i) => ({ id, slug: slugs[i]! })));
    const pick = (typed: string) => {
      const piece = numberPieceOf(typed);
      return piece ? (numberTyped(typed.trim(), pieces.get(piece)!)?.id ?? null) : null;
    };
    const picks: [string, string | null][] = [
      // Typed with an id's own address: as before (the id as typed, in another case, the address's own page).
      ['DM-0267', 'DM-0267'],
      ['DM 0267', 'DM 0267'],
      ['dm 0267', 'DM 0267'],
      ['dm-0267', 'DM-0267'],
      ['DM--0267', 'DM-0267'],
      ['dm.0267', 'dm.0267'],
      ['MET_544744', 'MET_544744'],
      ['MET-544744', 'met-544744'],
      ['a1', 'A1'],
      ['A 1', 'a-1'],
      // Typed another way: the first of the look-alikes with its own address.
      ['DM0267', 'DM-0267'],
      ['dm_0267', 'DM-0267'],
      ['met544744', 'MET_544744'],
      ['MET 544744', 'met-544744'],
      ['CLE-100078', 'CLE_100078'],
      [' cle 100078 ', 'CLE_100078'],
      ['DM0267x', 'DM0267x'],
      ['DM-0268', null],
      ['---', null],
      // Punctuation alone: found typed as it is written, only so.
      ['..', '..'],
      [' .. ', '..'],
      ['...', null],
      ['.', null],
    ];
    for (const [typed, id] of picks) expect(pick(typed), typed).toBe(id);
  });

  it('tells apart numbers that differ only in where their punctuation falls, and guesses none when nothing does', () => {
    // A reviewer: "1920-1-23" opened 1920.12.3 (both are "1920123" without punctuation).
    const ids = ['1920.12.3', '1920.1.23'];
    const slugs = assignSlugs({ ids, previous: new Map() });
    const pieces = numberIndex(ids.map((id, i) => ({ id, slug: slugs[i]! })));
    const pick = (typed: string) => numberTyped(typed, pieces.get(numberPieceOf(typed)!)!)?.id ?? null;
    expect(pick('1920.1.23')).toBe('1920.1.23');
    expect(pick('1920-1-23')).toBe('1920.1.23');
    expect(pick('1920 12 3')).toBe('1920.12.3');
    expect(pick('1920123')).toBeNull();
  });

  it('searches a number with "_" as its page gives it: "_" folded out of what is typed, kept apart in its words', () => {
    expect(fold('MET_544744')).toBe('MET544744');
    expect(fold('CLE＿100078 a‿b')).toBe('CLE100078 ab');
    expect(foldedCopy('Ewer, see MET_12')).toBe('MET12');
    expect(numberWords('MET_544744')).toBe('met544744 544744');
    expect(numberWords('DM-0267')).toBe('dm0267 0267 267');
  });

  it('writes a field Pagefind keeps but cannot index, and reads it back', () => {
    const text = '/media/thumbs/52372af38e335e0a0e8823445a02c8d5-240.webp Photograph of “Łódź”';
    const marks = unindexed(text);
    expect(marks).toMatch(/^[!$%()+,\-./:;=?@~]+$/);
    expect(readUnindexed(marks)).toBe(text);
  });
});

describe('object numbers in search', () => {
  let built: SearchSite;
  let dir = '';
  let catalogue: Catalogue;
  let page: Page;
  let site: SearchSite['site'];
  const labels = ['print', 'vessel'];
  const objects: FixtureObject[] = [
    { id: 'DM-0267', title: 'View of Valparaíso', maker: 'Hana Mori', date: '1795', label: 'print', image: photo },
    { id: 'DM-0322', title: 'Bowl with Fish', date: '11th century', label: 'vessel', image: photo },
    { id: 'DM-0177', title: 'Tapestry Fragment with Checks', date: '1866', label: 'print', image: photo },
    { id: 'DM-0001', title: 'Harbour at Naples', date: '1810', label: 'print', image: photo },
    { id: 'DM-02671', title: 'Jug', date: '1900', label: 'vessel', image: photo },
    // Spelled like DM-0267's address: it gets the hashed one ("dm-0267-<md5>").
    { id: 'DM 0267', title: 'Cup', date: '1901', label: 'vessel', image: photo },
    { id: 'B.12', title: 'Plate', label: 'vessel', image: null },
    // Numbers as museum exports write them, with "_", which Pagefind keeps inside a word.
    { id: 'MET_544744', title: 'Ewer', label: 'vessel', image: null },
    { id: 'CLE_100078', title: 'Ladle', label: 'vessel', image: null },
    { id: 'CLE_1000789', title: 'Spoon', label: 'vessel', image: null },
    { id: 'CLE_200011', title: 'Dish', label: 'vessel', image: null },
    // A number of one digit (an outside tester: "1" answered "Type two or more letters or digits").
    { id: '1', title: 'Brooch', label: 'vessel', image: null },
  ];

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-number-', objects, labels, uniqueThumbnails: true });
    ({ dir, catalogue, page, site } = built);
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  const slugOf = (id: string) => catalogue.objects.find((o) => o.id === id)!.slug;

  /** Pagefind's answer, best first: each result's object number and how many words of its text matched. */
  async function search(q: string): Promise<{ id: string; locations: number }[]> {
    const found = await built.pagefind<{ url: string; locations: number[] }>(q);
    return found.map((d) => ({ id: built.idOf(d.url), locations: d.locations.length }));
  }

  it('finds an object by its number', async () => {
    // Pagefind may rank DM-02671 (it holds the term too) first: the search page puts the number's own object first.
    for (const q of ['DM-0267', 'dm-0267', 'DM0267', 'DM 0267']) {
      const r = await search(q);
      expect(r.map((x) => x.id).sort(), q).toEqual(['DM 0267', 'DM-0267', 'DM-02671']);
    }
    expect((await search('DM-0001')).map((r) => r.id)).toEqual(['DM-0001']);
    expect((await search('B.12')).map((r) => r.id)).toEqual(['B.12']);
  });

  it('finds by part of a number only the objects whose number has it', async () => {
    const r = await search('0267');
    expect(r.map((x) => x.id).sort()).toEqual(['DM 0267', 'DM-0267', 'DM-02671']);
    for (const x of r) expect(x.locations, x.id).toBeGreaterThan(0);
  });

  it('finds nothing by the words of a thumbnail address, its alt text or a number no object has', async () => {
    for (const q of ['9999', '0268', '240', 'webp', 'thumbs', 'media', 'photograph', '0000000', 'DM-9999']) {
      expect(await search(q), q).toEqual([]);
    }
  });

  // An outside tester's catalogue of ids such as "MET_544744": "MET_544744" found nothing and "CLE_100078" 179
  // objects, the object not first. Pagefind keeps "_" inside a word ("met_544744"); the page gave it "met544744".
  it('finds a number with "_" typed as it is written, first, and typed the other ways', async () => {
    for (const q of ['metx', 'clex']) expect(await search(q), q).toEqual([]);
    expect((await typed('MET_544744')).titles).toEqual(['Ewer']);
    const cle = await typed('CLE_100078');
    expect(cle.titles[0]).toBe('Ladle');
    expect(cle.titles.sort()).toEqual(['Ladle', 'Spoon']);
    for (const q of ['met_544744', 'MET 544744', 'MET-544744', 'met544744', '544744', 'MET_5447', 'MET_']) {
      expect((await typed(q)).titles, q).toEqual(['Ewer']);
    }
    // A number no object has finds nothing. Pagefind indexes a word with "_" in it with its parts too ("met"), and
    // falls back to the longest word that starts a word it cannot find: "MET_999999" would find every "MET_" object.
    for (const q of ['MET_999999', 'CLE_999999', 'CLE_9']) expect((await typed(q)).titles, q).toEqual([]);
  });

  /**
   * The search page's answer to a query typed into its box: the status, the offered page and its words, the
   * cards' titles, what was asked for because of the query (HEAD requests, the number index, the number worker),
   * and what went wrong on the way (failed requests, console errors). Typed over the last search when the page still
   * shows one, as a visitor searching again would (a page load costs Chromium about 0.8 s of CPU), unless `fresh`:
   * a new page load, for the tests that count what one search asks for from the page's load on.
   */
  async function typed(q: string, { fresh = false }: { fresh?: boolean } = {}) {
    // From the page's load: the number lookup (its worker) is not part of the search page.
    const asked: string[] = [];
    const failed: string[] = [];
    const record = (r: { method(): string; url(): string }) => {
      if (r.method() === 'HEAD' || /\/_astro\/number-worker-|\/data\/numbers\//.test(r.url()))
        asked.push(`${r.method()} ${r.url()}`);
    };
    const refused = (r: { status(): number; url(): string }) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    };
    const lost = (r: { url(): string }) => failed.push(`failed ${r.url()}`);
    const said = (m: { type(): string; text(): string }) => {
      if (m.type() === 'error') failed.push(`console: ${m.text()}`);
    };
    page.on('request', record);
    page.on('response', refused);
    page.on('requestfailed', lost);
    page.on('console', said);
    const url = new URL(page.url());
    if (
      fresh ||
      !url.href.startsWith(`${site.url}browse/`) ||
      url.hash !== '' ||
      url.search.replace(/^\?q=[^&]*$/, '')
    ) {
      await page.goto(`${site.url}browse/`);
      await page
        .locator('#status')
        .filter({ hasText: /objects? in the collection/ })
        .waitFor();
    } else {
      // The last search's status line is cleared first, so the wait below is for this search's (the page says it
      // last, once its offer and cards are drawn).
      await page.locator('#status').evaluate((s) => {
        s.textContent = '';
      });
    }
    await page.fill('#q', q);
    await page.press('#q', 'Enter');
    await page
      .locator('#status')
      .filter({ hasText: new RegExp(`for “${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”|[Tt]ype two`) })
      .waitFor();
    await page.waitForLoadState('networkidle');
    page.off('request', record);
    page.off('response', refused);
    page.off('requestfailed', lost);
    page.off('console', said);
    const exact = page.locator('#exact');
    const shown = await exact.isVisible();
    return {
      asked,
      failed,
      status: (await page.locator('#status').textContent()) ?? '',
      offered: shown ? await exact.locator('a').getAttribute('href') : null,
      words: shown ? await exact.locator('a').textContent() : null,
      titles: await page.locator('#results .title').allTextContents(),
    };
  }

  // An outside tester searched "DM-0085" on the demo: the page asked for a guessed address first
  // ("/objects/dm-0085-bdebe181/"), a 404 the browser logs as an error, and "dm-0085" offered "Go to object
  // dm-0085", the words as typed, not the object's number. The number is looked up in a small index now.
  it('offers the page of an object number typed into the search box first', async () => {
    const a = await typed('DM-0267', { fresh: true });
    expect(a.offered).toBe(`/objects/${slugOf('DM-0267')}/`);
    expect(a.words).toBe('Go to object DM-0267');
    // One piece of the number index and the number worker, no guessed page, nothing failed.
    expect(a.asked.filter((r) => r.startsWith('HEAD'))).toEqual([]);
    expect(a.asked.filter((r) => r.includes('/data/numbers/'))).toHaveLength(1);
    expect(a.asked).toHaveLength(2);
    expect(a.failed).toEqual([]);
    expect(a.titles[0]).toBe('View of Valparaíso');
    // The card's photograph, read back from the field Pagefind does not index; decorative (its link says the title).
    const img = page.locator('#results img').first();
    expect(await img.getAttribute('src')).toMatch(/^\/media\/.+\.webp$/);
    expect(await img.getAttribute('alt')).toBe('');
    expect(await img.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    // Above the results, so it is the first link after the box.
    const order = await page.evaluate(() => {
      const d = (
        globalThis as unknown as {
          document: { querySelector(s: string): { compareDocumentPosition(o: unknown): number } };
        }
      ).document;
      return d.querySelector('#exact')!.compareDocumentPosition(d.querySelector('#results'));
    });
    expect(order & 4).toBe(4);
    // The look-alike's own page, not the incumbent's.
    const alike = await typed('DM 0267');
    expect(alike.offered).toBe(`/objects/${slugOf('DM 0267')}/`);
    expect(alike.words).toBe('Go to object DM 0267');
    expect(slugOf('DM 0267')).not.toBe(slugOf('DM-0267'));
    // Typed in lower case: the object's real number and its page, with no request that fails.
    for (const q of ['dm-0267', 'Dm-0267']) {
      const lower = await typed(q);
      expect(lower.offered, q).toBe(`/objects/${slugOf('DM-0267')}/`);
      expect(lower.words, q).toBe('Go to object DM-0267');
      expect(lower.failed, q).toEqual([]);
    }
    expect((await typed('b.12')).words).toBe('Go to object B.12');
    await page.locator('#exact a').click();
    await page.waitForURL(`${site.url}objects/${slugOf('B.12')}/`);
    await page.goto(`${site.url}browse/?q=dm-0267`);
    await page.locator('#exact a').click();
    await page.waitForURL(`${site.url}objects/${slugOf('DM-0267')}/`);
    // Typed without its punctuation, or with other punctuation than its own: still its object, chosen as the
    // look-alikes are ("DM0267" is DM-0267's, the first of the ids that read so), with its real number.
    const forms: [string, string, string][] = [
      ['DM0267', 'DM-0267', 'View of Valparaíso'],
      ['dm0267', 'DM-0267', 'View of Valparaíso'],
      ['DM_0267', 'DM-0267', 'View of Valparaíso'],
      ['dm0001', 'DM-0001', 'Harbour at Naples'],
      ['MET_544744', 'MET_544744', 'Ewer'],
      ['MET 544744', 'MET_544744', 'Ewer'],
      ['met544744', 'MET_544744', 'Ewer'],
      ['CLE_100078', 'CLE_100078', 'Ladle'],
      ['CLE-100078', 'CLE_100078', 'Ladle'],
      ['cle 100078', 'CLE_100078', 'Ladle'],
    ];
    for (const [q, id, title] of forms) {
      const a = await typed(q);
      expect(a.words, q).toBe(`Go to object ${id}`);
      expect(a.offered, q).toBe(`/objects/${slugOf(id)}/`);
      expect(a.titles[0], q).toBe(title);
      expect(
        a.asked.filter((r) => r.includes('/data/numbers/')),
        q,
      ).toHaveLength(1);
      expect(a.failed, q).toEqual([]);
    }
    // No object has the number: nothing offered, nothing found, nothing failed.
    const none = await typed('DM-9999');
    expect(none.offered).toBeNull();
    expect(none.titles).toEqual([]);
    expect(none.status).toContain('0 objects');
    expect(none.failed).toEqual([]);
    // Words are not object numbers: nothing is asked for, and the number worker is not started.
    const words = await typed('Bowl', { fresh: true });
    expect(words.offered).toBeNull();
    expect(words.asked).toEqual([]);
    expect(words.titles).toEqual(['Bowl with Fish']);
  });

  // A member of the public typed the number straight after the address of a site at the root of its host ("/DM-0121").
  it('offers on the 404 page the object of a number typed straight after the site’s address', async () => {
    for (const address of ['DM-0267', 'dm0267/']) {
      expect((await page.goto(`${site.url}${address}`))?.status(), address).toBe(404);
      const offered = page.locator('#did-you-mean a');
      await offered.filter({ hasText: '“View of Valparaíso”' }).waitFor({ timeout: 10_000 });
      expect(await offered.getAttribute('href'), address).toBe(`/objects/${slugOf('DM-0267')}/`);
    }
  });

  it('publishes each object number in one small piece of the number index, every piece written', async () => {
    const read = async (numbers: string) => {
      const pieces = await readdir(numbers);
      expect(pieces).toHaveLength(256);
      const found = new Map<string, string>();
      for (const f of pieces) {
        const piece = JSON.parse(await readFile(path.join(numbers, f), 'utf8')) as NumberPiece;
        for (const [key, entries] of Object.entries(piece)) {
          expect(`${numberPiece(key)}.json`).toBe(f);
          for (const [id, slug] of entries) {
            // Its own key, or the key of its number with the zero padding set aside ("dm267").
            expect(numberKeys(id)).toContain(key);
            found.set(id, slug);
          }
        }
      }
      return found;
    };
    const published = new Map(catalogue.objects.map((o) => [o.id, o.slug]));
    expect(await read(path.join(workspace(dir).site, 'data', 'numbers'))).toEqual(published);
    // "DM-0267", "DM 0267" and "DM0267" would share a key: one piece, one list, in the catalogue's order.
    const key = numberKey('DM-0267');
    expect(numberIndex(catalogue.objects).get(numberPiece(key))![key]).toEqual([
      ['DM-0267', slugOf('DM-0267')],
      ['DM 0267', slugOf('DM 0267')],
    ]);
    // A site built when the index was keyed by plain address ("dm-0267"): the next build rewrites every piece.
    const numbers = path.join(catalogueFiles(workspace(dir)).publicDir, 'data', 'numbers');
    const old = new Map<string, NumberPiece>();
    for (const o of catalogue.objects) {
      const piece = old.get(numberPiece(addressOf(o.id))) ?? {};
      (piece[addressOf(o.id)] ??= []).push([o.id, o.slug]);
      old.set(numberPiece(addressOf(o.id)), piece);
    }
    for (const [name, piece] of old) await writeFile(path.join(numbers, `${name}.json`), JSON.stringify(piece));
    await buildCatalogueData({ ws: workspace(dir), params: defaultParams(), log: memoryLogger() });
    expect(await read(numbers)).toEqual(published);
  });

  it('does not search for a single letter or digit', async () => {
    for (const q of ['0', 'a', '-']) {
      const r = await typed(q);
      expect(r.titles, q).toEqual([]);
      expect(r.status, q).toMatch(/Type two or more letters or digits/);
    }
    // Exactly an object's number, one character long: its page is offered, and still no search of words.
    const one = await typed('1');
    expect([one.words, one.offered, one.titles]).toEqual(['Go to object 1', `/objects/${slugOf('1')}/`, []]);
    expect(one.status).toContain('“1” is the number of an object: go to its page above.');
    expect(one.status).toContain('To search words, type two or more letters or digits');
    expect(one.failed).toEqual([]);
    await page.locator('#exact a').click();
    await page.waitForURL(`${site.url}objects/${slugOf('1')}/`);
    // Two are enough: "18" finds the objects dated in the 1800s.
    expect((await typed('18')).titles.sort()).toEqual(['Harbour at Naples', 'Tapestry Fragment with Checks']);
  });
});
