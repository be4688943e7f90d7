import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hashFile } from '../../pipeline/data/index.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { silentLogger, systemClock } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { inputsOfDataset } from '../../pipeline/stages/evaluate.ts';
import { hashPath, readLock, runStages } from '../../pipeline/stages/graph.ts';
import type { Stage, StageContext } from '../../pipeline/stages/stage.ts';
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
