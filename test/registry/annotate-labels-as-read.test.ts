import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { labelsChangedSince, toAnnotations } from '../../pipeline/registry/annotate.ts';
import type { DatasetObject } from '../../pipeline/types.ts';
import { gitIn } from '../fixtures/git.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Task D5: annotations name the label the model in production learnt where staff changed it since (`humanLabel`), so
 * that the catalogue tells a correction from the model’s disagreement. The staff labels are dataset.json’s, as the
 * dataset stage read labels.csv; the labels changed since were read from labels.csv as it was when promotion ran. A
 * correction undone by a colleague while the run trained was then no change: the dataset’s "mask" was taken for the
 * label the model learnt, and the model’s "coin", the label it did learn, was published as its disagreement.
 */

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** lock.json as `vitrine run` writes it once the dataset stage has read labels.csv with `labelsMd5`. */
async function writeLock(file: string, labelsMd5: string): Promise<void> {
  const dataset = {
    fingerprint: 'x',
    deps: { paths: { data: 'd'.repeat(32), 'labels.csv': labelsMd5 }, params: {}, stages: {}, extra: null },
    outs: {},
    ranAt: '2026-01-01T00:00:00Z',
    durationMs: 1000,
    summary: '2 objects (2 labelled)',
  };
  await mkdir(file.slice(0, file.lastIndexOf('/')), { recursive: true });
  await writeFile(file, `${JSON.stringify({ schema: 'vitrine.lock/1', stages: { dataset } }, null, 2)}\n`);
}

describe('labels changed since production’s model was trained', () => {
  it('are read against labels.csv as the dataset stage read it, not as a colleague saved it since', async () => {
    const ws = workspace(await tempDir('vitrine-annotate-as-read-'));
    const git = gitIn({ root: ws.root });
    git('init', '-q', '-b', 'main');
    const learnt = 'object_id,label\nDM-0001,coin\nDM-0002,vessel\n';
    await writeFile(ws.labels, learnt);
    git('add', 'labels.csv');
    git('commit', '-qm', 'Labels production learnt');
    const trainedOn = { md5: md5(learnt), commit: git('rev-parse', 'HEAD').trim() };
    // Staff correct DM-0001; the dataset stage reads that (dataset.json says "mask")…
    const corrected = learnt.replace('DM-0001,coin', 'DM-0001,mask');
    await writeFile(ws.labels, corrected);
    git('commit', '-qam', 'DM-0001 is a mask');
    await writeLock(ws.lock, md5(corrected));
    // …and a colleague saves labels.csv with the correction undone while the run goes on.
    await writeFile(ws.labels, learnt);

    const changed = await labelsChangedSince({ ws, trainedOn, log: memoryLogger() });
    expect(changed).toEqual(new Map([['DM-0001', 'coin']]));
    const object = (id: string, label: string) => ({ id, label, imageMd5: `${id}-md5` }) as DatasetObject;
    const [annotation] = toAnnotations({
      predictions: [{ id: 'DM-0001', label: 'coin', confidence: 0.9, top: [{ label: 'coin', p: 0.9 }] }],
      objects: [object('DM-0001', 'mask'), object('DM-0002', 'vessel')],
      modelVersion: 'v1.0.0',
      learnt: changed,
    });
    // The model said the label it learnt; the staff label the dataset holds is named beside it.
    expect(annotation).toMatchObject({ humanLabel: 'coin', staffLabel: 'mask', agrees: false });
  });
});
