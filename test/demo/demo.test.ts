import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabels, readObjects } from '../../pipeline/collection/index.ts';
import { DEMO_TYPES } from '../../pipeline/demo/draw.ts';
import { fixDemoLabels } from '../../pipeline/demo/fix-labels.ts';
import { addDemoBatch, generateDemo, planDemo } from '../../pipeline/demo/generate.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

const dirs: string[] = [];
async function tempRoot() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-demo-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function smallParams(seed = 7): Params {
  const params = defaultParams();
  params.demo = { ...params.demo, seed, per_type: 6, unlabelled_per_type: 1, wrong_label_rate: 0.2, image_size: 96 };
  return params;
}

async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files.set(path.relative(root, full), (await readFile(full)).toString('base64'));
    }
  };
  await walk(path.join(root, 'data'));
  files.set('labels.csv', await readFile(path.join(root, 'labels.csv'), 'utf8'));
  return files;
}

describe('demo collection', () => {
  it('by default is several hundred objects, at least 40 per type, six types, a few wrong labels', () => {
    const items = planDemo({ demo: defaultParams().demo });
    expect(items.length).toBeGreaterThanOrEqual(300);
    for (const type of DEMO_TYPES)
      expect(items.filter((i) => i.type === type && i.label !== null).length).toBeGreaterThanOrEqual(40);
    const wrong = items.filter((i) => i.label !== null && i.label !== i.type);
    expect(wrong.length).toBeGreaterThan(5);
    expect(wrong.length).toBeLessThan(items.length * 0.15);
    expect(items.some((i) => i.label === null)).toBe(true);
    // Ids do not give the type away: types are interleaved.
    expect(new Set(items.slice(0, 12).map((i) => i.type)).size).toBeGreaterThan(2);
  });

  it('is byte-identical for the same seed and different for another seed', async () => {
    const [a, b, c] = [await tempRoot(), await tempRoot(), await tempRoot()];
    await generateDemo({ ws: workspace(a), params: smallParams(), log: silentLogger });
    await generateDemo({ ws: workspace(b), params: smallParams(), log: silentLogger });
    await generateDemo({ ws: workspace(c), params: smallParams(8), log: silentLogger });
    const [sa, sb, sc] = [await snapshot(a), await snapshot(b), await snapshot(c)];
    expect(sa.size).toBe(6 * 7 + 2); // images + objects.csv + labels.csv
    expect(sb).toEqual(sa);
    expect(sc.get('labels.csv')).not.toEqual(sa.get('labels.csv'));
    expect(sc.get('data/images/DM-0001.jpg')).not.toEqual(sa.get('data/images/DM-0001.jpg'));
  });

  it('writes a museum metadata table and a sorted labels file, and a second run writes nothing', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const first = await generateDemo({ ws, params: smallParams(), log: silentLogger });
    expect(first.imagesWritten).toBe(42);
    const { objects } = await readObjects({ file: ws.objects });
    expect(objects).toHaveLength(42);
    for (const o of objects) {
      for (const field of [
        'id',
        'title',
        'maker',
        'date',
        'department',
        'medium',
        'creditLine',
        'rights',
        'image',
      ] as const)
        expect(o[field], `${o.id} ${field}`).not.toBe('');
    }
    const labels = await readLabels({ file: ws.labels });
    expect(labels).toHaveLength(36);
    expect(labels.map((l) => l.objectId)).toEqual([...labels.map((l) => l.objectId)].sort());
    const again = await generateDemo({ ws, params: smallParams(), log: silentLogger });
    expect(again.imagesWritten).toBe(0);
  });

  it('fixes exactly the deliberately wrong labels', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    const before = await readLabels({ file: ws.labels });
    const { fixed } = await fixDemoLabels({ ws, params });
    const after = await readLabels({ file: ws.labels });
    const truth = new Map(planDemo({ demo: params.demo }).map((i) => [i.object.id, i.type]));
    expect(fixed.length).toBeGreaterThan(0);
    expect(after.every((l) => l.label === truth.get(l.objectId))).toBe(true);
    const changed = before.filter((l, i) => after[i]!.label !== l.label).map((l) => l.objectId);
    expect(changed).toEqual(fixed);
  });

  it('adds a batch of new objects without touching the existing ones', async () => {
    const root = await tempRoot();
    const ws = workspace(root);
    const params = smallParams();
    await generateDemo({ ws, params, log: silentLogger });
    const before = await snapshot(root);
    const { added, batch } = await addDemoBatch({ ws, params, count: 5, style: 'new', log: silentLogger });
    expect(batch).toBe(1);
    expect(added).toEqual(['DM-B1-0001', 'DM-B1-0002', 'DM-B1-0003', 'DM-B1-0004', 'DM-B1-0005']);
    const after = await snapshot(root);
    for (const [file, bytes] of before) if (file.startsWith('data/images/')) expect(after.get(file)).toBe(bytes);
    expect((await readObjects({ file: ws.objects })).objects).toHaveLength(47);
    const second = await addDemoBatch({ ws, params, count: 2, style: 'studio', log: silentLogger });
    expect(second.batch).toBe(2);
  });
});

describe("the repository's demo files", () => {
  it('data.dvc and labels.csv are exactly what `vitrine demo` generates with the default params', async () => {
    const repo = path.resolve(import.meta.dirname, '..', '..');
    const root = await tempRoot();
    const ws = workspace(root);
    await generateDemo({ ws, params: defaultParams(), log: silentLogger });
    const { hashTree } = await import('../../pipeline/data/hash.ts');
    const tree = await hashTree({ dir: ws.data });
    const committed = await readFile(path.join(repo, 'data.dvc'), 'utf8');
    expect(committed).toContain(`- md5: ${tree.md5}\n`);
    expect(committed).toContain(`  nfiles: ${tree.nfiles}\n`);
    expect(await readFile(ws.labels, 'utf8')).toBe(await readFile(path.join(repo, 'labels.csv'), 'utf8'));
  });
});
