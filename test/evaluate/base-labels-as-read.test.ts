import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { labelsReadFile } from '../../pipeline/dataset/labels-as-read.ts';
import { readBaseLabels } from '../../pipeline/evaluate/base-labels.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { gitIn } from '../fixtures/git.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Task D5: the evaluate stage tells a renamed label by the objects (label-renames.ts), and a label some object still
 * carries is not renamed. Which labels objects still carry was read from labels.csv as it was when the evaluation
 * ran, not as the dataset stage read it: a colleague’s line put back to the old label, saved while the run trained,
 * turned the pull request’s rename, which the model learnt whole, into eight labels changed one by one.
 */

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const ids = ['DM-0001', 'DM-0002', 'DM-0003', 'DM-0004', 'DM-0005', 'DM-0006', 'DM-0007', 'DM-0008'];
const labelsText = (print: string) =>
  `object_id,label\n${ids.map((id, i) => `${id},${i < 4 ? 'coin' : print}`).join('\n')}\n`;

/** lock.json as `vitrine run` writes it once the dataset stage has read labels.csv with `labelsMd5`. */
async function writeLock(file: string, labelsMd5: string): Promise<void> {
  const dataset = {
    fingerprint: 'x',
    deps: { paths: { data: 'd'.repeat(32), 'labels.csv': labelsMd5 }, params: {}, stages: {}, extra: null },
    outs: {},
    ranAt: '2026-01-01T00:00:00Z',
    durationMs: 1000,
    summary: '8 objects (8 labelled)',
  };
  await mkdir(file.slice(0, file.lastIndexOf('/')), { recursive: true });
  await writeFile(file, `${JSON.stringify({ schema: 'vitrine.lock/1', stages: { dataset } }, null, 2)}\n`);
}

describe('the labels objects carry now, for telling a rename', () => {
  it('are those the dataset stage read, not a line put back in labels.csv while the run trained', async () => {
    const ws = workspace(await tempDir('vitrine-base-labels-as-read-'));
    const git = gitIn({ root: ws.root });
    git('init', '-q', '-b', 'main');
    await writeFile(ws.params, 'collection:\n  vocabulary: [coin, print]\n');
    await writeFile(ws.labels, labelsText('print'));
    git('add', 'params.yaml', 'labels.csv');
    git('commit', '-qm', 'Collection');
    const base = git('rev-parse', 'HEAD').trim();
    git('checkout', '-q', '-b', 'rename-print');
    await writeFile(ws.params, 'collection:\n  vocabulary: [coin, engraving]\n');
    await writeFile(ws.labels, labelsText('engraving'));
    git('commit', '-qam', 'Rename print to engraving');
    // The dataset stage read the renamed labels (the evaluation has them as `now`)…
    await writeLock(ws.lock, md5(await readFile(ws.labels, 'utf8')));
    const now = new Map(ids.map((id, i) => [id, i < 4 ? 'coin' : 'engraving']));
    // …then a colleague saved labels.csv with one line back to the old label.
    await writeFile(ws.labels, labelsText('engraving').replace('DM-0005,engraving', 'DM-0005,print'));

    const read = await readBaseLabels({
      ws,
      env: {},
      source: { ref: 'main', commit: base },
      objectIds: new Set(ids),
      vocabulary: ['coin', 'engraving'],
      now,
      log: memoryLogger(),
    });
    expect(read?.renames).toEqual([{ from: 'print', to: 'engraving', objects: 4 }]);

    // Read from an edit not committed, kept by the dataset stage beside dataset.json: that copy is read.
    const uncommitted = labelsText('engraving').replace('DM-0001,coin', 'DM-0001,engraving');
    await writeLock(ws.lock, md5(uncommitted));
    const options = { ws, env: {}, source: { ref: 'main', commit: base }, objectIds: new Set(ids) };
    const asRead = { ...options, vocabulary: ['coin', 'engraving'], now, log: memoryLogger() };
    await expect(readBaseLabels(asRead)).rejects.toMatchObject({ code: 'LABELS_CHANGED_SINCE_READ' });
    await mkdir(ws.dataset, { recursive: true });
    await writeFile(labelsReadFile(ws), uncommitted);
    expect((await readBaseLabels(asRead))?.renames).toEqual([{ from: 'print', to: 'engraving', objects: 4 }]);
  });

  it('stop the evaluation, saying so, when they are gone: labels.csv changed and the dataset stage kept no copy', async () => {
    const ws = workspace(await tempDir('vitrine-base-labels-gone-'));
    const git = gitIn({ root: ws.root });
    git('init', '-q', '-b', 'main');
    await writeFile(ws.params, 'collection:\n  vocabulary: [coin, print]\n');
    await writeFile(ws.labels, labelsText('print'));
    git('add', 'params.yaml', 'labels.csv');
    git('commit', '-qm', 'Collection');
    const base = git('rev-parse', 'HEAD').trim();
    // The dataset stage read an edit never committed; labels.csv was saved again since.
    await writeLock(ws.lock, md5(labelsText('print').replace('DM-0001,coin', 'DM-0001,print')));
    await writeFile(ws.labels, labelsText('print').replace('DM-0002,coin', 'DM-0002,print'));
    const error = await readBaseLabels({
      ws,
      env: {},
      source: { ref: 'main', commit: base },
      objectIds: new Set(ids),
      vocabulary: ['coin', 'print'],
      now: new Map(ids.map((id, i) => [id, i < 4 && i > 0 ? 'coin' : 'print'])),
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LABELS_CHANGED_SINCE_READ' });
    expect((error as Error).message).toBe(
      'labels.csv changed after the dataset stage read it (edited, or a git pull, while the run went on), and the ' +
        'labels that stage read are not kept here, so which labels the model learnt cannot be told. Run "npx vitrine ' +
        'run" again: it reads labels.csv as it is now, and trains and reports on that.',
    );
  });
});
