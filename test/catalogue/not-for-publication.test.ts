import { describe, expect, it } from 'vitest';
import { withheldOf } from '../../pipeline/catalogue/image-rules.ts';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { fiveMuseumsRows, writeFixture } from '../site/fixture.ts';

/*
 * An outside tester (T3, F10): a rights cell that forbids publication ("Do not publish online", "Culturally sensitive -
 * do not display", "Sacred/secret: not to be shown", "Embargoed until 2030") was "not recognised", so by default
 * (catalogue.images.unknown: full) the photograph went online in full, with zoom, IIIF and download. Such a text now
 * keeps the photograph off the site whatever catalogue.images says, and the build log names the objects. The record
 * itself is still published, as for a work in copyright shown "none". Failed before the fix.
 */

const FORBIDDING = [
  'Do not publish online',
  'Not for public display',
  'Culturally sensitive - do not display',
  'Sacred/secret: not to be shown',
  'Embargoed until 2030',
  'Internal use only',
  'Publication not permitted',
  'Web use not permitted',
  'Confidential',
  'Nicht veröffentlichen',
  'Ne pas diffuser',
  'CC BY 4.0; do not publish online',
  // Review V6: other word orders, contractions and modal verbs, hyphens, "restricted" inside a text.
  'Secret/sacred',
  'Secret sacred',
  'Secret-sacred',
  'Culturally-sensitive',
  'Don’t publish',
  "Please don't publish online",
  'Never publish online',
  'Must not be published',
  'May not be published',
  'Not to be reproduced or published',
  'Access restricted',
  'Restricted access - sacred material',
  'Veröffentlichung nicht gestattet',
  'Keine Online-Veröffentlichung',
  'Online display: not permitted',
  'Not for general viewing',
  'Withheld at the request of the community',
];

const ALLOWING = [
  'Public domain',
  'No known copyright restrictions',
  'No Copyright - Contractual Restrictions',
  'CC BY 4.0',
  'Not in copyright',
  'Published in 1923; public domain',
  'Copyright not evaluated',
  'In Copyright',
  '',
  // Review V6: a denied or lifted embargo, a past confidentiality, internal use allowed, a gallery note.
  'Public domain — no embargo',
  'Public domain (embargo lifted 2019)',
  'Public domain; no longer embargoed',
  'CC0; formerly confidential',
  'Public domain. Free for internal use and publication',
  'CC0; also cleared for internal use',
  'CC BY 4.0; reproduction for internal use permitted',
  'Public Domain. Not displayed in gallery',
  'Public domain; object not shown in the galleries',
  'Public domain; image not shown actual size',
];

const everythingFull = { in_copyright: 'full', unknown: 'full', thumbnail_max: 300 } as const;

describe('a rights text that says not to publish the photograph', () => {
  it('keeps the photograph off the site whatever catalogue.images says', () => {
    for (const text of FORBIDDING)
      expect(withheldOf({ rights: rightsOf(text), rules: everythingFull }), text).toEqual({
        shown: 'none',
        reason: 'not-for-publication',
      });
  });

  it('is not found in open licences, “restrictions” statements or texts that say nothing of the kind', () => {
    for (const text of ALLOWING) expect(withheldOf({ rights: rightsOf(text), rules: everythingFull }), text).toBeNull();
  });

  it('publishes the record without the photograph, and the build log names the object and its text', async () => {
    const root = await tempDir('vitrine-not-for-publication-');
    const rows = await fiveMuseumsRows();
    const [one, two] = [rows[0]!, rows[7]!];
    await writeFixture({
      root,
      labels: [...new Set([one.label!, two.label!])].sort(),
      objects: [
        {
          id: 'sacred',
          title: 'Mask',
          rights: 'Culturally sensitive - do not display',
          label: one.label!,
          image: one.image,
        },
        { id: 'open', title: 'Bowl', rights: 'CC0', label: two.label!, image: two.image },
      ],
    });
    const log = memoryLogger();
    const { catalogue } = await buildCatalogueData({ ws: workspace(root), params: defaultParams(), log });
    const byId = (id: string) => catalogue.objects.find((o) => o.id === id)!;
    expect(byId('sacred').withheld).toEqual({ shown: 'none', reason: 'not-for-publication' });
    expect(byId('sacred').zoom).toBeNull();
    expect(byId('sacred').title).toBe('Mask');
    expect(byId('open').withheld).toBeNull();
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toContain(
      '1 photograph is not shown at all because its rights text says not to publish it ("Culturally sensitive - do ' +
        'not display"): object "sacred".',
    );
  });

  it('keeps an embargo whose date has passed, and the build log says to change the text if it is over', async () => {
    // Task R8: the date of an embargo is not read, so that the site does not change by itself on a date and nothing
    // goes online that nobody checked ("Embargoed until 2001" may be a typing slip for 2031). The build says which
    // embargo dates have passed by the build's clock. The message failed before the fix.
    const root = await tempDir('vitrine-embargo-passed-');
    const rows = await fiveMuseumsRows();
    const [one, two] = [rows[0]!, rows[7]!];
    await writeFixture({
      root,
      labels: [...new Set([one.label!, two.label!])].sort(),
      objects: [
        { id: 'old', title: 'Mask', rights: 'Embargoed until 2001', label: one.label!, image: one.image },
        { id: 'new', title: 'Bowl', rights: 'Embargoed until 2099', label: two.label!, image: two.image },
      ],
    });
    const log = memoryLogger();
    const clock = { now: () => new Date('2026-12-07T03:00:00Z') };
    const { catalogue } = await buildCatalogueData({ ws: workspace(root), params: defaultParams(), log, clock });
    for (const o of catalogue.objects)
      expect(o.withheld, o.id).toEqual({ shown: 'none', reason: 'not-for-publication' });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toContain(
      'The embargo date of "Embargoed until 2001" (object "old") has passed: the photograph stays off the site until ' +
        'the rights text is changed in the collection system or its export, as Vitrine does not end an embargo by its ' +
        'date. If the embargo is over, remove it from the rights text; if the date is a slip, correct it.',
    );
    expect(said).not.toMatch(/embargo date of "Embargoed until 2099"/);
  });
});
