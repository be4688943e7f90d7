import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

/*
 * An outside tester's archive numbers its objects by box and folder ("Box 4 / Folder 7 / Item 2"). "Box 4" found
 * nothing and said no object has the word "box"; "Box 4 / Folder 7" said each word was in some object but none
 * had them all; "Réf. Œuvre–19" was not found by "Oeuvre", and "Ref. Oeuvre-19" offered no "Go to object". Only a
 * number's whole and its parts with two or more characters and a digit were searched, and "Œ" was left out of its
 * address. "MS 1/1", searched as "ms 11" (Pagefind drops the "/"), then found nothing: no word started with "11".
 * One tiny site, read in Chromium.
 */

describe('an archive number searched by its parts', () => {
  let built: SearchSite;
  let page: Page;
  const labels = ['print', 'painting'];
  const objects: FixtureObject[] = [
    { id: 'Box 4 / Folder 7 / Item 2', title: 'The Great Wave', label: 'print', image: null },
    { id: 'Box 5 / Folder 1 / Item 3', title: 'Plum Garden', label: 'print', image: null },
    { id: 'Réf. Œuvre–19', title: 'Interrupted Reading', label: 'painting', image: null },
    { id: 'MS 4/7', title: 'The Veteran', label: 'painting', image: null },
    { id: 'MS 1/1', title: 'Sunflowers', label: 'print', image: null },
    { id: 'MS 0/9', title: 'The Hay Wain', label: 'painting', image: null },
    { id: 'DM-0267', title: 'View of a Harbour', label: 'print', image: null },
    // A manuscript among folios with no title (their pages are headed by their number) and an inventory number with
    // its run-together digits: "MS 12/3" is searched as "ms 123", which starts "1230" and "1234" too.
    { id: 'MS 12/3', title: 'Book of Hours', label: 'painting', image: null },
    ...[0, 1, 2, 3, 4, 5].map((n) => ({ id: `MS 12/3${n}`, title: '', label: 'print', image: null })),
    { id: 'Inv. Nr. 1234', title: '', label: 'print', image: null },
  ];

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-archive-number-', objects, labels });
    page = built.page;
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  const typed = (q: string, { filters }: { filters?: string } = {}) => typedSearch({ built, q, filters });

  let watching = false;
  /** What the page asks Pagefind from now on, in order (`asked`): its loader wrapped before the page’s script sets it. */
  async function watchSearches() {
    if (watching) return;
    watching = true;
    await page.addInitScript(() => {
      const w = globalThis as unknown as { vitrineAsked: string[]; vitrineLoadPagefind?: () => Promise<object> };
      w.vitrineAsked = [];
      let load: (() => Promise<object>) | undefined;
      Object.defineProperty(w, 'vitrineLoadPagefind', {
        configurable: true,
        get: () =>
          load &&
          (async () => {
            const pf = (await load!()) as { search: (q: string | null, o: object) => Promise<unknown> };
            return { ...pf, search: (q: string | null, o: object) => (w.vitrineAsked.push(q ?? ''), pf.search(q, o)) };
          }),
        set: (f: () => Promise<object>) => {
          load = f;
        },
      });
    });
    // The script runs on the next page loaded: the next search opens the search page again (typedSearch).
    await page.goto('about:blank');
  }
  const asked = () => page.evaluate(() => (globalThis as unknown as { vitrineAsked: string[] }).vitrineAsked);

  it('finds a box and folder number by its parts, and says back what was typed', async () => {
    for (const q of ['Box 4', 'box 4 folder 7', 'Box 4 / Folder 7', 'Box 4/Folder 7/Item 2', 'Folder 7', 'Item 2']) {
      const r = await typed(q);
      expect(r.titles, q).toEqual(['The Great Wave']);
      expect(r.status, q).toBe(`1 object for “${q}”`);
    }
    expect((await typed('Box 4/Folder 7/Item 2')).offered).toBe('Go to object Box 4 / Folder 7 / Item 2');
    expect((await typed('Box')).titles.sort()).toEqual(['Plum Garden', 'The Great Wave']);
  });

  it('finds a number with "Œ" typed with "oe", and offers its page', async () => {
    for (const q of ['Réf. Œuvre–19', 'Ref. Oeuvre-19', 'Réf. Oeuvre–19', 'Oeuvre', 'oeuvre 19']) {
      const r = await typed(q);
      expect(r.titles, q).toEqual(['Interrupted Reading']);
    }
    for (const q of ['Réf. Œuvre–19', 'Ref. Oeuvre-19', 'Réf. Oeuvre–19'])
      expect((await typed(q)).offered, q).toBe('Go to object Réf. Œuvre–19');
  });

  it('finds a number typed with a slash, whose parts are one digit', async () => {
    for (const [q, title] of [
      ['MS 0/9', 'The Hay Wain'],
      ['09', 'The Hay Wain'],
      ['MS 1/1', 'Sunflowers'],
      ['MS 1/1 print', 'Sunflowers'],
      ['MS 4/7', 'The Veteran'],
    ]) {
      const r = await typed(q!);
      expect(r.titles, q).toEqual([title]);
      expect(r.status, q).toBe(`1 object for “${q}”`);
    }
  });

  it('searches at most 12 typed words alone, each once', async () => {
    await watchSearches();
    // Nothing found: no more than 12 words searched alone, each once ("Box" and "box" are one word).
    const many = 'Box box BOX 8 q1 q2 q3 q4 q5 q6 q7 q8 q9 q10 q11 q12 q13';
    expect((await typed(many)).titles).toEqual([]);
    const alone = (await asked()).filter((q) => q !== '' && !q.includes(' '));
    expect(alone.length).toBe(12);
    expect(alone.filter((q) => q === 'box').length).toBeLessThanOrEqual(1);
  });

  it('says only what is true when nothing is found', async () => {
    // "box" is in two objects; no object has a word starting with "8".
    const box = await typed('Box 8');
    expect(box.titles).toEqual([]);
    expect(box.status).toContain('no object has the word “8”');
    expect(box.status).not.toContain('“box”');
    // "9" is a part of "MS 0/9": the digit is in an object, only not with "box".
    const nine = await typed('Box 9');
    expect(nine.titles).toEqual([]);
    expect(nine.status).toContain('each word is in some object, but no object has them all');
    // Each word is in some object ("4" in "MS 4/7" and box 4), but none has both "box" and "5" with "folder 7".
    const apart = await typed('Box 5 / Folder 7');
    expect(apart.titles).toEqual([]);
    expect(apart.status).toContain('each word is in some object, but no object has them all');
    // With a filter, too: it is not the filter that left nothing (it said "objects have these words").
    const narrowed = await typed('Box 5 / Folder 7', { filters: 'type=print' });
    expect(narrowed.titles).toEqual([]);
    expect(narrowed.status).toContain('each word is in some object, but no object has them all');
    expect(narrowed.status).not.toContain('objects have these words');
    // Objects with all the words, none of them with the filter: said so.
    const other = await typed('Box 4', { filters: 'type=painting' });
    expect(other.titles).toEqual([]);
    expect(other.status).toContain('objects have these words, but none with these filters');
  });

  it('lists the object whose number was typed first, above numbers that start the same', async () => {
    for (const q of ['MS 12/3', 'ms 12-3', 'MS123']) {
      const r = await typed(q);
      expect(r.offered, q).toBe('Go to object MS 12/3');
      expect(r.titles[0], q).toBe('Book of Hours');
      expect(r.titles.indexOf('Inv. Nr. 1234'), q).not.toBe(0);
    }
  });

  it('says nothing untrue of words after the 12th when nothing is found', async () => {
    // Twelve words each in some object, and a thirteenth in none, which is not searched alone.
    const q = 'great wave plum garden interrupted reading veteran sunflowers hay wain harbour hours zebra';
    const r = await typed(q);
    expect(r.titles).toEqual([]);
    expect(r.status).not.toContain('each word is in some object');
    expect(r.status).toContain('no object has all of these words');
    expect(r.status).toContain('more than 12 words');
  });

  it('searches no typed word alone that the first object found shows', async () => {
    await watchSearches();
    await page.evaluate(() => {
      (globalThis as unknown as { vitrineAsked: string[] }).vitrineAsked.length = 0;
    });
    const r = await typed('Box 4 / Folder 7');
    expect(r.titles).toEqual(['The Great Wave']);
    const alone = (await asked()).filter((q) => q !== '' && !q.includes(' '));
    expect(alone).toEqual([]);
  });
});
