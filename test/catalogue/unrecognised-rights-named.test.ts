import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { fiveMuseumsRows, writeFixture } from '../site/fixture.ts';

/*
 * Tester T3, F4 (second half): a rights text Vitrine does not recognise ("Rights TBC", "Copyrighted" before it was
 * read) is shown in full by default (catalogue.images.unknown: full), and the build log only counted such objects, so
 * the maintainer could not see which texts they were. Every build now names them, once per text, with how many objects
 * and the first of them, the most common first; the rest are counted. Failed before the fix.
 */

async function build(rules: 'full' | 'thumbnail', objects: { id: string; rights: string; image?: boolean }[]) {
  const root = await tempDir('vitrine-unrecognised-rights-');
  const rows = await fiveMuseumsRows();
  const label = rows[0]!.label!;
  await writeFixture({
    root,
    labels: [label],
    objects: objects.map((o, i) => ({
      id: o.id,
      title: `Object ${o.id}`,
      rights: o.rights,
      label,
      image: o.image === false ? null : rows[i]!.image,
    })),
  });
  const params = defaultParams();
  params.catalogue.images.unknown = rules;
  const log = memoryLogger();
  await buildCatalogueData({ ws: workspace(root), params, log });
  return log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
}

describe('the rights texts Vitrine does not recognise, in the build log', () => {
  it('are named once each with their objects when their photographs are shown in full', async () => {
    const said = await build('full', [
      { id: 'EG-10', rights: 'Rights TBC' },
      { id: 'EG-2', rights: 'Rights TBC' },
      { id: 'EG-1', rights: 'Rights TBC' },
      { id: 'EG-4', rights: 'Rights TBC' },
      { id: 'V-1', rights: 'Verwendung frei' },
      // Recognised, empty, not photographed, or not to be published: not named.
      { id: 'open', rights: 'CC0' },
      { id: 'unsure', rights: 'Copyright not evaluated' },
      { id: 'empty', rights: '' },
      { id: 'nophoto', rights: 'Ask the registrar', image: false },
      { id: 'sacred', rights: 'Culturally sensitive - do not display' },
    ]);
    expect(said).toContain(
      'warn: 5 objects have a rights text Vitrine does not recognise, and their photographs are shown in full ' +
        '(catalogue.images.unknown: full): "Rights TBC" (4: EG-1, EG-2, EG-4 and 1 more) and "Verwendung frei" ' +
        '(1: V-1). If they are not open, correct the rights field in the export (docs/catalogue.md, "Rights", lists ' +
        'the texts Vitrine reads), or set catalogue.images.unknown to thumbnail or none in params.yaml to show such ' +
        'photographs small or not at all.',
    );
    expect(said).not.toContain('Ask the registrar');
    expect(said.match(/does not recognise/g)).toHaveLength(1);
  });

  it('name the most common texts and count the rest, so that thousands of objects make one short line', async () => {
    const objects = Array.from({ length: 8 }, (_, i) => ({ id: `O-${i}`, rights: `Text ${i < 2 ? 'A' : i}` }));
    const said = await build('full', objects);
    expect(said).toContain(
      '8 objects have a rights text Vitrine does not recognise, and their photographs are shown in full ' +
        '(catalogue.images.unknown: full): "Text A" (2: O-0, O-1), "Text 2" (1: O-2), "Text 3" (1: O-3), ' +
        '"Text 4" (1: O-4), "Text 5" (1: O-5) and 2 more texts (2 objects).',
    );
  });

  it('are not said when such photographs are shown small', async () => {
    const said = await build('thumbnail', [{ id: 'a', rights: 'Rights TBC' }]);
    expect(said).not.toContain('does not recognise');
  });
});
