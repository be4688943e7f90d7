import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The codebase rule: aim at 120 characters a line, never over 140, so a side-by-side diff (a pull request's
 * split view) shows each line whole. Biome formats code to 120 but leaves long strings, comments and .astro
 * markup alone, so this test holds the hard limit, 140, over every folder of sources (built bundles in dist/
 * are not sources).
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FOLDERS = ['pipeline', 'bench', 'site/src', 'test', 'bin', 'actions'];
const MAX = 140;

async function sources(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|js|mjs|astro|css|ya?ml)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .filter((file) => !file.split(path.sep).includes('dist') && !file.split(path.sep).includes('node_modules'));
}

describe('line length', () => {
  it(`keeps every line of ${FOLDERS.join(', ')} within ${MAX} characters`, async () => {
    const long: string[] = [];
    for (const folder of FOLDERS)
      for (const file of await sources(folder)) {
        const lines = (await readFile(path.join(ROOT, file), 'utf8')).split('\n');
        lines.forEach((line, i) => {
          if (line.length > MAX) long.push(`${file}:${i + 1} (${line.length} characters)`);
        });
      }
    expect(long).toEqual([]);
  });
});
