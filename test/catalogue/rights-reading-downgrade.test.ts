import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { RIGHTS_READING } from '../../pipeline/catalogue/rights.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { fiveMuseumsRows, writeFixture } from '../site/fixture.ts';

/*
 * Review V5: after a museum goes back to an older Vitrine (the last build’s reading of rights is newer than this
 * one’s), the photographs it now holds back were said to be read “more carefully” than before: not so, the reading is
 * older. The build says this Vitrine is older and reads the text otherwise.
 */
it('does not say rights are read more carefully when the last build was made by a newer reading', async () => {
  const root = await tempDir('r6-downgrade-');
  const rows = await fiveMuseumsRows();
  const holderText = 'Rights holder: Jane Doe; CC BY 4.0';
  const objs = [
    { id: 'holder', title: 'Vase', rights: holderText, row: 0 },
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
  // As a newer reading would have left it: holder’s text read as open, shown in full.
  const newer = {
    ...saved,
    rightsReading: RIGHTS_READING + 1,
    withheld: [],
    notShown: [],
    readAs: { open: [holderText, 'CC0'], unknown: [] },
    rights: { holder: holderText, open: 'CC0' },
  };
  await writeFile(withheld, JSON.stringify(newer));
  const lines = (await build()).filter((l) => l.includes('"holder"'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain('more carefully');
  expect(lines[0]).toContain('older');
  expect(lines[0]).toContain(`"${holderText}", now read as In Copyright, was read as open`);
  // The same file without the texts, and no catalogue.json (CI’s): what the newer reading read is not known.
  const { rights: _, ...unsure } = newer;
  await writeFile(withheld, JSON.stringify(unsure));
  await rm(path.join(ws.catalogue, 'catalogue.json'));
  const again = (await build()).filter((l) => l.includes('"holder"'));
  expect(again).toHaveLength(1);
  expect(again[0]).not.toContain('more carefully');
  expect(again[0]).toContain('older');
}, 240_000);
