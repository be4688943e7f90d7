import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDvcFile } from '../../pipeline/data/dvcfile.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { modelParams, validateParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { hashJson, hashPath } from '../../pipeline/stages/graph.ts';
import { tempDir } from '../fixtures/temp.ts';
import { tinyDemoParams } from '../stages/tiny-demo.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * Reviewer V12: the report's warning that data/ is not what data.dvc records was raised by Excel's lock file in
 * data/ ("~$objects.csv" while objects.csv is open), and said the model was trained on that data/ when training and
 * scoring were skipped.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));

function top(markdown: string): [string, string] {
  const [first = '', second = ''] = markdown.split('\n\n');
  return [first, second];
}

/** A repository whose data/ is recorded in data.dvc, then `extra` written in it; the lock as the dataset stage read it. */
async function dataWith({ extra, ranAt }: { extra: string; ranAt?: { dataset: string; evaluate: string } }) {
  const { ws } = await makeRepo({ objects, base: labels, head: labels });
  const demo = await tempDir('vitrine-opening-demo-');
  await generateDemo({ ws: workspace(demo), params: tinyDemoParams(), log: silentLogger });
  await cp(path.join(demo, 'data'), ws.data, { recursive: true });
  await initData({ root: ws.root, remoteName: 'local', remoteUrl: '.vitrine-remote' });
  await addData({ root: ws.root, log: silentLogger });
  const recorded = (await readDvcFile({ file: ws.dataDvc })).outs[0]!.md5;
  await writeFile(path.join(ws.data, extra), 'x');
  const read = await hashPath({ file: ws.data });
  expect(read).not.toBe(recorded);
  const params = validateParams({ raw: { train: { epochs: 60 } } });
  await writeStageOutputs({
    ws,
    objects,
    head: labels,
    metrics: {
      inputs: { data: recorded, labels: 'b'.repeat(32), params: hashJson(modelParams(params)), commit: null },
    },
  });
  const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
  lock.stages.dataset.deps = { paths: { data: read } };
  if (ranAt) {
    lock.stages.dataset.ranAt = ranAt.dataset;
    lock.stages.evaluate.ranAt = ranAt.evaluate;
  }
  await writeFile(ws.lock, JSON.stringify(lock));
  return buildReport({ ws, params, base: 'main', log: silentLogger });
}

describe('data/ whose only difference from data.dvc is a lock file of an office program, or a system file', () => {
  for (const name of ['~$objects.csv', '.~lock.objects.csv#', 'Icon\r', path.join('images', '.DS_Store')])
    it(`is no warning: ${JSON.stringify(name)}`, async () => {
      const { markdown, json } = await dataWith({ extra: name });
      expect(json.lineage.dataUsed).toBeUndefined();
      expect(markdown).not.toContain('not what data.dvc records');
      expect(top(markdown)[0]).toMatch(/^✅ /);
    });
});

describe('data/ read by the dataset stage after the model was trained and scored', () => {
  it('is said without "trained and scored on data/ as it was"', async () => {
    const { markdown } = await dataWith({
      extra: 'notes.txt',
      ranAt: { dataset: '2026-02-01T00:00:00Z', evaluate: '2026-01-01T00:00:00Z' },
    });
    const second = top(markdown)[1];
    expect(second).toMatch(/^⚠️ \*\*data\/ on the computer that ran this is not what data\.dvc records/);
    expect(second).not.toContain('trained and scored on data/');
    // Not "nothing changed, all is well" (reviewer V13): an earlier run may have trained the model on data/ as it is.
    expect(second).toContain(
      'The model and its scores were not made again by this run (nothing they read from data/ changed since they were ' +
        'made), so they too may come from data/ as it is there, not from what data.dvc records.',
    );
  });

  it('read before the model was trained and scored keeps "trained and scored on data/ as it was"', async () => {
    const { markdown } = await dataWith({
      extra: 'notes.txt',
      ranAt: { dataset: '2026-01-01T00:00:00Z', evaluate: '2026-01-01T00:05:00Z' },
    });
    expect(top(markdown)[1]).toContain('the model was trained and scored on data/ as it was there');
  });
});
