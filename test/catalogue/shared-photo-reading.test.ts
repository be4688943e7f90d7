import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { fiveMuseumsRows, writeFixture } from '../site/fixture.ts';

/*
 * Review V5: an open object whose photograph is shared with one that a new reading of rights (RIGHTS_READING) now
 * holds back is held back with it. The build told the museum to set catalogue.images.in_copyright: full for it, which
 * would show every work in copyright in full; it says instead why it is held back, and what to correct.
 */
it('says an open object is held back with the photograph it shares with one whose rights are now read otherwise', async () => {
  const root = await tempDir('r6-share-');
  const rows = await fiveMuseumsRows();
  const holderText = 'Rights holder: Jane Doe; CC BY 4.0';
  const objs = [
    { id: 'holder', title: 'Vase', rights: holderText, row: 0 },
    { id: 'twin', title: 'Vase lid', rights: 'CC BY 4.0', row: 0 },
    { id: 'open', title: 'Bowl', rights: 'CC0', row: 7 },
  ];
  const fixture = objs.map(({ row, ...o }) => ({ ...o, label: rows[row]!.label!, image: rows[row]!.image }));
  await writeFixture({ root, labels: [...new Set(fixture.map((o) => o.label))].sort(), objects: fixture });
  const ws = workspace(root);
  const build = async () => {
    const log = memoryLogger();
    await buildCatalogueData({ ws, params: defaultParams(), log });
    return log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  };
  await build();
  const withheld = path.join(ws.cache, 'catalogue-withheld.json');
  const saved = JSON.parse(await readFile(withheld, 'utf8'));
  // As an older reading would have left it: nothing held back, both texts read as open.
  await writeFile(
    withheld,
    JSON.stringify({
      ...saved,
      rightsReading: 4,
      withheld: [],
      notShown: [],
      readAs: { open: [holderText, 'CC BY 4.0', 'CC0'], unknown: [] },
      rights: { holder: holderText, twin: 'CC BY 4.0', open: 'CC0' },
    }),
  );
  const lines = await build();
  expect(lines.filter((l) => l.includes('in_copyright: full'))).toEqual([]);
  // Said apart from the objects whose own text is read otherwise, and from the warning that their rights differ.
  const newly = lines.filter((l) => l.includes('the last build showed in full'));
  const twin = newly.find((l) => l.includes('"twin"'));
  expect(twin).toContain('"holder"');
  expect(twin).toMatch(/shares/);
  expect(twin).not.toContain('catalogue.images.');
  expect(newly.find((l) => l.includes('"holder"') && !l.includes('"twin"'))).toContain('was read as open');
}, 240_000);
