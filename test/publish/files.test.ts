import { describe, expect, it } from 'vitest';
import { CACHE, cacheControl, isEntry } from '../../pipeline/publish/files.ts';

describe('cache headers of the search index in parts', () => {
  it('asks again for the list of parts, uploaded with the pages, and keeps a part forever', () => {
    // The list names the parts: it is always asked again, and uploaded after the parts it names.
    expect(cacheControl('pagefind/parts.json')).toBe(CACHE.revalidate);
    expect(isEntry('pagefind/parts.json')).toBe(true);
    // A part's folder is named by its content key: a changed part is a new folder.
    for (const file of [
      'pagefind/parts/0123abcd/fragment/en_abc1234.pf_fragment',
      'pagefind/parts/0123abcd/index/en_abc1234.pf_index',
      'pagefind/parts/0123abcd/pagefind.en_abc1234.pf_meta',
      'pagefind/parts/0123abcd/pagefind-entry.json',
    ]) {
      expect(cacheControl(file)).toBe(CACHE.immutable);
      expect(isEntry(file)).toBe(false);
    }
    // Part 0 stays as before.
    expect(cacheControl('pagefind/pagefind-entry.json')).toBe(CACHE.revalidate);
    expect(cacheControl('pagefind/fragment/en_abc1234.pf_fragment')).toBe(CACHE.immutable);
  });
});
