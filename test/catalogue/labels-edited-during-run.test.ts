import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { loadStages } from '../../pipeline/stages/index.ts';
import { committedDemo } from '../fixtures/committed-demo.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * SLOW (real training on a tiny demo). Task D6: the catalogue’s "Suggest a correction" links carry the line of
 * labels.csv the dataset stage read. The catalogue found that file by its own older means: labels.csv when lock.json’s
 * md5 is its, else HEAD’s. A curator who corrected labels.csv without committing it and ran `vitrine run`, while a
 * colleague saved labels.csv again as the run trained, had neither: the dataset stage’s copy of the bytes it read
 * (.vitrine/dataset/labels-read.csv), which the report reads, was not looked at, and every link lost its line.
 */

const PARAMS =
  'demo:\n  per_type: 4\n  unlabelled_per_type: 0\n  image_size: 64\ntrain:\n  epochs: 5\n  workers: 1\n' +
  'evaluate:\n  bootstrap: 100\ngate:\n  min_macro_f1: 0\n  min_class_f1: 0\n  max_macro_f1_drop: 1\n' +
  '  min_test_objects: 1\n';

describe('labels.csv saved while a run trains, the catalogue built after (slow)', () => {
  it('an uncommitted correction read by the run: the links keep the lines of labels.csv as it was read', async () => {
    const { ws } = await committedDemo({
      parent: await tempDir('vitrine-catalogue-labels-during-run-'),
      params: PARAMS,
    });
    // A correction saved, not committed: the run reads this file, which is neither HEAD’s nor the one at the end.
    const lines = readFileSync(ws.labels, 'utf8').split('\n');
    const [id, label] = lines[3]!.split(',');
    lines[3] = `${id},${label === 'coin' ? 'vessel' : 'coin'}`;
    writeFileSync(ws.labels, lines.join('\n'));
    const [header, ...rows] = lines.filter((l) => l !== '');
    const lineRead = (objectId: string) => rows.findIndex((r) => r.startsWith(`${objectId},`)) + 2;
    const watched = rows[rows.length - 1]!.split(',')[0]!;

    // Once the dataset stage has read it, a colleague saves labels.csv sorted by label (a spreadsheet’s sort).
    let saved = false;
    const params = await loadParams({ file: ws.params });
    await runStages({
      ctx: { ws, params, log: memoryLogger(), clock: systemClock, env: {} },
      stages: await loadStages(),
      targets: ['train'],
      onStage: (name) => {
        if (name !== 'train') return;
        const sorted = [...rows].sort((a, b) => a.split(',')[1]!.localeCompare(b.split(',')[1]!));
        writeFileSync(ws.labels, `${[header, ...sorted].join('\n')}\n`);
        saved = true;
      },
    });
    expect(saved).toBe(true);
    expect(
      readFileSync(ws.labels, 'utf8')
        .split('\n')
        .indexOf(rows[rows.length - 1]!) + 1,
    ).not.toBe(lineRead(watched));

    const log = memoryLogger();
    const { catalogue } = await buildCatalogueData({ ws, params, log });
    const lineOf = (objectId: string) => catalogue.objects.find((o) => o.id === objectId)!.labelLine;
    expect(lineOf(watched)).toBe(lineRead(watched));
    expect(lineOf(id!)).toBe(4);
    expect(log.lines.map((l) => l.message)).not.toContainEqual(expect.stringContaining('changed after the dataset'));
  }, 400_000);
});
