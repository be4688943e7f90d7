import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { Metrics, ModelInfo } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * Objects whose image the backbone gave no usable numbers for are left out of training and of the
 * scores (pipeline/model/left-out.ts). Staff read the pull request, not the run log: the report says
 * so beside the scores, names the objects and their image files, and says what to do. Nothing when
 * none was left out, nor for metrics.json and model-info.json written before it was recorded.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const base: Record<string, string> = { ...correct, 'DM-0007': 'coin' };
const params = validateParams({ raw: { train: { epochs: 60 } } });

let server: http.Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** The report's Markdown for stage outputs with these fields of metrics.json and model-info.json. */
async function report({
  metrics = {},
  model = {},
  catalogueUrl,
}: {
  metrics?: Partial<Metrics>;
  model?: Partial<ModelInfo>;
  catalogueUrl?: string;
}): Promise<string> {
  const { ws } = await makeRepo({ objects, base, head: correct });
  await writeStageOutputs({ ws, objects, head: correct, metrics, model });
  const { markdown } = await buildReport({ ws, params, base: 'main', catalogueUrl, log: silentLogger });
  return markdown;
}

function scoresSection(markdown: string): string {
  return markdown.slice(markdown.indexOf('### Scores'), markdown.indexOf('### Per label'));
}

describe('objects left out for want of a usable embedding, in the report', () => {
  it('says beside the scores how many, names them with their image files and says what to do', async () => {
    const markdown = await report({ metrics: { leftOut: { objects: 2, ids: ['DM-0001', 'DM-0009'] } } });
    expect(scoresSection(markdown)).toContain(
      '⚠️ 2 objects were left out: the model could not read their images (DM-0001 (`data/images/DM-0001.png`), ' +
        'DM-0009 (`data/images/DM-0009.png`)). They do not count in the scores. Open those images, save ' +
        'them again or replace them; the next run takes them in.',
    );
  });

  it("counts once an object both training and the scores left out, and names training's own", async () => {
    const markdown = await report({
      metrics: { leftOut: { objects: 2, ids: ['DM-0001', 'DM-0002'] } },
      model: { leftOut: { objects: 2, ids: ['DM-0002', 'DM-0003'] } },
    });
    const scores = scoresSection(markdown);
    expect(scores).toContain('⚠️ 3 objects were left out: the model could not read their images (DM-0001 (');
    expect(scores).toContain('DM-0003 (`data/images/DM-0003.png`)). They count in neither the scores nor training.');
  });

  it('says "it" for one object left out of training only', async () => {
    const markdown = await report({ model: { leftOut: { objects: 1, ids: ['DM-0005'] } } });
    expect(scoresSection(markdown)).toContain(
      '⚠️ 1 object was left out: the model could not read its image (DM-0005 (`data/images/DM-0005.png`)). ' +
        'It does not count in training. Open that image, save it again or replace it; the next run takes it in.',
    );
  });

  it('with more than the files name, gives the whole count (at least, when two files overlap unknown)', async () => {
    const first20 = objects.slice(0, 20).map((o) => o.id);
    const alone = await report({ metrics: { leftOut: { objects: 25, ids: first20 } } });
    expect(scoresSection(alone)).toContain('⚠️ 25 objects were left out');
    expect(scoresSection(alone)).toContain('DM-0020 (`data/images/DM-0020.png`) and 5 more).');
    const both = await report({
      metrics: { leftOut: { objects: 25, ids: first20 } },
      model: { leftOut: { objects: 1, ids: ['DM-0030'] } },
    });
    expect(scoresSection(both)).toContain('⚠️ At least 25 objects were left out');
    // Named as many as one file names: the rest are counted.
    expect(scoresSection(both)).toContain('DM-0020 (`data/images/DM-0020.png`) and at least 5 more).');
    expect(scoresSection(both)).not.toContain('DM-0030');
  });

  it('says nothing when none was left out, nor for files written before it was recorded', async () => {
    for (const fields of [
      {},
      { metrics: { leftOut: { objects: 0, ids: [] } }, model: { leftOut: { objects: 0, ids: [] } } },
    ]) {
      const markdown = await report(fields);
      expect(markdown).toContain('### Scores');
      expect(markdown).not.toContain('left out:');
      expect(markdown).not.toContain('could not read');
    }
  });

  it('shows thumbnails and catalogue links when the catalogue is published', async () => {
    server = http.createServer((req, res) => {
      const found = req.url === '/collection/' || req.url?.startsWith('/collection/media/');
      res.writeHead(found ? 200 : 404);
      res.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/collection`;
    const markdown = await report({ metrics: { leftOut: { objects: 1, ids: ['DM-0001'] } }, catalogueUrl: url });
    const scores = scoresSection(markdown);
    expect(scores).toContain('⚠️ 1 object was left out: the model could not read its image (listed below).');
    const row = scores.split('\n').find((l) => l.includes('DM-0001'))!;
    expect(row).toBe(
      `| <img src="${url}/media/thumbnails/DM-0001-240.jpg" alt="Coin number 1" width="64"> | ` +
        `[DM-0001](${url}/objects/dm-0001/) | Coin number 1 | \`data/images/DM-0001.png\` |`,
    );
  });
});
