import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchCodeHash } from '../../pipeline/catalogue/search-index.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * The search index's parts are kept by the hash of the code that makes them (`searchCodeHash`). It took in every
 * file search-index.ts runs: a comment added to errors.ts (what a failure says) indexed every site again. It now
 * takes in only the code that decides what goes into the index, and Pagefind's version.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('the hash of the code that makes the search index', () => {
  it('stays the same when messages, safe writes or how parts are placed change, and changes with what is indexed', async () => {
    const root = await tempDir('vitrine-search-code-scope-');
    await cp(path.join(ROOT, 'pipeline'), path.join(root, 'pipeline'), { recursive: true });
    const hash = (pagefind = '1.4.0') =>
      searchCodeHash({ file: path.join(root, 'pipeline/catalogue/search-index.ts'), root, pagefind });
    const edit = async (f: string) =>
      writeFile(path.join(root, f), `${await readFile(path.join(root, f), 'utf8')}\n// changed by an upgrade\n`);
    const before = hash();
    expect(hash()).toBe(before);

    // Code the index code runs that puts nothing into the index: messages, safe writes, the hash itself, which part
    // a page is in (its pages are in the part's key), watching Pagefind's process, listing a part's files, and the
    // rest of search-index.ts (placing parts in the site, checking kept ones, its messages).
    for (const f of [
      'pipeline/errors.ts',
      'pipeline/fs.ts',
      'pipeline/catalogue/code-hash.ts',
      'pipeline/shard/assign.ts',
      'pipeline/catalogue/pagefind-watch.ts',
      'pipeline/catalogue/files-in.ts',
      'pipeline/catalogue/search-index.ts',
    ]) {
      await edit(f);
      expect(hash(), f).toBe(before);
    }

    // What goes into the index: the part of each page Pagefind reads (and Pagefind's settings), the compact
    // metadata and the scripts it changes, and Pagefind's version.
    await edit('pipeline/catalogue/searchable-part.ts');
    const part = hash();
    expect(part).not.toBe(before);
    await edit('pipeline/catalogue/search-meta.ts');
    expect(hash()).not.toBe(part);
    expect(hash('1.5.0')).not.toBe(hash());
  });
});
