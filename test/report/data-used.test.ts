import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * Tester: after `git checkout` of a branch whose data.dvc records fewer objects, data/ stays as it was (as with
 * DVC) and the run trains on it, warning in the terminal. The report named data.dvc's folder hash as the data it
 * was made from: not the data the model was trained and scored on.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const RECORDED = '3f2a9c1b5d7e8f90a1b2c3d4e5f60718.dir';
const USED = '226b7d9f84efea950bac7559ac8058bb.dir';

async function reportWithDatasetRead(data: string) {
  const { ws } = await makeRepo({ objects, base: labels, head: labels });
  await writeStageOutputs({ ws, objects, head: labels });
  const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
  lock.stages.dataset.deps = { paths: { data, 'labels.csv': 'b'.repeat(32) } };
  await writeFile(ws.lock, JSON.stringify(lock));
  await writeFile(ws.dataDvc, `outs:\n- md5: ${RECORDED}\n  hash: md5\n  path: data\n`);
  return buildReport({ ws, params, base: 'main', log: silentLogger });
}

describe("the report's data, when data/ differed from data.dvc", () => {
  it('names the data the dataset stage read, and what data.dvc records', async () => {
    const { markdown, json } = await reportWithDatasetRead(USED);
    expect(json.lineage.data).toBe(RECORDED);
    expect(json.lineage.dataUsed).toBe(USED);
    expect(markdown).toContain(
      `Data: \`${USED}\`, data/ as it was on the computer that ran this, which differs from what data.dvc records ` +
        `(\`${RECORDED}\`): run \`npx vitrine data checkout\` to match it`,
    );
  });

  it('says only the recorded data when the dataset stage read that', async () => {
    const { markdown, json } = await reportWithDatasetRead(RECORDED);
    expect(json.lineage.dataUsed).toBeUndefined();
    expect(markdown).toContain(`Data: \`${RECORDED}\`\n`);
  });
});
