import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * `vitrine run report --single --force` right after a label change: dataset.json still holds the old label, so the
 * changed line looks skipped. The dataset stage did not skip it, it has not run since: the report must say that,
 * and not send the reader to warnings that do not exist. The lock records the labels.csv the stage read.
 */

const objects = demoObjects();
const before = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const after = { ...before, 'DM-0004': 'mask' };
const params = validateParams({ raw: { train: { epochs: 60 } } });

/** lock.json as `vitrine run` writes it, its dataset entry made from labels.csv with `labelsMd5`. */
async function writeLock(file: string, labelsMd5: string): Promise<void> {
  const entry = (summary: string) => ({
    fingerprint: 'x',
    deps: { paths: { data: 'd'.repeat(32), 'labels.csv': labelsMd5 }, params: {}, stages: {}, extra: null },
    outs: {},
    ranAt: '2026-01-01T00:00:00Z',
    durationMs: 1000,
    summary,
  });
  const stages = { dataset: entry('36 objects'), train: entry('12 epochs'), evaluate: entry('better') };
  await writeFile(file, `${JSON.stringify({ schema: 'vitrine.lock/1', stages }, null, 2)}\n`);
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('a label change the dataset stage has not seen yet', () => {
  it('says the dataset stage has not run since the change, not that it skipped the line', async () => {
    const { ws, baseCommit } = await makeRepo({ objects, base: before, head: after });
    // The stage outputs are from before the change: dataset.json still says DM-0004 is a coin.
    await writeStageOutputs({ ws, objects, head: before });
    const old = execFileSync('git', ['show', `${baseCommit}:labels.csv`], { cwd: ws.root, encoding: 'utf8' });
    await writeLock(ws.lock, md5(old));
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.skipped])).toEqual([['DM-0004', true]]);
    expect(json.labels.datasetStale).toBe(true);
    const section = markdown.slice(markdown.indexOf('### Label changes'), markdown.indexOf('### Scores'));
    expect(section).not.toContain('skipped by the dataset stage');
    expect(section).not.toContain('see its warnings');
    expect(section).toContain(
      '1 label changed; the dataset stage has not run since this change: run `npx vitrine run`.',
    );
    expect(section).toContain('not in the dataset yet: the dataset stage has not run since this change');

    // Once the dataset stage has read this labels.csv, a line it left out is its doing again.
    await writeLock(ws.lock, md5(await readFile(ws.labels, 'utf8')));
    const ran = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(ran.json.labels.datasetStale ?? false).toBe(false);
    expect(ran.markdown).toContain('1 new label was skipped by the dataset stage');
  });

  // Session 5: the sentence said "this change" or "these changes" by the number of all changes, not of the ones
  // the dataset stage had not read: two changes of which it had read one were "these changes".
  it('counts the changes the dataset stage has not read: this change, these changes, 1 or 2 of them', async () => {
    const sentence = async (head: Record<string, string>, seen: Record<string, string>) => {
      const { ws, baseCommit } = await makeRepo({ objects, base: before, head });
      // dataset.json as the dataset stage wrote it from `seen`, an earlier labels.csv of the pull request.
      await writeStageOutputs({ ws, objects, head: seen });
      const old = execFileSync('git', ['show', `${baseCommit}:labels.csv`], { cwd: ws.root, encoding: 'utf8' });
      await writeLock(ws.lock, md5(old));
      const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
      const section = markdown.slice(markdown.indexOf('### Label changes'), markdown.indexOf('### Scores'));
      return section;
    };
    const two = { ...before, 'DM-0004': 'mask', 'DM-0005': 'vessel' };
    expect(await sentence(two, before)).toContain(
      '2 labels changed; the dataset stage has not run since these changes: run `npx vitrine run`.',
    );
    expect(await sentence(two, { ...before, 'DM-0004': 'mask' })).toContain(
      '2 labels changed; 1 of these changes is not in the dataset yet (the dataset stage has not run since it was ' +
        'made): run `npx vitrine run`.',
    );
    const three = { ...two, 'DM-0006': 'print' };
    expect(await sentence(three, { ...before, 'DM-0004': 'mask' })).toContain(
      '3 labels changed; 2 of these changes are not in the dataset yet (the dataset stage has not run since they ' +
        'were made): run `npx vitrine run`.',
    );
  });
});
