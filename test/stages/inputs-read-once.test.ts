import { copyFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFile } from '../../pipeline/data/index.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { type Logger, silentLogger, systemClock } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { inputsOfDataset } from '../../pipeline/stages/evaluate.ts';
import { hashPath, readLock, runStages } from '../../pipeline/stages/graph.ts';
import type { Stage, StageContext } from '../../pipeline/stages/stage.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { gitIn } from '../fixtures/git.ts';
import { tempDir } from '../fixtures/temp.ts';
import { tinyDemoParams } from './tiny-demo.ts';

/*
 * Outside tester U (a museum's technical person): lock.json recorded the labels.csv and data/ that were hashed before
 * the dataset stage ran, while the stage read them a moment later. A commit landing in between (a colleague's label
 * correction, a re-import) was read and learnt, but recorded as not: promotion then refused the model as made from
 * other labels than the commit's (PROMOTE_INPUTS_CHANGED), and the next run built the dataset again for nothing.
 * What is recorded is the hash of the very bytes the stage parsed.
 */

describe('what the dataset stage records as read', () => {
  it('is labels.csv and data/objects.csv as parsed, when a commit changes them after they were hashed', async () => {
    const root = await tempDir('vitrine-read-once-');
    const git = gitIn({ root });
    git('init', '-q', '-b', 'main');
    await writeFile(`${root}/.gitignore`, '/data/\n/.vitrine/\n');
    const ws = workspace(root);
    const params = tinyDemoParams();
    await generateDemo({ ws, params, log: silentLogger });
    git('add', '-A');
    git('commit', '-qm', 'Demo collection');
    const before = { labels: await hashFile({ file: ws.labels }), data: await hashPath({ file: ws.data }) };

    // The graph has hashed the stage's inputs; the commit lands before the stage reads them.
    const racing: Stage = {
      ...datasetStage,
      async run(ctx) {
        const lines = (await readFile(ws.labels, 'utf8')).split('\n');
        const [id, label] = lines[1]!.split(',');
        lines[1] = `${id},${label === 'coin' ? 'vessel' : 'coin'}`;
        await writeFile(ws.labels, lines.join('\n'));
        git('commit', '-qam', 'Correct a label');
        // A re-import meanwhile: the same objects, written with Windows line ends.
        const objects = await readFile(ws.objects, 'utf8');
        await writeFile(ws.objects, `${objects.trimEnd()}\r\n`);
        return datasetStage.run(ctx);
      },
    };
    const ctx: StageContext = { ws, params, log: silentLogger, clock: systemClock, env: {} };
    await runStages({ ctx, stages: [racing], targets: ['dataset'] });

    const now = { labels: await hashFile({ file: ws.labels }), data: await hashPath({ file: ws.data }) };
    expect(now.labels).not.toBe(before.labels);
    expect(now.data).not.toBe(before.data);
    const recorded = (await readLock({ file: ws.lock })).stages.dataset!.deps.paths;
    expect(recorded).toEqual({ data: now.data, 'labels.csv': now.labels });
    // What the evaluation records, and promotion compares with the commit.
    expect(await inputsOfDataset({ ws, params })).toMatchObject({ labels: now.labels });
    // Nothing changed since it was read: the next run does not build the dataset again.
    const again = await runStages({ ctx, stages: [datasetStage], targets: ['dataset'] });
    expect(again.map((o) => `${o.name}:${o.status}:${o.reason}`)).toEqual(['dataset:skipped:unchanged']);
  }, 120_000);
});

describe('a photograph changed while the dataset stage reads data/', () => {
  it('stops the stage naming it, rather than keep what it read under the old photograph’s hash', async () => {
    const root = await tempDir('vitrine-read-once-');
    const ws = workspace(root);
    const params = tinyDemoParams();
    await generateDemo({ ws, params, log: silentLogger });
    const [first, second] = ['DM-0001', 'DM-0002'].map((id) => path.join(ws.data, 'images', `${id}.jpg`));
    // data/ was listed and hashed; as its new photographs are read, one is replaced (a "data pull" meanwhile).
    const log: Logger = {
      ...silentLogger,
      progress(label, total) {
        if (label === 'Images') copyFileSync(second!, first!);
        return silentLogger.progress(label, total);
      },
    };
    const ctx: StageContext = { ws, params, log, clock: systemClock, env: {} };
    const error = await runStages({ ctx, stages: [datasetStage], targets: ['dataset'] }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'DATASET_CHANGED_WHILE_READ', data: { file: 'data/images/DM-0001.jpg' } });
    expect((error as Error).message).toMatch(/^data\/images\/DM-0001\.jpg changed while the dataset stage read/);

    // Run again: read as it is now.
    await runStages({ ctx: { ...ctx, log: silentLogger }, stages: [datasetStage], targets: ['dataset'] });
    const dataset = JSON.parse(await readFile(path.join(ws.dataset, 'dataset.json'), 'utf8')) as Dataset;
    const object = dataset.objects.find((o) => o.id === 'DM-0001')!;
    expect(object.imageMd5).toBe(await hashFile({ file: first! }));
  }, 120_000);
});
