import { spawnSync } from 'node:child_process';
import { constants } from 'node:fs';
import { open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStatus } from '../../pipeline/data/commands.ts';
import { dataStatus, pushData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { onlyHarmlessFiles } from '../../pipeline/stages/data-read-elsewhere.ts';
import { unrecordedData } from '../../pipeline/stages/unrecorded.ts';
import { cleanup } from '../data/helpers.ts';
import { makeShare, repository, type Share } from '../data/share-fixture.ts';

/*
 * Reviewer V24, F3: the dataset and promote stages compare data/ with data.dvc through the data layer's status, and
 * plain "data status" reads the mark at a folder remote's root. So "vitrine run" read the NAS share, and a share
 * mounted "hard" that cannot be reached would hang the run. The stages read nothing of the remote; "data status" does.
 * The mark here is a FIFO: opening it to read waits for a writer, as a read on an unreachable hard mount waits.
 */

let share: Share;
const mark = () => path.join(share.mount, '.vitrine-remote-id');
beforeEach(async () => {
  share = await makeShare({ prefix: 'vitrine-remote-untouched-' });
  await repository({ share, count: 2 });
  await pushData({ root: share.repo, log: silentLogger });
  await rm(mark());
  expect(spawnSync('mkfifo', [mark()]).status).toBe(0);
});
afterEach(async () => {
  await release();
  await cleanup(share.base);
});

/** Let any reader waiting on the FIFO go: a writer opens it and closes it, so the reader sees it end. */
async function release(): Promise<void> {
  const writer = await open(mark(), constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
  await writer?.close();
}

/** What `work` gave, or 'hung' when it had not finished after `ms`. */
async function within<T>(work: Promise<T>, ms = 3000): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the stages compare data/ with data.dvc without reading the storage remote', () => {
  it('the dataset and promote stages helper finishes and says what differs with a share that does not answer', async () => {
    await writeFile(path.join(share.repo, 'data', 'images', 'A9.jpg'), 'image 9');
    const said = await within(unrecordedData({ ws: workspace(share.repo), log: silentLogger }));
    expect(said).not.toBe('hung');
    expect(said === 'hung' ? '' : said?.words).toContain('1 added');
  });

  it('the check for harmless files of a skipped dataset stage finishes with a share that does not answer', async () => {
    await writeFile(path.join(share.repo, 'data', 'images', '.DS_Store'), 'x');
    expect(await within(onlyHarmlessFiles({ ws: workspace(share.repo) }))).toBe(true);
  });

  it('plain data status still reads the mark and says the folder is not the remote it sent the images to', async () => {
    const status = dataStatus({ root: share.repo, log: silentLogger });
    // It waits on the mark, as on a share: once the FIFO ends, it reads no mark there.
    expect(await within(status, 300)).toBe('hung');
    let done = false;
    void status.finally(() => (done = true)).catch(() => {});
    while (!done) {
      await release();
      await within(status, 50).catch(() => {});
    }
    expect(describeStatus(await status).join('\n')).toContain('lacks the mark Vitrine left in it');
  });
});
