import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace } from '../../pipeline/paths.ts';
import { type FixtureObject, fiveMuseumsRows } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

/*
 * What an outside tester of the public site found (all seen by the public), one test per finding, on one small
 * catalogue: makers that are not people, an untitled object with a photograph, the parts of one lot, and a height
 * written "12.5 cm". No word of it starts with "5" (the tester's catalogue had none): numbers here avoid the digit.
 */

let built: SearchSite;

beforeAll(async () => {
  const rows = (await fiveMuseumsRows()).filter((_, i) => i % 9 === 0).slice(0, 3);
  const objects: FixtureObject[] = [
    { id: 'MK-1', title: 'Coin', maker: 'Mint of Chang’an' },
    { id: 'MK-2', title: 'Altarpiece', maker: 'Workshop of Peter Paul Rubens' },
    { id: 'MK-3', title: 'Amulet', maker: 'Egyptian' },
    { id: 'MK-4', title: 'Vase', maker: 'Tiffany & Co.' },
    { id: 'MK-6', title: 'Portrait', maker: 'Jane Doe' },
    // Three parts of one lot, numbered as Cleveland numbers them; no ".b".
    { id: '1914.699.a', title: 'Tab from Mummy Band' },
    { id: '1914.699.c', title: 'Tab from Mummy Band' },
    { id: '1914.699.d', title: 'Tab from Mummy Band' },
    { id: 'H-1', title: 'Beaker', description: 'Height 12.5 cm' },
    { id: 'H-2', title: 'Jug', description: 'Height 12 cm' },
    { id: '12.6', title: 'Cup' },
  ].map((o, i) => ({ ...o, label: i % 2 ? 'vase' : 'coin', image: null }));
  // Two guesses held back for two reasons: below its type's threshold, and of a type the model publishes none of.
  objects.push(
    {
      id: 'G-1',
      title: 'Bowl',
      label: null,
      image: null,
      predicted: { label: 'vase', confidence: 0.4 },
      published: false,
    },
    {
      id: 'G-2',
      title: 'Dish',
      label: null,
      image: null,
      predicted: { label: 'vase', confidence: 0.97 },
      published: false,
      noThreshold: true,
    },
  );
  // Photographs, for the colour picker: the first untitled.
  rows.forEach((r, i) =>
    objects.push({ id: `P-${i}`, title: i === 0 ? '' : `Picture ${i}`, label: 'coin', image: r.image, rights: 'CC0' }),
  );
  built = await searchSite({ prefix: 'vitrine-findings-', objects, labels: ['coin', 'vase'], uniqueThumbnails: true });
}, 300_000);

afterAll(async () => {
  await built?.close();
});

/** The JSON-LD of object `id`'s page, as built. */
async function jsonLd(id: string): Promise<Record<string, unknown>> {
  const html = await pageOf(id);
  const script = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!;
  return JSON.parse(script) as Record<string, unknown>;
}

describe('the structured data of an object page', () => {
  it('types no maker as a Person: a mint or a firm is an Organization, an attribution no creator, a culture a name', async () => {
    expect((await jsonLd('MK-1')).creator).toEqual({ '@type': 'Organization', name: 'Mint of Chang’an' });
    expect(await jsonLd('MK-2')).not.toHaveProperty('creator');
    expect((await jsonLd('MK-3')).creator).toBe('Egyptian');
    expect((await jsonLd('MK-4')).creator).toEqual({ '@type': 'Organization', name: 'Tiffany & Co.' });
    expect((await jsonLd('MK-6')).creator).toBe('Jane Doe');
  });
});

/** The built page of object `id`. */
async function pageOf(id: string): Promise<string> {
  const o = built.catalogue.objects.find((x) => x.id === id)!;
  return readFile(path.join(workspace(built.dir).site, 'objects', o.slug, 'index.html'), 'utf8');
}

describe('the predicted-type filter’s values for guesses held back', () => {
  it('say why apart: a guess not sure enough, and a type the model is not yet reliable on, as the pages say it', async () => {
    const filter = (html: string) => /data-pagefind-filter="predicted"[^>]*>([^<]*)</.exec(html)?.[1];
    const [notSure, notPublished] = [await pageOf('G-1'), await pageOf('G-2')];
    expect(filter(notSure)).toBe('Not sure: waiting for staff');
    expect(filter(notPublished)).toBe('Not published: model not yet reliable on this type');
    // Each page says its own value where it gives the guess.
    for (const html of [notSure, notPublished])
      expect(html).toMatch(new RegExp(`class="value"[^>]*>${filter(html)}</p>`));
  });
});

describe('an old link to the predicted-type filter', () => {
  it('finds by the value renamed (“Not published: waiting for staff”) what the new one finds, and says the new one', async () => {
    const { page } = built;
    const now = 'Not published: model not yet reliable on this type';
    const old = new URLSearchParams({ predicted: 'Not published: waiting for staff' });
    await page.goto(`${built.site.url}browse/?${old}`);
    await page
      .locator('#status')
      .filter({ hasText: /^\d+ objects? with / })
      .waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.locator('#status').textContent()).toMatch(/^1 object with /);
    expect(await page.locator('#results .title').allTextContents()).toEqual(['Dish']);
    expect(new URL(page.url()).searchParams.getAll('predicted')).toEqual([now]);
    expect(await page.locator(`input[name="predicted"][value="${now}"]`).isChecked()).toBe(true);
  });
});

describe('the colour picker’s cards', () => {
  it('name an untitled object by its number, not its address, and give every card its number as other lists do', async () => {
    const dataset = JSON.parse(await readFile(path.join(workspace(built.dir).dataset, 'dataset.json'), 'utf8')) as {
      objects: { id: string; colours: { hex: string }[] }[];
    };
    const hex = dataset.objects.find((x) => x.id === 'P-0')!.colours[0]!.hex.slice(1);
    const { page } = built;
    await page.goto(`${built.site.url}colours/?colour=${hex}`);
    await page
      .locator('#pick-status')
      .filter({ hasText: /objects? with a colour close to/ })
      .waitFor();
    const card = page.locator('#pick-results li', { has: page.locator('a[href$="/objects/p-0/"]') });
    expect(await card.locator('.title').textContent()).toBe('P-0');
    expect(await card.locator('.number').textContent()).toBe('P-0');
    // Every card found, titled or not, has its number line.
    const cards = await page.locator('#pick-results li').count();
    expect(cards).toBeGreaterThan(1);
    const numbers = await page.locator('#pick-results li .number').allTextContents();
    expect(numbers).toHaveLength(cards);
    expect(numbers.every((n) => /^P-\d$/.test(n))).toBe(true);
  });
});

describe('searching a number', () => {
  it('finds the object whose text has “12.5” where no word starts with “5”, and only it', async () => {
    const answer = await typedSearch({ built, q: '12.5' });
    expect(answer.status).toBe('1 object for “12.5”');
    expect(answer.titles).toEqual(['Beaker']);
  });

  it('finds nothing for “12.7”, which no object has, and names it as typed, not its pieces', async () => {
    const answer = await typedSearch({ built, q: '12.7', done: /^\d+ objects? for / });
    expect(answer.status).toMatch(/^0 objects for “12\.7”: no object has the word “12\.7”\./);
    expect(answer.titles).toEqual([]);
  });

  it('finds nothing for a part no object has (“1914.699.b”), where the other parts were listed', async () => {
    const answer = await typedSearch({ built, q: '1914.699.b', done: /^\d+ objects? for / });
    expect(answer.status).toMatch(/^0 objects for “1914\.699\.b”: no object has the word “1914\.699\.b”\./);
    expect(answer.titles).toEqual([]);
    // A part an object has is still offered, and the lot by its number.
    expect((await typedSearch({ built, q: '1914.699.c' })).offered).toBe('Go to object 1914.699.c');
    expect((await typedSearch({ built, q: '1914.699' })).status).toBe('3 objects for “1914.699”');
  });
});

describe('a word no object has', () => {
  it('is said back as the visitor typed it, not in small letters', async () => {
    for (const q of ['CLE100084', 'Zebra']) {
      const answer = await typedSearch({ built, q, done: /^\d+ objects? for / });
      expect(answer.status, q).toMatch(new RegExp(`^0 objects for “${q}”: no object has the word “${q}”\\.`));
    }
  });
});
