import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { previousSlugs } from '../../pipeline/catalogue/addresses.ts';
import { assignSlugs } from '../../pipeline/catalogue/derive.ts';

/*
 * previousSlugs reads catalogue.json in 1 MB chunks. A `{"id":"…","slug":null` (a monitoring "unfamiliar" entry for
 * an object no longer in the catalogue) far from a chunk's end stopped that chunk's scan, so an object whose opening
 * was cut by the chunk boundary lost its saved address, and a look-alike newcomer took it. Failed before the fix.
 */

const CHUNK = 1 << 20;
let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function catalogueCutAt(cut: number) {
  dir = await mkdtemp(path.join(tmpdir(), 'vitrine-slug-reader-'));
  const file = path.join(dir, 'catalogue.json');
  const head =
    '{"schema":"vitrine.catalogue/1","models":[{"monitoring":{"unfamiliar":[{"id":"GONE-1","slug":null,"title":"x"}]},"notes":"';
  const mid = '"}],"objects":[';
  const pad = 'p'.repeat(CHUNK - head.length - mid.length - cut);
  const objects =
    '{"id":"DM-0267","slug":"dm-0267","title":"Real"},{"id":"DM-0300","slug":"dm-0300","title":"Other"}]}';
  await writeFile(file, head + pad + mid + objects);
  return file;
}

describe('previousSlugs at a chunk boundary', () => {
  for (const cut of [10, 3, 40]) {
    it(`keeps an address whose opening has ${cut} bytes in the first chunk`, async () => {
      const previous = await previousSlugs(await catalogueCutAt(cut));
      expect(Object.fromEntries(previous)).toEqual({ 'DM-0267': 'dm-0267', 'DM-0300': 'dm-0300' });
      expect(assignSlugs({ ids: ['DM 0267', 'DM-0267', 'DM-0300'], previous })[1]).toBe('dm-0267');
    });
  }
});
