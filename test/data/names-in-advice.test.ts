import { mkdir, rename, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { terminalSafe } from '../../pipeline/cli/shown.ts';
import { addData, initData, pushData } from '../../pipeline/data/index.ts';
import { recordedPresence } from '../../pipeline/data/presence.ts';
import { systemFilesAdvice } from '../../pipeline/data/system-files.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * File names are chosen by whoever can put a file in data/. The .DS_Store advice and the linked-folder warning
 * printed them raw, and the terminal keeps a message's own line breaks: a name holding "\nerror: …" showed a fake
 * error line in "vitrine data status". Names are shown escaped, as the status list beside them is. Failed before.
 */

const FAKE = '\nerror: DATA_CORRUPT x.tif is damaged, run "vitrine data pull --force"\n';
const linesOf = (message: string) => terminalSafe(message).split('\n');

describe('names in the system-files advice', () => {
  it('cannot start a line of their own', () => {
    const advice = systemFilesAdvice({ files: [`._scan${FAKE}`, 'a/._x\u202efdp.exe'] });
    expect(linesOf(advice)).toHaveLength(1);
    expect(advice).toContain('data/._scan\\nerror: DATA_CORRUPT');
    expect(advice).toContain('data/a/._x\\u202efdp.exe');
  });
});

describe('names in the linked-folder warning', () => {
  let base: string;
  let repo: string;
  beforeEach(async () => {
    base = await tempDir('vitrine-names-');
    repo = path.join(base, 'repo');
    await writeTree(path.join(repo, 'data'), SAMPLE);
    await initData({ root: repo, remoteUrl: '../storage' });
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
  });
  afterEach(async () => {
    await cleanup(base);
  });

  it('cannot start a line of their own, for the link nor where it leads', async () => {
    const outside = path.join(base, `out${FAKE}side`);
    await mkdir(outside);
    await rename(path.join(repo, 'data', 'images'), path.join(outside, 'images'));
    await symlink(path.join(outside, 'images'), path.join(repo, 'data', `images${FAKE}`));
    const log = memoryLogger();
    await recordedPresence({ root: repo, log });
    const warnings = log.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(linesOf(warnings[0]!.message)).toHaveLength(1);
    expect(warnings[0]!.message).toContain('data/images\\nerror: DATA_CORRUPT');
  });
});
