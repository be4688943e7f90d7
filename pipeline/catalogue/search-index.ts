import path from 'node:path';
import { messageOf, VitrineError } from '../errors.ts';

/** Index the built pages with Pagefind; object pages mark their searchable part and filters. */
export async function indexSite({ outDir }: { outDir: string }): Promise<number> {
  const pagefind = await import('pagefind');
  const check = (what: string, errors: string[]) => {
    if (errors.length > 0)
      throw new VitrineError('SITE_INDEX_FAILED', `Search index: ${what} failed: ${errors.join('; ')}`, { errors });
  };
  try {
    const { errors, index } = await pagefind.createIndex({
      rootSelector: 'html',
      excludeSelectors: ['[data-pagefind-ignore]'],
    });
    check('creating the index', errors);
    if (!index) throw new VitrineError('SITE_INDEX_FAILED', 'Search index: Pagefind returned no index');
    const added = await index.addDirectory({ path: outDir, glob: 'objects/*/index.html' });
    check('reading the object pages', added.errors);
    const written = await index.writeFiles({ outputPath: path.join(outDir, 'pagefind') });
    check('writing the index', written.errors);
    return added.page_count;
  } catch (error) {
    if (error instanceof VitrineError) throw error;
    throw new VitrineError(
      'SITE_INDEX_FAILED',
      `Search index could not be built: ${messageOf(error)}`,
      {},
      { cause: error },
    );
  } finally {
    await pagefind.close();
  }
}
