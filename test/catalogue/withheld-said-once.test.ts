import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { fiveMuseumsRows, writeFixture } from '../site/fixture.ts';

/*
 * Reviewer V4: a museum that upgrades (catalogue.images now shows works in copyright small) or makes the setting
 * stricter was told only by an info line on every build. The first build that holds back photographs the last build
 * showed in full now says so once, in plain words: how many, which setting, how to keep them.
 */

type Rule = 'full' | 'thumbnail' | 'none';

/**
 * A collection of `objects`, each with the photograph and label of the five-museums row `row`, and a build of its
 * catalogue data under catalogue.images (`images` over the defaults) that returns the warnings it logged.
 */
async function collection(prefix: string, objects: { id: string; title: string; rights: string; row: number }[]) {
  const root = await tempDir(prefix);
  const rows = await fiveMuseumsRows();
  const fixture = objects.map(({ row, ...o }) => ({ ...o, label: rows[row]!.label!, image: rows[row]!.image }));
  await writeFixture({ root, labels: [...new Set(fixture.map((o) => o.label))].sort(), objects: fixture });
  const ws = workspace(root);
  const build = async (images: { in_copyright?: Rule; unknown?: Rule } = {}) => {
    const params = defaultParams();
    params.catalogue.images = { ...params.catalogue.images, ...images };
    const log = memoryLogger();
    await buildCatalogueData({ ws, params, log });
    return log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  };
  return { ws, build };
}

describe('photographs newly held back for their rights', () => {
  it('are said once, by the first build that holds them back', async () => {
    const { build } = await collection('vitrine-withheld-once-', [
      { id: 'inc', title: 'Vase', rights: 'In copyright', row: 0 },
      { id: 'open', title: 'Bowl', rights: 'CC0', row: 7 },
    ]);
    const said = (lines: string[]) => lines.filter((l) => l.includes('the last build showed in full'));
    expect(said(await build({ in_copyright: 'full' }))).toEqual([]);
    const stricter = said(await build({ in_copyright: 'thumbnail' }));
    expect(stricter).toHaveLength(1);
    expect(stricter[0]).toContain('1 photograph the last build showed in full is now shown small');
    expect(stricter[0]).toContain('catalogue.images.in_copyright: full');
    expect(said(await build({ in_copyright: 'thumbnail' }))).toEqual([]);
  }, 120_000);
});

/*
 * Tester T12: a photograph held back after its rights text changed was told "To show it in full as before, set
 * catalogue.images.in_copyright: full", which shows every In Copyright photograph in full. The build now names the
 * object, its rights text and how it was read, says correcting that text is how to show it, and the setting as what
 * it is: a rule for all of them.
 */
describe('a photograph newly held back after its rights text changed', () => {
  it('is named with its text and reading; the setting is said to show every In Copyright photograph', async () => {
    const { ws, build } = await collection('vitrine-withheld-text-', [
      { id: 'inc', title: 'Vase', rights: 'In copyright', row: 0 },
      { id: 'changed', title: 'Bowl', rights: 'CC0', row: 7 },
    ]);
    const said = (lines: string[]) => lines.filter((l) => l.includes('the last build showed in full'));
    expect(said(await build())).toEqual([]);
    const file = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8'));
    // On two lines, as an export writes a field with a line break (reviewer V29: quoted raw, on two lines).
    dataset.objects.find((o: { id: string }) => o.id === 'changed').rights = 'Photo: Harbour Town Photo Archive,\nCC0';
    await writeFile(file, JSON.stringify(dataset));
    const lines = said(await build());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('1 photograph the last build showed in full is now shown small');
    expect(lines[0]).toContain(
      '"changed" has the rights text "Photo: Harbour Town Photo Archive, CC0", read as In Copyright',
    );
    expect(lines[0]).toContain('correct that object’s rights field');
    expect(lines[0]).toContain('that is how to show it in full');
    expect(lines[0]).toContain('Setting catalogue.images.in_copyright: full would show every In Copyright photograph');
    expect(lines[0]).toContain('in full, not only this one');
    expect(lines[0]).not.toContain('To show it in full as before');
    expect(lines[0]).not.toContain('"inc"');
    // Named once (reviewer V29: in the count's list and again with its text).
    expect(lines[0]!.split('"changed"')).toHaveLength(2);
  }, 120_000);
});

/*
 * Helper R4: an upgrade that reads more rights texts as open (RIGHTS_READING raised), an export whose rights were
 * corrected, or a laxer catalogue.images put photographs on the public site in full that the last build held back,
 * and the build said nothing of them (only of those newly held back). A museum must see what goes public.
 */
describe('photographs newly shown in full', () => {
  it('are named once, with their photograph, why, and a count when many', async () => {
    const { ws, build } = await collection('vitrine-shown-once-', [
      ...['inc1', 'inc2', 'inc3', 'inc4'].map((id, i) => ({ id, title: 'Vase', rights: 'In copyright', row: 7 * i })),
      { id: 'flat', title: 'Bowl', rights: 'In copyright', row: 28 },
      { id: 'open', title: 'Jar', rights: 'CC0', row: 35 },
    ]);
    const said = (lines: string[]) => lines.filter((l) => l.includes('the last build held back'));
    expect(said(await build({ in_copyright: 'thumbnail' }))).toEqual([]);
    // The export now says, field name first, what the object’s rights are: read as open, its photograph goes public.
    const file = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8'));
    dataset.objects.find((o: { id: string }) => o.id === 'flat').rights = 'Copyright: Not in copyright';
    await writeFile(file, JSON.stringify(dataset));
    const opened = said(await build({ in_copyright: 'thumbnail' }));
    expect(opened).toHaveLength(1);
    expect(opened[0]).toContain('1 photograph the last build held back for its rights is now shown in full');
    expect(opened[0]).toContain('"flat" (data/images/flat.jpg)');
    expect(opened[0]).toContain('"Copyright: Not in copyright", read as Public Domain Mark 1.0');
    expect(opened[0]).not.toContain('inc1');
    // A laxer setting: four at once, three named and the rest counted, with the setting that shows them.
    const laxer = said(await build({ in_copyright: 'full' }));
    expect(laxer).toHaveLength(1);
    expect(laxer[0]).toContain('4 photographs the last build held back for their rights are now shown in full');
    expect(laxer[0]).toContain('"inc1" (data/images/inc1.jpg), "inc2" (data/images/inc2.jpg), "inc3"');
    expect(laxer[0]).toContain('and 1 more');
    expect(laxer[0]).toContain('catalogue.images.in_copyright: full');
    expect(said(await build({ in_copyright: 'full' }))).toEqual([]);
  }, 180_000);
});

/*
 * Helpers K: a photograph that goes from not shown to shown small between builds was not mentioned (only one newly
 * shown in full was), nor one that goes from small to not shown: .vitrine/cache/catalogue-withheld.json kept only
 * which objects were held back, not how. It now keeps how, and a file of ids only (an older Vitrine’s) is still read.
 */
describe('photographs newly shown small, or no longer shown small', () => {
  it('are named once, with why and the setting, and a file of ids only is still read', async () => {
    const made = await collection('vitrine-shown-small-', [
      { id: 'inc', title: 'Vase', rights: 'In copyright', row: 0 },
      { id: 'unk', title: 'Bowl', rights: 'Ask the registrar', row: 7 },
      { id: 'open', title: 'Jar', rights: 'CC0', row: 14 },
    ]);
    const ws = made.ws;
    const build = async (inCopyright: Rule, unknown: Rule) =>
      (await made.build({ in_copyright: inCopyright, unknown })).filter((l) => l.includes('the last build'));
    const small = (lines: string[]) => lines.filter((l) => l.includes('now shown small'));
    const gone = (lines: string[]) => lines.filter((l) => l.includes('now not shown at all'));
    expect(await build('none', 'none')).toEqual([]);
    // Not shown, then shown small: a picture goes public, said as a warning with the setting that holds it back.
    const opened = await build('thumbnail', 'thumbnail');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toContain('2 photographs the last build did not show for their rights are now shown small');
    expect(opened[0]).toContain('"inc" (data/images/inc.jpg), "unk" (data/images/unk.jpg)');
    expect(opened[0]).toContain('catalogue.images.in_copyright: thumbnail');
    expect(opened[0]).toContain('1 is in copyright, shown small as catalogue.images.in_copyright: thumbnail');
    expect(opened[0]).toContain(
      '1 has rights not recorded or not recognised, shown small as catalogue.images.unknown: thumbnail',
    );
    expect(opened[0]).toContain('at most 300 pixels');
    expect(await build('thumbnail', 'thumbnail')).toEqual([]);
    // Shown small, then not at all: said too, with how to show it small as before.
    const hidden = gone(await build('none', 'thumbnail'));
    expect(hidden).toHaveLength(1);
    expect(hidden[0]).toContain('1 photograph the last build showed small is now not shown at all');
    expect(hidden[0]).toContain('"inc"');
    expect(hidden[0]).not.toContain('"unk"');
    expect(hidden[0]).toContain('set catalogue.images.in_copyright: thumbnail');
    // A file of ids only, as an older Vitrine wrote it: how they were shown is not known, so nothing is said of it,
    // and the next build compares with what this one writes.
    const file = path.join(ws.cache, 'catalogue-withheld.json');
    const about = 'Objects whose photograph the last catalogue build held back';
    await writeFile(file, JSON.stringify({ about, withheld: ['inc', 'unk'] }));
    expect(await build('thumbnail', 'thumbnail')).toEqual([]);
    expect(small(await build('none', 'none'))).toEqual([]);
    const again = small(await build('thumbnail', 'none'));
    expect(again).toHaveLength(1);
    expect(again[0]).toContain('1 photograph the last build did not show for its rights is now shown small');
    expect(again[0]).toContain('"inc" (data/images/inc.jpg)');
  }, 240_000);
});

/*
 * Reviewer V3: CI keeps .vitrine/cache between runs, not catalogue.json, and GitHub evicts the cache after 7 days
 * unused. With catalogue-withheld.json gone, the build took the last one to have shown every photograph in full, and
 * said "1 photograph the last build showed in full is now shown small … set catalogue.images.in_copyright: full":
 * false, and an invitation to publish works in copyright in full. The last catalogue.json says what it held back;
 * without it either, nothing is known, and nothing is said.
 */
describe('photographs held back, after the cache that listed them is gone', () => {
  it('are not said to be newly held back; the last catalogue.json, when there, says which were', async () => {
    const { ws, build } = await collection('vitrine-withheld-evicted-', [
      { id: 'inc', title: 'Vase', rights: 'In copyright', row: 0 },
      { id: 'later', title: 'Cup', rights: 'In copyright', row: 14 },
      { id: 'open', title: 'Bowl', rights: 'CC0', row: 7 },
    ]);
    const said = (lines: string[], words: string) => lines.filter((l) => l.includes(words));
    const withheld = path.join(ws.cache, 'catalogue-withheld.json');
    const catalogue = path.join(ws.catalogue, 'catalogue.json');
    await build();
    // The cache evicted on CI: no catalogue.json either. Nothing known of the last build's photographs.
    await rm(withheld);
    await rm(catalogue);
    expect(said(await build(), 'the last build showed in full')).toEqual([]);
    // A file cut short is as good as gone (review V4): not read as "nothing held back".
    await build();
    await writeFile(withheld, '{"withheld":["in');
    expect(said(await build(), 'the last build showed in full')).toEqual([]);
    // The cache gone on this computer, catalogue.json kept: it says what the last build held back.
    await rm(withheld);
    const shown = await build({ in_copyright: 'full' });
    expect(said(shown, 'the last build showed in full')).toEqual([]);
    expect(said(shown, 'shown in full')).toEqual([expect.stringContaining('"inc"')]);
  }, 180_000);
});

/*
 * Task R5: photographs newly held back because a new Vitrine reads their unchanged rights text otherwise
 * (RIGHTS_READING raised: "Rights holder: Jane Doe; CC BY 4.0" is now In Copyright) were said to be held back "as
 * catalogue.images in params.yaml says", with the advice to set in_copyright: full, which would show every work in
 * copyright in full. The museum changed nothing: the build now names the statement, says it is read more carefully,
 * and says to correct the rights field in the export when the museum knows the photograph is open.
 */
describe('photographs newly held back by a new reading of their rights', () => {
  it('are said to be read more carefully, with their statement, and how to correct it; not to set the rule', async () => {
    const holderText = 'Rights holder: Jane Doe; CC BY 4.0';
    const { ws, build } = await collection('vitrine-withheld-reading-', [
      { id: 'holder', title: 'Vase', rights: holderText, row: 0 },
      { id: 'inc', title: 'Cup', rights: 'In copyright', row: 14 },
      { id: 'open', title: 'Bowl', rights: 'CC0', row: 7 },
    ]);
    const withheld = path.join(ws.cache, 'catalogue-withheld.json');
    const catalogue = path.join(ws.catalogue, 'catalogue.json');
    const said = (lines: string[]) => lines.filter((l) => l.includes('the last build showed in full'));
    const cc = 'https://creativecommons.org/licenses/by/4.0/';
    expect(said(await build({ in_copyright: 'full' }))).toEqual([]);
    // As the last Vitrine left it: catalogue.json read the text as the licence, its withheld list says no reading.
    const last = JSON.parse(await readFile(catalogue, 'utf8'));
    const object = last.objects.find((o: { id: string }) => o.id === 'holder');
    object.rightsStatement = { uri: cc, label: 'Creative Commons Attribution 4.0', badge: 'CC BY 4.0', download: true };
    await writeFile(catalogue, JSON.stringify(last));
    await writeFile(withheld, JSON.stringify({ about: 'Objects…', withheld: [], notShown: [] }));
    // This build holds back both: "inc" by the stricter setting, "holder" by the reading.
    const both = said(await build({ in_copyright: 'thumbnail' }));
    expect(both).toHaveLength(2);
    const setting = both.find((l) => l.includes('"inc"'))!;
    expect(setting).toContain('as catalogue.images in params.yaml says');
    expect(setting).toContain('Setting catalogue.images.in_copyright: full would show every In Copyright photograph');
    expect(setting).not.toContain('holder');
    const reading = both.find((l) => l.includes('"holder"'))!;
    expect(reading).toContain('1 photograph the last build showed in full is now shown small');
    expect(reading).toContain('"holder" (data/images/holder.jpg)');
    expect(reading).toContain('this version of Vitrine reads its rights statement more carefully');
    expect(reading).toContain(
      `"${holderText}", now read as In Copyright, was read as Creative Commons Attribution 4.0`,
    );
    expect(reading).toContain('correct its rights field');
    expect(reading).not.toContain('in_copyright: full');
    expect(reading).not.toContain('catalogue.images in params.yaml says');
    expect(said(await build({ in_copyright: 'thumbnail' }))).toEqual([]);
    // On CI, catalogue.json gone: the withheld list this Vitrine writes says how each text was read, and by which
    // reading. As an older reading would have written it:
    const saved = JSON.parse(await readFile(withheld, 'utf8'));
    expect(saved.rightsReading).toEqual(expect.any(Number));
    expect(saved.readAs.open).toContain('CC0');
    expect(saved.readAs.open).not.toContain(holderText);
    // And the text each object read as open or unknown had (review V5), holder’s not among them.
    expect(Object.values(saved.rights)).toContain('CC0');
    expect(saved.rights.holder).toBeUndefined();
    await writeFile(
      withheld,
      JSON.stringify({
        ...saved,
        rightsReading: saved.rightsReading - 1,
        withheld: ['inc'],
        notShown: [],
        readAs: { ...saved.readAs, open: [...saved.readAs.open, holderText] },
        rights: { ...saved.rights, holder: holderText },
      }),
    );
    await rm(catalogue);
    const again = said(await build({ in_copyright: 'thumbnail' }));
    expect(again).toHaveLength(1);
    expect(again[0]).toContain('"holder"');
    expect(again[0]).toContain(`"${holderText}", now read as In Copyright, was read as open`);
    expect(again[0]).not.toContain('in_copyright: full');
    // On CI after an upgrade from a Vitrine that kept no reading, catalogue.json gone: which was held back by the new
    // reading is not known. The reading is named as a possible cause, and the setting is not the first advice.
    await writeFile(withheld, JSON.stringify({ about: 'Objects…', withheld: ['inc'], notShown: [] }));
    await rm(catalogue);
    const unsure = said(await build({ in_copyright: 'thumbnail' }));
    expect(unsure).toHaveLength(1);
    expect(unsure[0]).toContain('"holder"');
    expect(unsure[0]).toContain('reads rights statements more carefully than the one that made the last build');
    expect(unsure[0]).toContain(`"${holderText}", now read as In Copyright`);
    expect(unsure[0]).toContain('correct its rights field');
    expect(unsure[0]).toContain('Only if catalogue.images in params.yaml was made stricter on purpose');
    expect(unsure[0]).not.toContain('To show it in full as before');
    // A list written under this same reading cannot have read the text otherwise: the reading is not said to be why.
    await writeFile(
      withheld,
      JSON.stringify({
        ...saved,
        withheld: ['inc'],
        readAs: { ...saved.readAs, open: [...saved.readAs.open, holderText] },
        rights: { ...saved.rights, holder: holderText },
      }),
    );
    const same = said(await build({ in_copyright: 'thumbnail' }));
    expect(same).toHaveLength(1);
    expect(same[0]).not.toContain('more carefully');
  }, 240_000);
});

/*
 * Tester T15 (a museum upgrading Vitrine): 28 photographs whose rights text the old version did not recognise
 * ("Video and metadata - CC0") were given CC0 and a download button by the new reading, and the build said nothing:
 * a licence the public sees that no one at the museum chose. The first build under the new reading names them.
 */
describe('rights texts an upgrade reads as open that the last build did not recognise', () => {
  it('are named once, with their text and new licence, and how to correct a text that does not mean it', async () => {
    const { ws, build } = await collection('vitrine-read-open-anew-', [
      { id: 'opened', title: 'Bowl', rights: 'CC0', row: 7 },
      { id: 'always', title: 'Cup', rights: 'Public domain', row: 3 },
    ]);
    const said = (lines: string[]) => lines.filter((l) => l.includes('did not recognise'));
    expect(said(await build())).toEqual([]);
    // As an older reading left it: "CC0" not recognised, "Public domain" open.
    const file = path.join(ws.cache, 'catalogue-withheld.json');
    const saved = JSON.parse(await readFile(file, 'utf8'));
    saved.rightsReading -= 1;
    saved.readAs = { open: ['Public domain'], unknown: ['CC0'] };
    await writeFile(file, JSON.stringify(saved));
    const lines = said(await build());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('1 object');
    expect(lines[0]).toContain('"opened" "CC0", now read as CC0');
    expect(lines[0]).toContain('offers its photograph for download');
    expect(lines[0]).toContain('its text has not changed');
    expect(lines[0]).not.toContain('"always"');
    expect(said(await build())).toEqual([]);
  }, 120_000);
});
