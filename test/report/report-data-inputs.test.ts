import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Reviewer V12: after the stray file in data/ was deleted, the dataset stage ran again but the report stage was
 * "skipped as when it last ran", keeping its warning that data/ is not what data.dvc records until --force. What the
 * report checks (the dataset stage's record of data/, and data.dvc) is among its inputs.
 */

const RECORDED = '3f2a9c1b5d7e8f90a1b2c3d4e5f60718.dir';
const OTHER = '226b7d9f84efea950bac7559ac8058bb.dir';

async function collection() {
  const objects = demoObjects();
  const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
  const { ws } = await makeRepo({ objects, base: labels, head: labels });
  const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
  for (const entry of Object.values(lock.stages) as { outs?: object }[]) entry.outs = {};
  lock.stages.dataset.deps = { paths: { data: RECORDED } };
  await writeFile(ws.lock, JSON.stringify(lock));
  await writeFile(ws.dataDvc, `outs:\n- md5: ${RECORDED}\n  hash: md5\n  path: data\n`);
  return ws;
}

/** The dataset stage's record of data/ set to `data`, as a run of it leaves it. */
async function datasetRead(ws: Workspace, data: string) {
  const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
  lock.stages.dataset.deps = { paths: { data } };
  await writeFile(ws.lock, JSON.stringify(lock));
}

async function run(ws: Workspace) {
  const params = await loadParams({ file: ws.params });
  const [outcome] = await runStages({
    ctx: { ws, params, log: memoryLogger(), clock: { now: () => new Date('2026-01-03T00:00:00Z') }, env: {} },
    stages: [reportStage],
  });
  const markdown = await readFile(path.join(ws.report, 'report.md'), 'utf8');
  return { outcome: outcome!, warns: markdown.includes('not what data.dvc records') };
}

it('the report is made again when the dataset stage reads another data/, and when data.dvc changes', async () => {
  const ws = await collection();
  const clean = await run(ws);
  expect(clean.outcome.status).toBe('ran');
  expect(clean.warns).toBe(false);
  expect((await run(ws)).outcome.status).toBe('skipped');
  // An image added to data/ and not recorded: the dataset stage reads it.
  await datasetRead(ws, OTHER);
  const added = await run(ws);
  expect(added.outcome.status).toBe('ran');
  expect(added.warns).toBe(true);
  // Taken out again (or "vitrine data checkout"): the warning goes.
  await datasetRead(ws, RECORDED);
  const back = await run(ws);
  expect(back.outcome.status).toBe('ran');
  expect(back.warns).toBe(false);
  // data.dvc changed (a git checkout of another branch) is read too.
  await writeFile(ws.dataDvc, `outs:\n- md5: ${OTHER}\n  hash: md5\n  path: data\n`);
  expect((await run(ws)).outcome.status).toBe('ran');
});
