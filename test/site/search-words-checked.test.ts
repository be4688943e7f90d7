import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

/*
 * What the search page says of the typed words when it checks them one by one (a reviewer). With more than 12
 * words and a filter, it blamed a word instead of the filter ("cannot say which word no object has", where it had
 * said "objects have these words, but none with these filters"), and with no filter it presumed some word was in
 * no object. A typed word the first object found marks was not searched alone, also when the stemmer changes the
 * typed word ("cry" is searched as "cri", which "crystal" does not start): "cry crystal" found Crystal goblet,
 * "cry goblet" said no object has the word "cry". One tiny site, read in Chromium.
 */

describe('the typed words checked one by one', () => {
  let built: SearchSite;
  const labels = ['print', 'painting'];
  const objects: FixtureObject[] = [
    {
      id: 'W-1',
      title: 'Great wave harbour boats fishermen mount fuji snow clouds spray sea blue',
      label: 'painting',
      image: null,
    },
    { id: 'CG-1', title: 'Crystal goblet', label: 'print', image: null },
    { id: 'PG-2', title: 'Plum garden', label: 'print', image: null },
  ];

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-words-checked-', objects, labels });
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  const typed = (q: string, { filters }: { filters?: string } = {}) => typedSearch({ built, q, filters });

  const thirteen = 'great wave harbour boats fishermen mount fuji snow clouds spray sea blue w1';

  it('says a filter left nothing when more than 12 words typed are all in an object', async () => {
    const all = await typed(thirteen);
    expect(all.titles).toHaveLength(1);
    const narrowed = await typed(thirteen, { filters: 'type=print' });
    expect(narrowed.titles).toEqual([]);
    expect(narrowed.status).toContain('objects have these words, but none with these filters');
    expect(narrowed.status).not.toContain('cannot say');
    // A 13th word in no object, which Pagefind answers as "blue": the object found does not show it.
    const unsure = await typed(thirteen.replace('w1', 'bluesky'), { filters: 'type=print' });
    expect(unsure.titles).toEqual([]);
    expect(unsure.status).toContain('cannot say whether it is the filters or a word that is in no object');
    expect(unsure.status).not.toContain('objects have these words');
  });

  it('does not presume a word is in no object when more than 12 words found nothing', async () => {
    // The 13th word is in another object, not searched alone: the page cannot know it is in some object.
    const r = await typed('great wave harbour boats fishermen mount fuji snow clouds spray sea blue goblet');
    expect(r.titles).toEqual([]);
    expect(r.status).toContain('no object has all of these words');
    expect(r.status).toContain('cannot say whether some word is in no object');
    expect(r.status).not.toContain('which word');
  });

  it('searches alone a typed word the stemmer changes, though an object found marks a word starting with it', async () => {
    const crystal = await typed('cry crystal');
    const goblet = await typed('cry goblet');
    expect(crystal.titles).toEqual([]);
    expect(crystal.status).toContain('no object has the word “cry”');
    expect(goblet.titles).toEqual([]);
    expect(goblet.status).toContain('no object has the word “cry”');
    // The start of a word is still found by it.
    expect((await typed('crys gob')).titles).toEqual(['Crystal goblet']);
  });
});
