import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { type Logger, silentLogger, systemClock } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { tinyDemoParams } from './tiny-demo.ts';

/*
 * A picture under 32 px on its short side and 64 on its long side (a 1×1 “no image” stub, an icon) is no photograph of
 * the object: the object stays, with its label, without a photograph (out of training; its page says why). Said once each (T3 F11: it was
 * trained on and published as a 1-pixel picture, the object kept “on purpose”). A thin one (200×20: a long thin object
 * photographed small, reviewer V7) is a photograph: kept, with a warning that the model learns little from it.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function jpeg(file: string, width: number, height: number): Promise<void> {
  await sharp({ create: { width, height, channels: 3, background: '#884422' } })
    .jpeg()
    .toFile(file);
}

function recordingLog(): Logger & { warnings: { message: string; object?: unknown }[] } {
  const warnings: { message: string; object?: unknown }[] = [];
  return { ...silentLogger, warn: (message, where) => warnings.push({ message, object: where?.object }), warnings };
}

async function collection(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-small-images-'));
  dirs.push(root);
  await generateDemo({ ws: workspace(root), params: tinyDemoParams(), log: silentLogger });
  return root;
}

describe('dataset stage: very small images', () => {
  it('warns once per object too small, with its size; the object stays, without a photograph; a thin one is kept', async () => {
    const root = await collection();
    await jpeg(path.join(root, 'data', 'images', 'DM-0001.jpg'), 1, 1);
    await jpeg(path.join(root, 'data', 'images', 'DM-0002.jpg'), 40, 20);
    await jpeg(path.join(root, 'data', 'images', 'DM-0003.jpg'), 200, 20);
    const log = recordingLog();
    const ctx = { ws: workspace(root), params: tinyDemoParams(), log, clock: systemClock, env: {} };
    const result = await datasetStage.run(ctx);
    expect(result.summary).toMatch(/^24 objects: 22 with a usable photograph .*, 2 without one/);
    const small = log.warnings.filter((w) => /under 32 on its short side/.test(w.message));
    expect(small.map((w) => w.object)).toEqual(['DM-0001', 'DM-0002']);
    expect(small[0]!.message).toMatch(/DM-0001.* 1×1 pixels/);
    expect(small[1]!.message).toMatch(/40×20 pixels/);
    const thin = log.warnings.filter((w) => /learn little/.test(w.message));
    expect(thin.map((w) => w.object)).toEqual(['DM-0003']);
    expect(thin[0]!.message).toMatch(/200×20 pixels, under 32 on the short side\. It is kept and shown/);
  });

  it('summarises when there are many', async () => {
    const root = await collection();
    for (let i = 1; i <= 12; i++)
      await jpeg(path.join(root, 'data', 'images', `DM-${String(i).padStart(4, '0')}.jpg`), 8, 8);
    const log = recordingLog();
    const ctx = { ws: workspace(root), params: tinyDemoParams(), log, clock: systemClock, env: {} };
    await datasetStage.run(ctx);
    const small = log.warnings.filter((w) => /under 32 on its short side|more not listed/.test(w.message));
    expect(small).toHaveLength(6);
    expect(small.at(-1)!.message).toMatch(/12 objects have pictures under 32 pixels .*7 more/);
  });
});
