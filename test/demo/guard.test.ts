import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLabels, readObjects } from '../../pipeline/collection/index.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { fixDemoLabels } from '../../pipeline/demo/fix-labels.ts';
import { addDemoBatch, generateDemo, planDemo } from '../../pipeline/demo/generate.ts';
import { type Logger, silentLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

const dirs: string[] = [];
async function tempRoot() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-demo-guard-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function smallParams(): Params {
  const params = defaultParams();
  params.demo = { ...params.demo, seed: 7, per_type: 4, unlabelled_per_type: 1, wrong_label_rate: 0.3, image_size: 64 };
  return params;
}

/** The ids data/objects.csv holds, in its order. */
async function objectIds(ws: ReturnType<typeof workspace>): Promise<string[]> {
  return (await readObjects({ file: ws.objects })).objects.map((o) => o.id);
}

/** Rows for `ids` added at the end of data/objects.csv, as staff would add them. */
async function appendRows(ws: ReturnType<typeof workspace>, ids: string[]): Promise<void> {
  const text = await readFile(ws.objects, 'utf8');
  const header = text.split('\n')[0]!.split(',');
  const row = (id: string) => header.map((c) => (c === 'id' ? id : c === 'image' ? `images/${id}.jpg` : 'x')).join(',');
  await writeFile(ws.objects, `${text}${ids.map((id) => `${row(id)}\n`).join('')}`);
}

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warn: (m: string) => warnings.push(m), warnings };
}

/** A museum repository as `vitrine init --from` leaves it after a git clone: no data/, no cache. */
async function museumClone({ importSettings }: { importSettings: boolean }) {
  const root = await tempRoot();
  await mkdir(path.join(root, 'data', 'images'), { recursive: true });
  await writeFile(path.join(root, 'data', 'objects.csv'), 'id,image\nCLE_1,images/CLE_1.jpg\n');
  await writeFile(path.join(root, 'data', 'images', 'CLE_1.jpg'), 'not really a jpeg');
  await initData({ root, remoteName: 'storage', remoteUrl: '../remote' });
  await addData({ root, log: silentLogger });
  await writeFile(path.join(root, 'labels.csv'), 'object_id,label\nCLE_1,Jewellery\n');
  // The clone: data/ and the cache are not in git.
  await rm(path.join(root, 'data'), { recursive: true });
  await rm(path.join(root, '.dvc', 'cache'), { recursive: true });
  const params = smallParams();
  if (importSettings) params.import.metadata = '../export/objects.csv';
  return { root, params };
}

describe('vitrine demo in a repository that is not a demo', () => {
  it('refuses when data/ was not pulled, naming labels.csv, and changes nothing', async () => {
    const { root, params } = await museumClone({ importSettings: false });
    const before = [await readFile(path.join(root, 'labels.csv')), await readFile(path.join(root, 'data.dvc'))];
    await expect(generateDemo({ ws: workspace(root), params, log: silentLogger })).rejects.toMatchObject({
      code: 'DEMO_REAL_COLLECTION',
      message: expect.stringMatching(/labels\.csv has 1 object not from the demo \(e\.g\. "CLE_1"\)/),
    });
    expect([await readFile(path.join(root, 'labels.csv')), await readFile(path.join(root, 'data.dvc'))]).toEqual(
      before,
    );
    await expect(readFile(path.join(root, 'data', 'objects.csv'))).rejects.toThrow();
  });

  it('refuses when params.yaml has import settings, saying so and what to do', async () => {
    const { root, params } = await museumClone({ importSettings: true });
    await expect(generateDemo({ ws: workspace(root), params, log: silentLogger })).rejects.toThrow(
      /import\.metadata: "\.\.\/export\/objects\.csv".*vitrine data pull/,
    );
  });

  it("refuses when data.dvc records files that are not the demo's, even with no labels", async () => {
    const root = await tempRoot();
    await mkdir(path.join(root, 'data', 'images'), { recursive: true });
    await writeFile(path.join(root, 'data', 'images', 'scan-01.tif'), 'x');
    await initData({ root, remoteName: 'storage', remoteUrl: '../remote' });
    await addData({ root, log: silentLogger });
    await rm(path.join(root, 'data'), { recursive: true });
    await expect(generateDemo({ ws: workspace(root), params: smallParams(), log: silentLogger })).rejects.toThrow(
      /data\.dvc records files that are not the demo's \(e\.g\. data\/images\/scan-01\.tif\)/,
    );
    await rm(path.join(root, '.dvc', 'cache'), { recursive: true });
    await expect(generateDemo({ ws: workspace(root), params: smallParams(), log: silentLogger })).rejects.toThrow(
      /not on this machine.*"vitrine data pull"/,
    );
  });

  it('still runs in a demo clone: data.dvc and labels.csv from the demo, data/ not pulled', async () => {
    const root = await tempRoot();
    const params = smallParams();
    await generateDemo({ ws: workspace(root), params, log: silentLogger });
    await initData({ root, remoteName: 'local', remoteUrl: '.vitrine-remote' });
    await addData({ root, log: silentLogger });
    await rm(path.join(root, 'data'), { recursive: true });
    await rm(path.join(root, '.dvc', 'cache'), { recursive: true });
    const result = await generateDemo({ ws: workspace(root), params, log: silentLogger });
    expect(result.objects).toBe(30);
  });

  it('still runs when data.dvc also records what Finder or Explorer left in data/ (.DS_Store, Thumbs.db)', async () => {
    const root = await tempRoot();
    const params = smallParams();
    await generateDemo({ ws: workspace(root), params, log: silentLogger });
    await writeFile(path.join(root, 'data', 'images', '.DS_Store'), 'finder');
    await writeFile(path.join(root, 'data', 'Thumbs.db'), 'explorer');
    await initData({ root, remoteName: 'local', remoteUrl: '.vitrine-remote' });
    await addData({ root, log: silentLogger });
    const result = await generateDemo({ ws: workspace(root), params, log: silentLogger });
    expect(result.objects).toBe(30);
  });
});

describe('vitrine demo run again', () => {
  it('keeps a labels.csv that was corrected since, and says so', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    const { fixed } = await fixDemoLabels({ ws, params });
    expect(fixed.length).toBeGreaterThan(0);
    const corrected = await readFile(ws.labels, 'utf8');
    const log = recordingLog();
    const result = await generateDemo({ ws, params, log });
    expect(await readFile(ws.labels, 'utf8')).toBe(corrected);
    expect(result.labelsKept).toBe(true);
    expect(log.warnings.join('\n')).toMatch(/labels\.csv differs .* kept/);
  });

  it('writes the new labels when the demo settings changed (another seed, more objects), not the old ones', async () => {
    // A reviewer: with the labels kept, 107 of 144 objects of a larger demo carried another object's label.
    const root = await tempRoot();
    const ws = workspace(root);
    await generateDemo({ ws, params: smallParams(), log: silentLogger });
    for (const change of [{ seed: 8 }, { per_type: 6 }]) {
      const params = smallParams();
      params.demo = { ...params.demo, ...change };
      const result = await generateDemo({ ws, params, log: silentLogger });
      expect(result.labelsKept).toBe(false);
      const planned = planDemo({ demo: params.demo }).filter((i) => i.label !== null);
      const written = parseLabels({ text: await readFile(ws.labels, 'utf8'), file: 'labels.csv' });
      expect(written.map((l) => [l.objectId, l.label])).toEqual(planned.map((i) => [i.object.id, i.label]));
    }
  });

  it('in a clone with no record, replaces the labels of a demo with other settings, keeping the old file (a reviewer)', async () => {
    // A fresh clone (no .vitrine/), then another seed or more objects: the committed labels are another demo's.
    for (const change of [{ seed: 8 }, { per_type: 6 }]) {
      const root = await tempRoot();
      const ws = workspace(root);
      await generateDemo({ ws, params: smallParams(), log: silentLogger });
      const before = await readFile(ws.labels, 'utf8');
      await rm(path.join(root, '.vitrine'), { recursive: true });
      const params = smallParams();
      params.demo = { ...params.demo, ...change };
      const log = recordingLog();
      const result = await generateDemo({ ws, params, log });
      expect(result.labelsKept).toBe(false);
      const planned = planDemo({ demo: params.demo }).filter((i) => i.label !== null);
      const written = parseLabels({ text: await readFile(ws.labels, 'utf8'), file: 'labels.csv' });
      expect(written.map((l) => [l.objectId, l.label])).toEqual(planned.map((i) => [i.object.id, i.label]));
      const said = log.warnings.join('\n');
      expect(said).toMatch(/labels\.csv held labels of a demo with other settings/);
      const copy = /kept in (\.vitrine\/demo-replaced\/[^ ]+\/labels\.csv)\./.exec(said)?.[1];
      expect(copy).toBeDefined();
      expect(await readFile(path.join(root, copy!), 'utf8')).toBe(before);
    }
    // Corrections in a clone with no record are still kept: they change the few deliberately wrong labels.
    const root = await tempRoot();
    const ws = workspace(root);
    await generateDemo({ ws, params: smallParams(), log: silentLogger });
    await fixDemoLabels({ ws, params: smallParams() });
    const corrected = await readFile(ws.labels, 'utf8');
    await rm(path.join(root, '.vitrine'), { recursive: true });
    expect((await generateDemo({ ws, params: smallParams(), log: silentLogger })).labelsKept).toBe(true);
    expect(await readFile(ws.labels, 'utf8')).toBe(corrected);
  });

  it('refuses to write its labels over corrections made to a demo of other objects, then starts over without them', async () => {
    // labels.csv from a larger demo, corrected, in a clone (no data/, no .vitrine/): the corrections are someone's work.
    const root = await tempRoot();
    const ws = workspace(root);
    const larger = smallParams();
    larger.demo = { ...larger.demo, per_type: 6 };
    await generateDemo({ ws, params: larger, log: silentLogger });
    await fixDemoLabels({ ws, params: larger });
    const corrected = await readFile(ws.labels, 'utf8');
    await rm(path.join(root, '.vitrine'), { recursive: true });
    await rm(path.join(root, 'data'), { recursive: true });
    await expect(generateDemo({ ws, params: smallParams(), log: silentLogger })).rejects.toMatchObject({
      code: 'DEMO_LABELS_OTHER_OBJECTS',
      message: expect.stringMatching(
        /labels\.csv labels \d+ objects that this demo does not generate \(e\.g\. "DM-\d+"\).*delete labels\.csv/,
      ),
    });
    expect(await readFile(ws.labels, 'utf8')).toBe(corrected);
    await expect(readFile(ws.objects)).rejects.toThrow();
    await rm(ws.labels);
    const result = await generateDemo({ ws, params: smallParams(), log: silentLogger });
    expect(result.labelsKept).toBe(false);
  });

  it('writes over its own objects.csv when the settings changed, --add batches included, keeping the old file', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    await addDemoBatch({ ws, params, count: 2, style: 'new', log: silentLogger });
    const before = await readFile(ws.objects, 'utf8');
    const fewer = smallParams();
    fewer.demo = { ...fewer.demo, per_type: 3 };
    const log = recordingLog();
    const result = await generateDemo({ ws, params: fewer, log });
    expect(result.objects).toBe(24);
    // The file holds this demo's objects, and only them, in its order.
    expect(await objectIds(ws)).toEqual(planDemo({ demo: fewer.demo }).map((i) => i.object.id));
    // The 6 objects of the larger demo and the batch of 2 are in the copy, named in one sentence.
    const said = log.warnings.join('\n');
    expect(said).toMatch(
      /data\/objects\.csv had 8 objects \(e\.g\. "DM-0025"\) that these demo settings do not generate, 2 of them added with/,
    );
    const copy = /kept in (\.vitrine\/demo-replaced\/[^ ]+\/objects\.csv)\./.exec(said)?.[1];
    expect(copy).toBeDefined();
    expect(await readFile(path.join(root, copy!), 'utf8')).toBe(before);
  });

  it('after "vitrine demo --add", keeps a copy of objects.csv with the batch before writing it without, and says so', async () => {
    // A reviewer: the batch was recorded as the demo's own, so a plain "vitrine demo" dropped it, with no word.
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    const { added } = await addDemoBatch({ ws, params, count: 2, style: 'new', log: silentLogger });
    const before = await readFile(ws.objects, 'utf8');
    const log = recordingLog();
    await generateDemo({ ws, params, log });
    expect(await objectIds(ws)).toEqual(planDemo({ demo: params.demo }).map((i) => i.object.id));
    const said = log.warnings.join('\n');
    expect(said).toContain(
      `data/objects.csv had 2 objects (e.g. "${added[0]}") that these demo settings do not generate, added with ` +
        '"vitrine demo --add": it is written without them, and the old file is kept in .vitrine/demo-replaced/',
    );
    const copy = /kept in (\.vitrine\/demo-replaced\/[^ ]+\/objects\.csv)\./.exec(said)?.[1];
    expect(await readFile(path.join(root, copy!), 'utf8')).toBe(before);
    // Run again: nothing more to drop, no copy, no word.
    const again = recordingLog();
    await generateDemo({ ws, params, log: again });
    expect(again.warnings).toEqual([]);
  });

  it('refuses, changing nothing, when objects were added by hand before "vitrine demo --add"', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    await appendRows(ws, ['DM-0900']);
    await addDemoBatch({ ws, params, count: 2, style: 'new', log: silentLogger });
    const objects = await readFile(ws.objects, 'utf8');
    const labels = await readFile(ws.labels, 'utf8');
    await expect(generateDemo({ ws, params, log: silentLogger })).rejects.toMatchObject({
      code: 'DEMO_OBJECTS_OTHER_OBJECTS',
      message: expect.stringMatching(
        /data\/objects\.csv has 1 object that this demo does not generate \(e\.g\. "DM-0900"\), added by hand/,
      ),
    });
    expect(await readFile(ws.objects, 'utf8')).toBe(objects);
    expect(await readFile(ws.labels, 'utf8')).toBe(labels);
    await expect(readdir(path.join(root, '.vitrine', 'demo-replaced'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('in a clone with no record, refuses over a batch, saying it came from "vitrine demo --add"', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    const { added } = await addDemoBatch({ ws, params, count: 2, style: 'new', log: silentLogger });
    await rm(path.join(root, '.vitrine'), { recursive: true });
    await expect(generateDemo({ ws, params, log: silentLogger })).rejects.toMatchObject({
      code: 'DEMO_OBJECTS_OTHER_OBJECTS',
      message: expect.stringContaining(
        `data/objects.csv has 2 objects that this demo does not generate (e.g. "${added[0]}"), added with ` +
          '"vitrine demo --add".',
      ),
    });
  });

  it('keeps corrected labels plus a line for an object the demo does not generate, refusing and changing nothing', async () => {
    // An outside tester: the corrections and the added DM-0900 line were replaced by the demo's wrong labels.
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    await fixDemoLabels({ ws, params });
    await writeFile(ws.labels, `${await readFile(ws.labels, 'utf8')}DM-0900,vessel\n`);
    const edited = await readFile(ws.labels, 'utf8');
    const objects = await readFile(ws.objects, 'utf8');
    for (const clone of [false, true]) {
      if (clone) await rm(path.join(root, '.vitrine'), { recursive: true, force: true });
      await expect(generateDemo({ ws, params, log: silentLogger })).rejects.toMatchObject({
        code: 'DEMO_LABELS_OTHER_OBJECTS',
        message: expect.stringMatching(/labels\.csv .*"DM-0900".*changed nothing.*delete labels\.csv/),
      });
      expect(await readFile(ws.labels, 'utf8')).toBe(edited);
      expect(await readFile(ws.objects, 'utf8')).toBe(objects);
    }
  });

  it('refuses over labels of objects of a batch, saying the objects came from "vitrine demo --add"', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    const { added } = await addDemoBatch({ ws, params, count: 2, style: 'new', log: silentLogger });
    await writeFile(ws.labels, `${await readFile(ws.labels, 'utf8')}${added[0]},vessel\n`);
    await expect(generateDemo({ ws, params, log: silentLogger })).rejects.toMatchObject({
      code: 'DEMO_LABELS_OTHER_OBJECTS',
      message: expect.stringContaining(
        `labels.csv labels 1 object that this demo does not generate (e.g. "${added[0]}"), added with "vitrine demo --add".`,
      ),
    });
  });

  it('keeps corrected labels on every run, not only the second', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    await fixDemoLabels({ ws, params });
    // Staff also label an object the demo left unlabelled.
    const unlabelled = planDemo({ demo: params.demo }).find((i) => i.label === null)!;
    await writeFile(ws.labels, `${await readFile(ws.labels, 'utf8')}${unlabelled.object.id},${unlabelled.type}\n`);
    const corrected = await readFile(ws.labels, 'utf8');
    for (let run = 0; run < 3; run++) {
      const result = await generateDemo({ ws, params, log: silentLogger });
      expect(result.labelsKept).toBe(true);
      expect(await readFile(ws.labels, 'utf8')).toBe(corrected);
    }
    // An earlier version recorded the kept file as its own: that record does not make the corrections the demo's.
    const record = path.join(root, '.vitrine', 'demo', 'labels.json');
    await writeFile(record, JSON.stringify({ md5: createHash('md5').update(corrected).digest('hex') }));
    expect((await generateDemo({ ws, params, log: silentLogger })).labelsKept).toBe(true);
    expect(await readFile(ws.labels, 'utf8')).toBe(corrected);
    // Corrections kept, then the settings changed: still someone's work, not the demo's own file.
    const other = smallParams();
    other.demo = { ...other.demo, per_type: 3 };
    await expect(generateDemo({ ws, params: other, log: silentLogger })).rejects.toMatchObject({
      code: 'DEMO_LABELS_OTHER_OBJECTS',
    });
    expect(await readFile(ws.labels, 'utf8')).toBe(corrected);
  });

  it('keeps objects added to data/objects.csv by hand, refusing and changing nothing', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    const text = await readFile(ws.objects, 'utf8');
    const header = text.split('\n')[0]!;
    const row = (id: string) =>
      header.split(',').map((c) => (c === 'id' ? id : c === 'image' ? `images/${id}.jpg` : 'x'));
    const added = `${text}${row('DM-0900').join(',')}\n${row('DM-0901').join(',')}\n`;
    await writeFile(ws.objects, added);
    const labels = await readFile(ws.labels, 'utf8');
    for (const clone of [false, true]) {
      if (clone) await rm(path.join(root, '.vitrine'), { recursive: true, force: true });
      await expect(generateDemo({ ws, params, log: silentLogger })).rejects.toMatchObject({
        code: 'DEMO_OBJECTS_OTHER_OBJECTS',
        message: expect.stringMatching(/data\/objects\.csv .*2 objects .*"DM-0900".*changed nothing/),
      });
      expect(await readFile(ws.objects, 'utf8')).toBe(added);
      expect(await readFile(ws.labels, 'utf8')).toBe(labels);
    }
  });

  it('creates labels.csv when it is missing', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const result = await generateDemo({ ws, params: smallParams(), log: silentLogger });
    expect(result.labelsKept).toBe(false);
    expect((await readFile(ws.labels, 'utf8')).startsWith('object_id,label\n')).toBe(true);
  });
});
