import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchCodeHash } from '../../pipeline/catalogue/search-index.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * The search index's parts are kept by the hash of the code that makes them (`searchCodeHash`). It took in every
 * file search-index.ts runs: a comment added to errors.ts (what a failure says) indexed every site again. Narrowed
 * to searchable-part.ts and search-meta.ts, it left out the code in search-index.ts that shapes the index (Pagefind's
 * calls, the compact metadata, each searchable page written, the kept records): edited, stale parts were kept (a
 * reviewer). It takes in search-index.ts and what it runs again, but errors.ts and fs.ts, and Pagefind's version.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('the hash of the code that makes the search index', () => {
  const copy = async () => {
    const root = await tempDir('vitrine-search-code-scope-');
    await cp(path.join(ROOT, 'pipeline'), path.join(root, 'pipeline'), { recursive: true });
    const hash = (pagefind = '1.4.0') =>
      searchCodeHash({ file: path.join(root, 'pipeline/catalogue/search-index.ts'), root, pagefind });
    const edit = async (f: string) =>
      writeFile(path.join(root, f), `${await readFile(path.join(root, f), 'utf8')}\n// changed by an upgrade\n`);
    return { root, hash, edit };
  };

  it('stays the same when messages or safe writes change, and changes with what is indexed', async () => {
    const { hash, edit } = await copy();
    const before = hash();
    expect(hash()).toBe(before);

    // Code the index code runs that puts nothing into the index: messages, safe writes.
    for (const f of ['pipeline/errors.ts', 'pipeline/fs.ts']) {
      await edit(f);
      expect(hash(), f).toBe(before);
    }

    // What goes into the index or how its parts are laid out: the part of each page Pagefind reads (and Pagefind's
    // settings), the compact metadata and the scripts it changes, search-index.ts itself, and Pagefind's version.
    let last = before;
    for (const f of [
      'pipeline/catalogue/searchable-part.ts',
      'pipeline/catalogue/search-meta.ts',
      'pipeline/catalogue/search-index.ts',
    ]) {
      await edit(f);
      expect(hash(), f).not.toBe(last);
      last = hash();
    }
    expect(hash('1.5.0')).not.toBe(hash());
  });

  it('changes when the code in search-index.ts that shapes the index or lays out its parts is edited', async () => {
    const { root, hash } = await copy();
    const file = path.join(root, 'pipeline/catalogue/search-index.ts');
    const source = await readFile(file, 'utf8');
    const before = hash();
    const edits: [string, string][] = [
      // The parts no longer compacted: every part is laid out otherwise.
      ['    await compactSearchIndex({ dir: out });\n', ''],
      // Each searchable page written otherwise.
      ['searchablePart(html))', 'searchablePart(html).toLowerCase())'],
      // Pagefind given other settings where it is called.
      ['api.createIndex(INDEX_OPTIONS)', "api.createIndex({ ...INDEX_OPTIONS, forceLanguage: 'en' })"],
      // Another glob of pages read.
      ['glob: PAGES_GLOB', "glob: 'objects/**/*.html'"],
      // The kept record hashed otherwise.
      ["createHash('sha1')", "createHash('sha256')"],
      // pages.json laid out otherwise.
      ["path.join(dir, 'pages.json')", "path.join(dir, 'pages-v2.json')"],
    ];
    for (const [from, to] of edits) {
      expect(source.includes(from), from).toBe(true);
      await writeFile(file, source.replace(from, to));
      expect(hash(), from).not.toBe(before);
    }
    await writeFile(file, source);
    expect(hash()).toBe(before);
  });
});
