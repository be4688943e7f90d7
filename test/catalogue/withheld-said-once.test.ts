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

describe('photographs newly held back for their rights', () => {
  it('are said once, by the first build that holds them back', async () => {
    const root = await tempDir('vitrine-withheld-once-');
    const rows = await fiveMuseumsRows();
    const [one, two] = [rows[0]!, rows[7]!];
    await writeFixture({
      root,
      labels: [...new Set([one.label!, two.label!])].sort(),
      objects: [
        { id: 'inc', title: 'Vase', rights: 'In copyright', label: one.label!, image: one.image },
        { id: 'open', title: 'Bowl', rights: 'CC0', label: two.label!, image: two.image },
      ],
    });
    const ws = workspace(root);
    const build = async (inCopyright: 'full' | 'thumbnail') => {
      const params = defaultParams();
      params.catalogue.images = { ...params.catalogue.images, in_copyright: inCopyright };
      const log = memoryLogger();
      await buildCatalogueData({ ws, params, log });
      return log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    };
    const said = (lines: string[]) => lines.filter((l) => l.includes('the last build showed in full'));
    expect(said(await build('full'))).toEqual([]);
    const stricter = said(await build('thumbnail'));
    expect(stricter).toHaveLength(1);
    expect(stricter[0]).toContain('1 photograph the last build showed in full is now shown small');
    expect(stricter[0]).toContain('catalogue.images.in_copyright: full');
    expect(said(await build('thumbnail'))).toEqual([]);
  }, 120_000);
});
