import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import { keptInputsKey, withDemoEmbeddings } from '../fixtures/demo-embeddings.ts';
import { commitLabels } from '../fixtures/left-out.ts';

/*
 * The demo collection exactly as `vitrine demo` makes it (default params), its labels.csv committed on main, the
 * dataset and train stages run: where demo-review and labels-lost start. Made once for a set of inputs and kept
 * under os.tmpdir(), named by a hash of everything it is made from (every file of pipeline/, these fixtures,
 * package-lock.json, the Node version, the params), so a change to any of them makes it again. Each test gets a
 * copy of its own. Made in a temp folder and renamed into place: two workers making it at once each make it, and
 * one copy stays.
 */

// One folder per user (the reviewer: another user's run met a folder it may not write, or could plant an entry).
const cacheRoot = path.join(os.tmpdir(), `vitrine-test-cache-${os.userInfo().uid}`, 'trained-demo');
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };

/** A copy of the trained default demo in a new temp folder named `prefix…`. */
export async function trainedDemo({ prefix }: { prefix: string }): Promise<Workspace> {
  const kept = path.join(
    cacheRoot,
    await keptInputsKey({
      files: ['test/fixtures/left-out.ts', 'test/fixtures/git.ts', 'test/evaluate/helpers-trained-demo.ts'],
      settings: defaultParams(),
    }),
  );
  if (!(await stat(kept).catch(() => null))) await make(kept);
  // Used now: not one to remove as old (below).
  await utimes(kept, new Date(), new Date());
  const root = await mkdtemp(path.join(os.tmpdir(), prefix));
  await cp(kept, root, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  const ws = workspace(root);
  // The test and unlabelled objects' embeddings too, which the evaluate and promote stages would compute again.
  await withDemoEmbeddings({ ws, params: defaultParams() });
  return ws;
}

async function make(kept: string): Promise<void> {
  await mkdir(cacheRoot, { recursive: true });
  const building = `${kept}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const params = defaultParams();
    const ws = workspace(building);
    const ctx = { ws, params, log: memoryLogger(), clock, env: {} };
    await generateDemo({ ws, params, log: ctx.log });
    commitLabels({ root: ws.root, message: 'Demo labels' });
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    await rename(building, kept).catch(async (e: NodeJS.ErrnoException) => {
      // Another worker made it first: theirs stays.
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    });
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  // Made for other inputs more than two days ago: no run asks for them again.
  for (const name of await readdir(cacheRoot)) {
    const other = path.join(cacheRoot, name);
    const s = await stat(other).catch(() => null);
    if (other !== kept && s && Date.now() - s.mtimeMs > 2 * 86_400_000)
      await rm(other, { recursive: true, force: true });
  }
}
