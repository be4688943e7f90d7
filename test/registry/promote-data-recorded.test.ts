import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addData, objectPath } from '../../pipeline/data/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { promote, promoteStage } from '../../pipeline/stages/promote.ts';
import {
  type Fixture,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * A model version records data.dvc's hash as its data. When data/ holds files data.dvc does not record
 * (images added, objects.csv edited, no `vitrine data add`), the model was trained on data that hash
 * does not name: registering it would give a version its commit cannot reproduce.
 */

const newRepo = repoPerTest();
const tagsOf = (f: Fixture) => sh(f.root, 'tag', '-l').split('\n').filter(Boolean);

/** A repository whose data/ (objects.csv and three images) is recorded in data.dvc and committed. */
async function recordedRepo(): Promise<Fixture> {
  const f = await newRepo();
  await mkdir(path.join(f.ws.data, 'images'), { recursive: true });
  for (const n of [1, 2, 3]) await writeFile(path.join(f.ws.data, 'images', `obj-00${n}.png`), `image ${n}`);
  await addData({ root: f.root, log: memoryLogger() });
  sh(f.root, 'rm', '-r', '-q', '--cached', 'data');
  sh(f.root, 'add', '-A');
  sh(f.root, 'commit', '-q', '-m', 'Record data/ in data.dvc');
  return f;
}

/** What the tester did: new images and rows in data/, their labels committed, data.dvc left as it was. */
async function addUnrecordedObjects(f: Fixture): Promise<void> {
  for (const n of [13, 14]) {
    await writeFile(path.join(f.ws.data, 'images', `obj-0${n}.png`), `image ${n}`);
    await writeFile(f.ws.objects, `${await readFile(f.ws.objects, 'utf8')}obj-0${n},Object ${n}\n`);
    await writeFile(f.ws.labels, `${await readFile(f.ws.labels, 'utf8')}obj-0${n},coin\n`);
  }
  sh(f.root, 'add', 'labels.csv');
  sh(f.root, 'commit', '-q', '-m', 'Label two new objects');
}

/** Train-and-evaluate stand-in on the workspace as it is now (evaluate records data.dvc's hash). */
async function trainAndEvaluate(f: Fixture): Promise<void> {
  await writeDataset({ ws: f.ws });
  await writeModel({ ws: f.ws, predicts: 'coin' });
  await writeMetrics({ ws: f.ws, params: f.params });
}

describe('promotion and data/ that data.dvc does not record', () => {
  it('refuses when data/ differs from data.dvc, saying how and what to do, and registers nothing', async () => {
    const f = await recordedRepo();
    await addUnrecordedObjects(f);
    await trainAndEvaluate(f);
    const error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PROMOTE_DATA_UNRECORDED',
      data: { added: 2, removed: 0, changed: 1 },
    });
    const message = (error as Error).message;
    expect(message).toContain('data/ differs from what data.dvc records: 2 added, 0 removed, 1 changed');
    expect(message).toContain('added: data/images/obj-013.png');
    expect(message).toContain('changed: data/objects.csv');
    expect(message).toContain(
      'run "vitrine data add", then commit data.dvc and push the data with "vitrine data push"',
    );
    expect(message).toContain('Nothing was registered');
    expect(tagsOf(f)).toEqual([]);
    expect((await readRegistry({ dir: f.root, name: f.params.registry.model_name })).versions).toEqual([]);
  });

  it('refuses when files data.dvc records were deleted from data/', async () => {
    const f = await recordedRepo();
    await rm(path.join(f.ws.data, 'images', 'obj-002.png'));
    await trainAndEvaluate(f);
    const error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROMOTE_DATA_UNRECORDED', data: { added: 0, removed: 1, changed: 0 } });
    expect((error as Error).message).toContain('removed: data/images/obj-002.png');
    expect(tagsOf(f)).toEqual([]);
  });

  it('says to pull first when files data.dvc records were never fetched ("data add" would drop them)', async () => {
    const f = await recordedRepo();
    // An interrupted pull: the image is neither in data/ nor in the local cache.
    await rm(path.join(f.ws.data, 'images', 'obj-002.png'));
    const md5 = createHash('md5').update('image 2').digest('hex');
    await rm(objectPath(path.join(f.root, '.dvc', 'cache'), md5));
    await trainAndEvaluate(f);
    const error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROMOTE_DATA_UNRECORDED', data: { removed: 0, notFetched: 1 } });
    const message = (error as Error).message;
    expect(message).toContain('1 never fetched to this machine');
    expect(message).toContain('never fetched: data/images/obj-002.png');
    expect(message).toContain('Run "vitrine data pull" to fetch what data.dvc records');
    expect(tagsOf(f)).toEqual([]);
  });

  it('refuses when data.dvc records the new data but is not committed', async () => {
    const f = await recordedRepo();
    await addUnrecordedObjects(f);
    await addData({ root: f.root, log: memoryLogger() });
    await trainAndEvaluate(f);
    const error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROMOTE_UNCOMMITTED', data: { files: ['data.dvc'] } });
    expect((error as Error).message).toContain('data.dvc has changes that are not committed');
    expect(tagsOf(f)).toEqual([]);
  });

  it('promotes once the data is recorded and data.dvc committed, with the new data hash in its lineage', async () => {
    const f = await recordedRepo();
    await addUnrecordedObjects(f);
    const { md5 } = await addData({ root: f.root, log: memoryLogger() });
    sh(f.root, 'add', 'data.dvc');
    sh(f.root, 'commit', '-q', '-m', 'Record the new objects');
    await trainAndEvaluate(f);
    const result = await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(result.version).toBe('v1.0.0');
    const [version] = (await readRegistry({ dir: f.root, name: f.params.registry.model_name })).versions;
    expect(version?.registration?.inputs.data).toBe(md5);
  });

  it('on a branch, does not promote but warns that the merge will be refused until the data is recorded', async () => {
    const f = await recordedRepo();
    sh(f.root, 'checkout', '-q', '-b', 'new-objects');
    await addUnrecordedObjects(f);
    await trainAndEvaluate(f);
    const ctx = stageContext(f);
    const result = await promoteStage.run(ctx);
    expect(result.summary).toContain('not promoted');
    const warning = ctx.log.lines.find((l) => l.level === 'warn')?.message ?? '';
    expect(warning).toContain('data/ differs from what data.dvc records: 2 added, 0 removed, 1 changed');
    expect(warning).toContain('"vitrine data add"');
    expect(tagsOf(f)).toEqual([]);
  });

  it('says nothing on a branch whose data/ is what data.dvc records', async () => {
    const f = await recordedRepo();
    sh(f.root, 'checkout', '-q', '-b', 'relabel');
    await trainAndEvaluate(f);
    const ctx = stageContext(f);
    await promoteStage.run(ctx);
    expect(ctx.log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });
});
