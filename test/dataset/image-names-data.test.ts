import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseObjects, writeObjects } from '../../pipeline/collection/index.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { readDataset } from '../../pipeline/dataset/build.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { type Logger, silentLogger, systemClock } from '../../pipeline/log.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { tinyDemoParams } from '../stages/tiny-demo.ts';
import { removeTempDirs, tempDir } from './fixtures.ts';

/*
 * Tester, 2026-12-03 #2, with the data layer: an image saved on a Mac under the decomposed (NFD) name "Café
 * Müller.jpg", recorded in data.dvc under that name and named composed (NFC) in data/objects.csv. The dataset stage
 * uses it (read under the name on disk), and when it is gone, says it is missing from what data.dvc records (the
 * presence check compares the two names in one form) rather than "never fetched, no object uses it".
 */

afterAll(removeTempDirs);

const NFC = 'images/Café Müller.jpg'.normalize('NFC');
const NFD = NFC.normalize('NFD');

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warn: (m: string) => warnings.push(m), warnings };
}

let ws: Workspace;
beforeAll(async () => {
  ws = workspace(await tempDir('vitrine-image-names-'));
  await generateDemo({ ws, params: tinyDemoParams(), log: silentLogger });
  // DM-0004's photograph as a Mac saves "Café Müller.jpg"; the table names it composed.
  await rename(path.join(ws.data, 'images', 'DM-0004.jpg'), path.join(ws.data, NFD));
  const { objects } = parseObjects({ text: await readFile(ws.objects, 'utf8'), file: 'data/objects.csv' });
  await writeObjects({
    file: ws.objects,
    objects: objects.map((o) => (o.id === 'DM-0004' ? { ...o, image: NFC } : o)),
  });
  await initData({ root: ws.root, remoteName: 'local', remoteUrl: '.vitrine-remote' });
  await addData({ root: ws.root, log: silentLogger });
});

const ctx = (log: Logger) => ({ ws, params: tinyDemoParams(), log, clock: systemClock, env: {} });

describe('an image named in another Unicode form than data.dvc records it', () => {
  it('is used by the dataset stage, under its name on disk', async () => {
    const log = recordingLog();
    await datasetStage.run(ctx(log));
    const dataset = await readDataset({ ws });
    const o = dataset.objects.find((x) => x.id === 'DM-0004')!;
    expect(o.image).toBe(NFD);
    expect(o.imageMd5).toMatch(/^[0-9a-f]{32}$/);
    expect(log.warnings.join('\n')).not.toMatch(/Café Müller/);
  });

  it('is said to be missing from what data.dvc records when it is gone', async () => {
    await rm(path.join(ws.data, NFD));
    await expect(datasetStage.run(ctx(recordingLog()))).rejects.toMatchObject({
      code: 'DATA_INCOMPLETE',
      message: expect.stringContaining('data/ lacks 1 of the'),
    });
  });
});
