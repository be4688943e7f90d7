import { rename } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRemote, pushData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup } from './helpers.ts';
import { filesIn, makeShare, repository, type Share } from './share-fixture.ts';

/*
 * Reviewer V24, F3 (LOW): a pull read the mark at a folder remote's root again before every file it fetched, one
 * more read of the share per file. It is read before the first file, and once more when the pull notes that the
 * remote holds the version (Remote.mark), so a share that dropped part-way is still not recorded as the remote.
 */

let share: Share;
beforeEach(async () => {
  share = await makeShare({ prefix: 'vitrine-pull-mark-once-' });
  await repository({ share, count: 3 });
  await pushData({ root: share.repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(share.base);
});

describe('a pull reads the mark of a folder remote once, not before every file', () => {
  it('files after the first are fetched without the mark, and the check before noting the version still refuses', async () => {
    const stored = (await filesIn({ dir: path.join(share.mount, 'files', 'md5') }))
      .filter((f) => !f.endsWith('.dir'))
      .map((f) => f.replace(path.sep, ''));
    expect(stored).toHaveLength(3);
    const remote = await openRemote({ root: share.repo });
    const into = (md5: string) => path.join(share.base, `got-${md5}`);
    await remote.get({ md5: stored[0]!, file: into(stored[0]!) });
    // Taken away after the first file: read again per file, the next one would be refused.
    const mark = path.join(share.mount, '.vitrine-remote-id');
    await rename(mark, `${mark}-away`);
    for (const md5 of stored.slice(1)) await remote.get({ md5, file: into(md5) });
    const noted = await remote.mark?.({ make: false }).catch((e: unknown) => e);
    expect(isVitrineError(noted, 'REMOTE_FOLDER_EMPTIED'), String(noted)).toBe(true);
  });
});
