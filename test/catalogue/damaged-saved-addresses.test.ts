import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADDRESSES_ABOUT, keptAddresses, savedAddressesFile } from '../../pipeline/catalogue/addresses.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Tester T11: an emptied or damaged .vitrine/cache/catalogue-slugs.json was read as no saved addresses, without a
 * word. With catalogue.json gone too, every address was worked out again: a look-alike number (DM 0267 sorts before
 * DM-0267) took DM-0267's address, and its printed QR codes opened the other object's page. The build now says so
 * once, naming the file and the way to put the addresses back.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A workspace whose saved addresses file holds `text` (none when null), and maybe a last catalogue.json. */
async function workspaceWith(text: string | null, catalogue?: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-damaged-addresses-'));
  dirs.push(dir);
  const ws = workspace(dir);
  await mkdir(ws.cache, { recursive: true });
  if (text !== null) await writeFile(savedAddressesFile(ws), text);
  if (catalogue !== undefined) {
    await mkdir(ws.catalogue, { recursive: true });
    await writeFile(path.join(ws.catalogue, 'catalogue.json'), catalogue);
  }
  return ws;
}

// DM-0267 was published first, at dm-0267; DM 0267 came later, at an address with a code.
const ids = ['DM 0267', 'DM-0267'];
const published = JSON.stringify({ about: ADDRESSES_ABOUT, ids, slugs: ['dm-0267-5bb646b8', 'dm-0267'] });

async function warningsFor(text: string | null, catalogue?: string) {
  const ws = await workspaceWith(text, catalogue);
  const log = memoryLogger();
  const slugs = await keptAddresses({ ws, ids, log });
  return { slugs, warnings: log.lines.filter((l) => l.level === 'warn').map((l) => l.message) };
}

describe('saved object addresses that cannot be used', () => {
  it('when emptied, and no catalogue.json is left, warn once: the file, what it means and the fix', async () => {
    const { slugs, warnings } = await warningsFor('');
    // Worked out again: the look-alike, first in sort order, takes the published address.
    expect(slugs[0]).toBe('dm-0267');
    expect(warnings).toHaveLength(1);
    const [words] = warnings as [string];
    expect(words).toContain('.vitrine/cache/catalogue-slugs.json');
    expect(words).toContain('it is empty');
    expect(words).toContain('worked out again');
    expect(words).toContain('QR codes');
    expect(words).toContain('data/addresses.json');
    expect(words).toContain('--check-addresses');
    expect(words).toContain('docs/security-addresses.md');
  });

  it('when cut short, say it is not valid JSON', async () => {
    const { warnings } = await warningsFor(published.slice(0, 30));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('it is not valid JSON');
  });

  it('when a JSON file of another shape, say so', async () => {
    const { warnings } = await warningsFor('{"ids": ["DM-0267"]}');
    expect(warnings[0]).toContain('without the "ids" and "slugs" lists');
  });

  it('when catalogue.json is still there, say its addresses are used but the pages of objects that left are lost', async () => {
    const catalogue = `[{"id":"DM-0267","slug":"dm-0267","title":"A"},{"id":"DM 0267","slug":"dm-0267-5bb646b8"}]`;
    const { slugs, warnings } = await warningsFor('', catalogue);
    expect(slugs).toEqual(['dm-0267-5bb646b8', 'dm-0267']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('.vitrine/catalogue/catalogue.json');
    expect(warnings[0]).toContain('objects that left');
  });

  it('say nothing when there is no such file (a first build) or it is whole', async () => {
    expect((await warningsFor(null)).warnings).toEqual([]);
    const whole = await warningsFor(published);
    expect(whole.warnings).toEqual([]);
    expect(whole.slugs).toEqual(['dm-0267-5bb646b8', 'dm-0267']);
  });
});
