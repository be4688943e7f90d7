import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { eachObjectPageProps } from '../../pipeline/catalogue/pages.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { foldedCopy } from '../../site/src/lib/fold.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FixtureObject, fiveMuseumsRows, writeFixture } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

/*
 * What an outside tester (T5) found using a catalogue built from an Egyptian collection as the public would, one test
 * per finding. The collection: 22 objects, one of them untitled, whose free-text materials are 20 values (the real
 * export's were 150: "faience", "blue faience", "Nile silt ware; lid of limestone"…).
 */

const MATERIALS = [
  'Basalt',
  'Bone',
  'Bronze',
  'Carnelian',
  'Clay',
  'Copper',
  'Flint',
  'Glass',
  'Gold',
  'Granite',
  'Ivory',
  'Limestone',
  'Linen',
  'Marble',
  'Obsidian',
  'Papyrus',
  'Quartzite',
  'Silver',
  'Wood',
];
const UNTITLED = 'UT.1 a';

let built: SearchSite;

beforeAll(async () => {
  const labels = ['Jewellery', 'Statuary'];
  // Faience is the most common (3 objects), then the others one each, in the order of their names.
  const objects: FixtureObject[] = [
    ...['F-1', 'F-2', 'F-3'].map((id) => ({ id, title: `Faience bead ${id}`, medium: 'Faience' })),
    ...MATERIALS.map((medium, i) => ({ id: `M-${i + 1}`, title: `Object of ${medium}`, medium })),
    // Two parts of one lot, numbered as Cleveland numbers them.
    { id: '1914.699.a', title: 'Tab from Mummy Band' },
    { id: '1914.699.c', title: 'Tab from Mummy Band' },
    // Titles in scripts written without spaces, and one pasted from a PDF with its "ﬁ" ligature.
    { id: 'JA-1', title: '東京の風景と壺' },
    { id: 'TH-1', title: 'ภาพวาดแจกัน' },
    { id: 'PDF-1', title: 'Jar (ﬁne ware)' },
  ].map((o, i) => ({ ...o, label: labels[i % 2]!, image: null }));
  // No title, and in the review queue (a guess not sure enough to publish), so that its card is on the queue too.
  objects[4] = {
    ...objects[4]!,
    id: UNTITLED,
    title: '',
    predicted: { label: 'Statuary', confidence: 0.3 },
    published: false,
  };
  built = await searchSite({ prefix: 'vitrine-t5-', objects, labels });
}, 300_000);

afterAll(async () => {
  await built?.close();
});

describe('an untitled object’s card', () => {
  it('is named by its object number, as its page is, not by its address in lower case', async () => {
    const o = built.catalogue.objects.find((x) => x.id === UNTITLED)!;
    expect(o.slug).not.toBe(UNTITLED);
    const page = await readFile(path.join(built.dir, '.vitrine', 'site', 'objects', o.slug, 'index.html'), 'utf8');
    expect(page).toMatch(/<h1[^>]*>UT\.1 a<\/h1>/);
    // No empty "Title" row in its details (tester T5, LOW).
    expect(page).not.toMatch(/<dt[^>]*>Title<\/dt>/);
    // Every object page by page, and the review queue: the same card.
    for (const list of ['all', 'review']) {
      const html = await readFile(path.join(built.dir, '.vitrine', 'site', list, 'index.html'), 'utf8');
      const card = html.match(new RegExp(`href="/objects/${o.slug.replaceAll('.', '\\.')}/"[^]*?</a>`))?.[0] ?? '';
      expect(card, list).toMatch(/<p class="title" dir="auto">UT\.1 a<\/p>/);
      expect(card, list).not.toContain(`>${o.slug}<`);
    }
  });
});

describe('a filter of many values', () => {
  const material = () =>
    built.page.locator('fieldset.facet', { has: built.page.locator('legend', { hasText: 'Material' }) });

  it('shows its 10 most common values and a button that shows all and folds them again, keeping the focus', async () => {
    const { page } = built;
    await page.goto(`${built.site.url}browse/`);
    await page
      .locator('#status')
      .filter({ hasText: /objects in the collection/ })
      .waitFor();
    const boxes = material().locator('input[type=checkbox]');
    expect(await boxes.count()).toBe(10);
    expect((await material().locator('label').allTextContents())[0]).toMatch(/^Faience\s*3$/);
    const all = material().getByRole('button', { name: 'Show all 20 materials' });
    expect(await all.getAttribute('aria-expanded')).toBe('false');
    // By keyboard, as a visitor who does not use a mouse.
    await all.focus();
    await page.keyboard.press('Enter');
    expect(await boxes.count()).toBe(20);
    const fewer = material().getByRole('button', { name: 'Show fewer materials' });
    expect(await fewer.getAttribute('aria-expanded')).toBe('true');
    expect(await fewer.evaluate((b) => b.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    expect(await boxes.count()).toBe(10);
    // The other filters are not folded: two object types, no button.
    const types = page.locator('fieldset.facet', { has: page.locator('legend', { hasText: 'Object type' }) });
    expect(await types.locator('input[type=checkbox]').count()).toBe(2);
    expect(await types.getByRole('button').count()).toBe(0);
  });

  it('keeps a chosen value in view when folded', async () => {
    const { page } = built;
    await page.goto(`${built.site.url}browse/?medium=Wood`);
    await page
      .locator('#status')
      .filter({ hasText: /^1 object/ })
      .waitFor();
    await page.waitForLoadState('networkidle');
    const boxes = material().locator('input[type=checkbox]');
    expect(await boxes.count()).toBe(11);
    expect(await material().locator('input[value="Wood"]').isChecked()).toBe(true);
    expect(await material().getByRole('button', { name: 'Show all 20 materials' }).count()).toBe(1);
  });
});

describe('a number no object has', () => {
  it('finds nothing, where Pagefind answered for a shorter number and listed others as found', async () => {
    const wrong = await typedSearch({ built, q: '1914.6999', done: /^\d+ objects? for / });
    expect(wrong.status).toMatch(/^0 objects for “1914\.6999”: no object has /);
    expect(wrong.titles).toEqual([]);
    // A number's start still finds every number starting so, and a whole number its object.
    expect((await typedSearch({ built, q: '1914.69' })).status).toMatch(/^2 objects for /);
    expect((await typedSearch({ built, q: '1914.699.c' })).offered).toBe('Go to object 1914.699.c');
  });
});

describe('the model page’s scores per type', () => {
  // The types the gate did not judge by their F1 (fewer test objects than the dataset.min_test_per_class it used,
  // recorded in metrics.json), in the report's words; the page greyed types under 10, another number (G1).
  it('greys and names the types the gate did not judge, by the threshold it used, and heads the group column in capitals', async () => {
    const root = await tempDir('vitrine-t5-card-');
    const labels = ['coin', 'mask', 'vase'];
    const objects = labels.map((label, i) => ({ id: `C-${i}`, title: `Object ${i}`, label, image: null }));
    // The fixture's evaluation: 8 coins, 10 masks and 11 vases in the test split.
    await writeFixture({ root, objects, labels });
    const ws = workspace(root);
    const file = path.join(ws.evaluate, 'metrics.json');
    const metrics = JSON.parse(await readFile(file, 'utf8'));
    // The gate used 9 (params.yaml says 5 now): the page goes by the gate's.
    await writeFile(file, JSON.stringify({ ...metrics, gate: { passed: true, checks: [], minTestPerClass: 9 } }));
    const params = defaultParams();
    const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
    const card = catalogue.models.find((m) => m.current)!;
    expect(card.metrics!.perClass.map((c) => c.support)).toEqual([8, 10, 11]);
    expect(card.metrics!.minTestPerClass).toBe(9);
    await buildSite({ ws, params, log: memoryLogger() });
    const html = await readFile(path.join(ws.site, 'models', card.version, 'index.html'), 'utf8');
    const perType = /<caption>Scores per object type<\/caption>([\s\S]*?)<\/table>/.exec(html)![1]!;
    const row = (label: string) =>
      new RegExp(`<tr([^>]*)><th scope="row"[^>]*>${label}</th>([\\s\\S]*?)</tr>`).exec(perType);
    expect(row('coin')?.[1]).toContain('class="small"');
    expect(row('coin')?.[2]).toContain('too few test objects to judge: 8');
    expect(row('mask')?.[1]).toBe('');
    expect(row('mask')?.[2]).not.toContain('too few');
    expect(row('vase')?.[1]).toBe('');
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain(
      'Too few test objects to judge: a type with fewer than 9 test objects is not judged by its F1 when a model is ' +
        'checked before it is put in use (the setting dataset.min_test_per_class), as one object more or less found ' +
        'moves its recall by 12 points or more. Here: coin (8).',
    );
    expect(text).not.toContain('Fewer than 10');
    // The per-group table's first column is headed as the others are, not by the params key ("department").
    const byDepartment = /<caption>Scores by department<\/caption>\s*<thead><tr><th scope="col">([^<]*)</.exec(html);
    expect(byDepartment?.[1]).toBe('Department');
  }, 300_000);
});

describe('a photograph not to be published, in “Pick any colour”', () => {
  it('is not listed for its own colour, as it has no colours (P1), while the photographs shown are', async () => {
    const rows = (await fiveMuseumsRows()).filter((_, i) => i % 9 === 0).slice(0, 3);
    const objects: FixtureObject[] = rows.map((r, i) => ({
      id: `P-${i}`,
      title: `Picture ${i}`,
      label: 'painting',
      image: r.image,
      rights: i === 0 ? 'Do not publish online' : 'CC0',
    }));
    const site = await searchSite({
      prefix: 'vitrine-t5-colours-',
      objects,
      labels: ['painting'],
      uniqueThumbnails: true,
    });
    try {
      const o = site.catalogue.objects.find((x) => x.id === 'P-0')!;
      expect(o.withheld?.reason).toBe('not-for-publication');
      // Its photograph's own colour, as the dataset has it: the catalogue gives it none.
      const dataset = JSON.parse(await readFile(path.join(workspace(site.dir).dataset, 'dataset.json'), 'utf8')) as {
        objects: { id: string; colours: { hex: string }[] }[];
      };
      const hex = dataset.objects.find((x) => x.id === 'P-0')!.colours[0]!.hex.slice(1);
      await site.page.goto(`${site.site.url}colours/?colour=${hex}`);
      await site.page
        .locator('#pick-status')
        .filter({ hasText: /objects? with a colour close to|No object has a colour close to/ })
        .waitFor();
      expect(await site.page.locator('#pick-results li', { hasText: 'Picture 0' }).count()).toBe(0);
      // A photograph shown has its picture, and no such words.
      const shown = site.page.locator('#pick-results li', { has: site.page.locator('img') });
      expect(await shown.count()).toBeGreaterThan(0);
      expect(await shown.first().locator('.noimg').count()).toBe(0);
    } finally {
      await site.close();
    }
  }, 300_000);
});

describe('words inside a title in a script written without spaces, and a ligature', () => {
  it('are found: “風景” and “壺” in “東京の風景と壺”, “แจกัน” in “ภาพวาดแจกัน”, “fine” in “ﬁne”', async () => {
    for (const [q, id] of [
      ['風景', 'JA-1'],
      ['壺', 'JA-1'],
      ['東京', 'JA-1'],
      ['แจกัน', 'TH-1'],
      ['fine', 'PDF-1'],
      ['ﬁne', 'PDF-1'],
    ]) {
      const found = await built.pagefind<{ url: string }>(q);
      expect(
        found.map((r) => built.idOf(r.url)),
        q,
      ).toEqual([id]);
      expect((await typedSearch({ built, q })).status, q).toBe(`1 object for “${q}”`);
    }
  });

  it('gives the tails of a title’s runs, not of a long description’s prose (the index would grow by its square)', () => {
    expect(foldedCopy('東京の風景と壺').split(' ')).toEqual([
      '京の風景と壺',
      'の風景と壺',
      '風景と壺',
      '景と壺',
      'と壺',
      '壺',
    ]);
    // A run of 40 characters is prose: no tails.
    expect(foldedCopy('風'.repeat(20) + '景'.repeat(20))).toBe('');
    // Many short runs (a description of 500 phrases): about 2,000 characters of tails at most.
    const description = Array.from({ length: 500 }, (_, i) => `第${String.fromCodePoint(0x4e00 + i)}の壺と鏡`).join(
      '、',
    );
    expect(foldedCopy(description).length).toBeLessThan(2_100);
  });

  it('says the whole Thai word no object has, not its pieces between vowel marks', async () => {
    const answer = await typedSearch({ built, q: 'ทองแจกัน', done: /^0 objects/ });
    expect(answer.status).toContain('no object has the word “ทองแจกัน”.');
  });
});

describe('“More like this” and a photograph not to be published', () => {
  it('lists no look-alikes on its page, and does not list it on the others’', () => {
    // The built catalogue's objects, three of them made look-alikes of each other.
    const catalogue = structuredClone(built.catalogue);
    const [a, b, c] = catalogue.objects;
    a!.similar = [b!.id, c!.id];
    b!.similar = [a!.id, c!.id];
    c!.similar = [a!.id, b!.id];
    b!.withheld = { shown: 'none', reason: 'not-for-publication' };
    const similar = new Map<string, string[]>();
    eachObjectPageProps(catalogue, (p) =>
      similar.set(
        p.object.id,
        p.similar.map((card) => card.number),
      ),
    );
    expect(similar.get(b!.id)).toEqual([]);
    expect(similar.get(a!.id)).toEqual([c!.id]);
    expect(similar.get(c!.id)).toEqual([a!.id]);
    // Held back for copyright only: still a look-alike, as before.
    b!.withheld = { shown: 'none', reason: 'in-copyright' };
    eachObjectPageProps(catalogue, (p) =>
      similar.set(
        p.object.id,
        p.similar.map((card) => card.number),
      ),
    );
    expect(similar.get(b!.id)).toEqual([a!.id, c!.id]);
    expect(similar.get(a!.id)).toEqual([b!.id, c!.id]);
  });
});

describe('“More like this” on the built pages of a photograph not to be published', () => {
  it('is left out of its page and of the others’, as the pages are planned from the data step’s digests', async () => {
    const root = await tempDir('vitrine-t5-alike-');
    const rows = (await fiveMuseumsRows()).filter((_, i) => i % 7 === 0).slice(0, 5);
    const objects: FixtureObject[] = rows.map((r, i) => ({
      id: `S-${i}`,
      title: `Sacred object ${i}`,
      label: i % 2 ? 'coin' : 'vase',
      image: r.image,
      rights: i === 0 ? 'Secret/sacred: do not publish online' : 'CC0',
    }));
    await writeFixture({ root, objects, labels: ['coin', 'vase'], embeddingSize: 16 });
    const ws = workspace(root);
    const params = defaultParams();
    const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
    const sacred = catalogue.objects.find((o) => o.id === 'S-0')!;
    expect(sacred.withheld?.reason).toBe('not-for-publication');
    // The data step gives it none either way (P1, not-for-publication-colours.test.ts), nor do the pages.
    expect(sacred.similar).toEqual([]);
    expect(catalogue.objects.filter((o) => o.similar.includes('S-0'))).toEqual([]);
    await buildSite({ ws, params, log: memoryLogger() });
    const pages = await readdir(path.join(ws.site, 'objects'));
    let withAlikes = 0;
    for (const slug of pages) {
      const html = await readFile(path.join(ws.site, 'objects', slug, 'index.html'), 'utf8');
      if (slug === sacred.slug) expect(html).not.toContain('id="similar"');
      else {
        expect(html, slug).not.toContain(`/objects/${sacred.slug}/"`);
        if (html.includes('id="similar"')) withAlikes++;
      }
    }
    expect(withAlikes).toBeGreaterThan(0);
  }, 300_000);
});
