import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite } from './search-site.ts';

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
    // Every object page by page, and the review queue: the same card.
    for (const list of ['all', 'review']) {
      const html = await readFile(path.join(built.dir, '.vitrine', 'site', list, 'index.html'), 'utf8');
      const card = html.match(new RegExp(`href="/objects/${o.slug.replaceAll('.', '\\.')}/"[^]*?</a>`))?.[0] ?? '';
      expect(card, list).toMatch(/<p class="title" dir="auto">UT\.1 a<\/p>/);
      expect(card, list).not.toContain(`>${o.slug}<`);
    }
  });
});
