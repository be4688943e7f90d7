import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import type { DriftReport } from '../../pipeline/monitor/types.ts';
import { defaultParams, type Params, validateParams } from '../../pipeline/params.ts';
import { diffLabels, diffParams } from '../../pipeline/report/compare.ts';
import { buildReport, catalogueLinks } from '../../pipeline/report/index.ts';
import { attribute, between, safeUrl, text } from '../../pipeline/report/markdown.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));

/** Base: three wrong labels, DM-0036 not yet labelled. Head: fixed, DM-0036 labelled, DM-0030 unlabelled. */
function labelCorrection() {
  const base = { ...correct, 'DM-0007': 'coin', 'DM-0008': 'vessel', 'DM-0019': 'textile' };
  delete (base as Record<string, string>)['DM-0036'];
  const head = { ...correct };
  delete (head as Record<string, string>)['DM-0030'];
  return { base, head };
}

function paramsWith(report: Partial<Params['report']> = {}): Params {
  return validateParams({ raw: { train: { epochs: 60 }, report } });
}

const interval = (value: number, low: number, high: number) => ({ value, low, high });

type CrossValidated = NonNullable<Metrics['crossValidated']>;

/** metrics.crossValidated of 40 objects in 5 folds, 3 labels changed since main: these scores, this comparison. */
function crossValidatedWith({
  candidate,
  baseline,
  probability,
  comparison,
}: Pick<CrossValidated, 'candidate' | 'baseline' | 'probability'> & {
  comparison: Omit<CrossValidated['comparison'], 'metric' | 'test'>;
}): CrossValidated {
  return {
    base: { ref: 'main', commit: 'a'.repeat(40) },
    changed: 3,
    objects: 40,
    k: 5,
    candidate,
    baseline,
    probability,
    comparison: { metric: 'probability', test: 'paired bootstrap', ...comparison },
  };
}

/** Rows of every Markdown table in `md`, as cell counts (a `\|` inside a cell does not split it). */
function tableShapes(md: string): { header: number; rows: number[] }[] {
  const tables: { header: number; rows: number[] }[] = [];
  let current: { header: number; rows: number[] } | null = null;
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) {
      const cells = line.replace(/\\\|/g, '').split('|').length - 2;
      if (!current) tables.push((current = { header: cells, rows: [] }));
      else current.rows.push(cells);
    } else current = null;
  }
  return tables;
}

describe('the label-correction report', () => {
  it('states the verdict and the gate first, then lists exactly the changed labels with what the model now says', async () => {
    const { base, head } = labelCorrection();
    const { ws, baseCommit, headCommit } = await makeRepo({ objects, base, head });
    const { markdown, json } = await buildReport({
      ws,
      params: paramsWith(),
      base: 'main',
      runUrl: 'https://github.com/museum/collection/actions/runs/42',
      log: silentLogger,
      now: new Date('2026-01-02T00:00:00Z'),
    });

    expect(markdown.split('\n')[0]).toBe(
      '✅ **Better: the labels and the photographs agree better.** The promotion gate passes.',
    );
    expect(json.verdict).toBe('better');
    expect(json.gate.passed).toBe(true);
    expect(json.labels.baseCommit).toBe(baseCommit);
    expect(json.labels.headCommit).toBe(headCommit);
    expect(json.labels.counts).toEqual({ changed: 3, added: 1, removed: 1, skipped: 0, disagreeing: 0, unknownIds: 0 });
    expect(json.labels.changes.map((c) => [c.id, c.kind, c.before, c.after])).toEqual([
      ['DM-0007', 'changed', 'coin', 'figurine'],
      ['DM-0008', 'changed', 'vessel', 'figurine'],
      ['DM-0019', 'changed', 'textile', 'print'],
      ['DM-0030', 'removed', 'textile', null],
      ['DM-0036', 'added', null, 'vessel'],
    ]);
    // DM-0007 is a test object: the model's answer now, and the production model's before.
    const fixed = json.labels.changes[0]!;
    expect(fixed.candidate).toEqual({ label: 'figurine', confidence: 0.91 });
    expect(fixed.baseline).toEqual({ label: 'coin', confidence: 0.64 });
    expect(markdown).toMatch(
      /\| DM-0007 \(line 8\) \| Figurine number 1 \| coin \| figurine \| figurine \(91% sure, agrees; before: coin\) \|/,
    );
    expect(markdown).toContain('in the training set: the model learned from the new label');
    expect(markdown).toContain('3 labels changed, 1 object newly labelled, 1 label removed.');

    // Scores, per-label table, charts, lineage.
    expect(markdown).toMatch(
      /\| Overall score, each label counting equally \(macro-F1\) \| 0\.852 \| \*\*0\.941\*\* \| \+0\.089 \| between 0\.85 and 1\.00 \|/,
    );
    expect(markdown).toContain('The macro-F1 change is between +0.02 and +0.16 (95% range).');
    expect(markdown).toContain('| figurine | 6 | 0.85 | 0.81 | `██████░░░░` 0.60 | `████████▎░` **0.83** | +0.23 |');
    expect(markdown).toContain('    x-axis "epoch" [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]');
    expect(markdown).toContain(`\`${json.lineage.data}\``);
    expect(markdown).toMatch(/\| train\.epochs \| 40 \| 60 \|/);
    expect(markdown).toContain(`labels.csv: \`bbbbbbbbbbbb\` from commit \`${headCommit.slice(0, 12)}\``);
    expect(markdown).toContain('[logs and files of this run](https://github.com/museum/collection/actions/runs/42)');
    expect(markdown).toContain('| train | 10.4 s | 12 training objects, ');
    expect(markdown).toContain('12 passes over the training objects \\(epochs\\), ');
    expect(json.lineage.stages.map((s) => s.name)).toEqual(['dataset', 'train', 'evaluate']);

    // Every table row has as many cells as its header.
    for (const t of tableShapes(markdown)) for (const r of t.rows) expect(r).toBe(t.header);
    // Mermaid fences are closed.
    expect(markdown.match(/^```/gm)!.length % 2).toBe(0);
  });

  it('links each changed object to the catalogue with its smallest thumbnail when the catalogue URL is set', async () => {
    // Whether the catalogue has them is checked against a real server in catalogue.test.ts.
    const thumbnails = [
      { width: 480, height: 480, webp: 'thumbnails/DM-0007-480.webp', jpeg: 'thumbnails/DM-0007-480.jpg' },
      { width: 240, height: 240, webp: 'thumbnails/DM-0007-240.webp', jpeg: 'thumbnails/DM-0007-240.jpg' },
    ];
    const links = catalogueLinks({
      params: paramsWith({ catalogue_url: 'https://museum.github.io/collection' }),
      id: 'DM-0007',
      object: { thumbnails },
    });
    expect(links).toEqual({
      pageUrl: 'https://museum.github.io/collection/objects/dm-0007/',
      thumbnailUrl: 'https://museum.github.io/collection/media/thumbnails/DM-0007-240.jpg',
    });
    // The address the workflow gives wins.
    expect(
      catalogueLinks({
        params: paramsWith({ catalogue_url: 'https://old.example' }),
        root: 'https://museum.github.io/c/',
        id: 'DM-0007',
        object: { thumbnails },
      }).thumbnailUrl,
    ).toBe('https://museum.github.io/c/media/thumbnails/DM-0007-240.jpg');
  });

  it('without a catalogue URL no image or link leaves the repository (private collections)', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const { markdown } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(markdown).not.toContain('<img');
    expect(markdown).not.toMatch(/!\[/);
    expect(markdown).not.toMatch(/https?:\/\/(?!github\.com)/);
  });

  it('says so when the gate fails and names the weak label', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    metrics.perClass[2]!.f1 = 0.2;
    await writeStageOutputs({ ws, objects, head, metrics: { perClass: metrics.perClass } });
    const { markdown, json } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(json.gate.passed).toBe(false);
    expect(markdown.split('\n')[0]).toBe(
      '❌ **Better: the labels and the photographs agree better.** **The promotion gate does not pass.**',
    );
    expect(markdown).toContain('| ❌ fails | every label’s F1 at least the minimum | below 0.300: mask 0.200 |');
  });

  it('asks the candidate model about changed objects outside the test set, marking those answers as seen in training', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    // The model's weights are not in this fixture: a stand-in with predictObjects' signature answers,
    // recording what it was asked (the slow demo test runs the real one).
    const asked: { modelDir: string; ids: string[] }[] = [];
    const predict: NonNullable<Parameters<typeof buildReport>[0]['predict']> = async ({ modelDir, objects: objs }) => {
      asked.push({ modelDir, ids: objs.map((o) => o.id) });
      return objs.map((o) => ({
        id: o.id,
        label: o.id === 'DM-0008' ? 'figurine' : 'vessel',
        confidence: 0.77,
        top: [],
      }));
    };
    await writeFile(path.join(ws.model, 'model.json'), '{}');
    const { markdown, json } = await buildReport({
      ws,
      params: paramsWith(),
      base: 'main',
      log: silentLogger,
      predict,
    });
    // DM-0007 and DM-0019 are test objects with predictions; DM-0008 (train) and DM-0036 (validation) are asked; DM-0030 was removed.
    expect(asked).toEqual([{ modelDir: ws.model, ids: ['DM-0008', 'DM-0036'] }]);
    const byId = new Map(json.labels.changes.map((c) => [c.id, c]));
    expect(byId.get('DM-0007')!.candidate).toEqual({ label: 'figurine', confidence: 0.91 });
    expect(byId.get('DM-0008')!.candidate).toEqual({ label: 'figurine', confidence: 0.77, seenInTraining: true });
    expect(byId.get('DM-0030')!.candidate).toBeNull();
    const row = (id: string) => markdown.split('\n').find((l) => l.includes(`| ${id} (line`))!;
    expect(row('DM-0008')).toContain('figurine (77% sure, agrees; seen in training, so not a test score)');
    expect(row('DM-0036')).toContain('vessel (77% sure, agrees; seen in training, so not a test score)');
    expect(row('DM-0019')).toContain('print (91% sure, agrees; before: print)');
    // Only test objects count in the "agrees" sentence.
    expect(markdown).toContain(
      '2 of these objects are in the test set; the new model agrees with the new label for 2 of them.',
    );
  });

  it('says a removed label is no longer used for training, names its line in the base, and words a new label apart', async () => {
    // DM-0010 (test) and DM-0011 (train) lose their labels; DM-0014 (train) was unlabelled and gets one.
    const base = { ...correct };
    delete (base as Record<string, string>)['DM-0014'];
    const head = { ...correct };
    delete (head as Record<string, string>)['DM-0010'];
    delete (head as Record<string, string>)['DM-0011'];
    const { ws } = await makeRepo({ objects, base, head });
    const { markdown, json } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind, c.line])).toEqual([
      ['DM-0010', 'removed', 11],
      ['DM-0011', 'removed', 12],
      ['DM-0014', 'added', 13],
    ]);
    const row = (id: string) => markdown.split('\n').find((l) => l.startsWith(`| ${id} (`))!;
    // Line 11 of labels.csv now holds DM-0012: a removed line is named by its line in the base.
    expect(row('DM-0010')).toMatch(
      /^\| DM-0010 \(was line 11\) \| Figurine number 4 \| figurine \| — \| label removed: no longer used for training \|$/,
    );
    expect(row('DM-0011')).toMatch(
      /^\| DM-0011 \(was line 12\) \| .* \| label removed: no longer used for training \|$/,
    );
    expect(row('DM-0014')).toMatch(
      /^\| DM-0014 \(line 13\) \| .* \| — \| mask \| newly labelled, in the training set: the model learned from this label \|$/,
    );
    expect(markdown).not.toContain('learned from the new label');
    expect(markdown).not.toContain('disagrees');
  });

  it("beside a trained model's answer on an object it learned from, gives the answer of a model trained without it", async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    // The final model learned DM-0008's new label; the cross-validation head that did not see it
    // (oof.json, the source of "Objects that look mislabelled") still says the old one.
    const oofRow = (id: string, label: string, top: string) => ({
      id,
      label,
      split: 'train',
      fold: 0,
      probabilities: ['coin', 'figurine', 'mask', 'print', 'textile', 'vessel'].map((l) => (l === top ? 1 : 0)),
    });
    await writeFile(
      path.join(ws.evaluate, 'oof.json'),
      JSON.stringify({
        schema: 'vitrine.oof/1',
        labels: ['coin', 'figurine', 'mask', 'print', 'textile', 'vessel'],
        k: 5,
        seed: 42,
        objects: [oofRow('DM-0008', 'figurine', 'vessel'), oofRow('DM-0036', 'vessel', 'vessel')],
      }),
    );
    await writeFile(path.join(ws.model, 'model.json'), '{}');
    const predict: NonNullable<Parameters<typeof buildReport>[0]['predict']> = async ({ objects: objs }) =>
      objs.map((o) => ({ id: o.id, label: o.id === 'DM-0008' ? 'figurine' : 'vessel', confidence: 0.99, top: [] }));
    // The same answer ranks DM-0008 in "Objects that look mislabelled", which says its label is the new one.
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8'));
    metrics.mislabelled = {
      checked: 36,
      candidates: 1,
      confident: 1,
      agreement: { accuracy: 0.9, guessing: 0.17, better: true, labelsInUse: 6 },
      top: [{ id: 'DM-0008', label: 'figurine', suggested: 'vessel', score: 1, confidence: 1, confident: true }],
    };
    await writeFile(path.join(ws.evaluate, 'metrics.json'), JSON.stringify(metrics));
    const { markdown, json } = await buildReport({
      ws,
      params: paramsWith(),
      base: 'main',
      log: silentLogger,
      predict,
    });
    expect(json.labels.changes.find((c) => c.id === 'DM-0008')!.heldOut).toEqual({ label: 'vessel', confidence: 1 });
    expect(markdown).toContain(
      '| DM-0008 | Figurine number 2 | figurine (changed from vessel in this pull request) | vessel (100% sure) | 1.00 ⚠️ |',
    );
    // A tester: said at the bottom only, under a green tick at the top. The first line says it, with a warning sign.
    const first = markdown.split('\n')[0]!;
    expect(first.startsWith('⚠️')).toBe(true);
    expect(first).toContain(
      '⚠️ **A label this pull request sets looks wrong to the model:** DM-0008 “figurine” (it suggests “vessel”). ' +
        'See “Objects that look mislabelled” below.',
    );
    expect(json.labelsThatLookWrong).toEqual([{ id: 'DM-0008', label: 'figurine', suggested: 'vessel' }]);
    const row = (id: string) => markdown.split('\n').find((l) => l.includes(`| ${id} (`))!;
    expect(row('DM-0008')).toContain(
      'figurine (99% sure, agrees; seen in training, so not a test score); ' +
        'a model trained without this object says vessel (100% sure, disagrees)',
    );
    expect(row('DM-0036')).toContain('a model trained without this object says vessel (100% sure, agrees)');
    // A test object's answer already comes from a model that did not see it.
    expect(row('DM-0007')).not.toContain('trained without');
    // A failed fold's row (not numbers) gives no answer rather than "NaN% sure".
    const broken = { ...oofRow('DM-0036', 'vessel', 'vessel'), probabilities: [Number.NaN, 0, 0, 0, 0, 0] };
    await writeFile(
      path.join(ws.evaluate, 'oof.json'),
      JSON.stringify({
        schema: 'vitrine.oof/1',
        labels: ['coin', 'figurine', 'mask', 'print', 'textile', 'vessel'],
        k: 5,
        seed: 42,
        objects: [broken],
      }),
    );
    const again = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger, predict });
    expect(again.json.labels.changes.find((c) => c.id === 'DM-0036')!.heldOut).toBeUndefined();
  });

  it('goes on without those answers when the candidate model cannot answer', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    await writeFile(path.join(ws.model, 'model.json'), '{}');
    const log = memoryLogger();
    const { json } = await buildReport({
      ws,
      params: paramsWith(),
      base: 'main',
      log,
      predict: async () => {
        throw new Error('no backend here');
      },
    });
    expect(json.labels.changes.find((c) => c.id === 'DM-0008')!.candidate).toBeNull();
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('no backend here'))).toBe(true);
  });

  it("says plainly when a new label is not one of the collection's labels and the dataset skipped the line", async () => {
    const { base, head } = labelCorrection();
    // DM-0008 is a training object; "amphora" is not in the vocabulary, so dataset.json has no label for it.
    // DM-0007 too ("krater"): the vocabulary was listed again in every such row (1,000 rows × 1,000 labels at most).
    const { ws } = await makeRepo({ objects, base, head: { ...head, 'DM-0008': 'amphora', 'DM-0007': 'krater' } });
    const { markdown, json } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    const change = json.labels.changes.find((c) => c.id === 'DM-0008')!;
    expect(change).toMatchObject({ kind: 'changed', before: 'vessel', after: 'amphora', skipped: true });
    expect(json.labels.vocabulary).toEqual(['coin', 'figurine', 'mask', 'print', 'textile', 'vessel']);
    expect(json.labels.counts.skipped).toBe(2);
    const row = markdown.split('\n').find((l) => l.includes('DM-0008'))!;
    expect(row).toContain('"amphora" is not one of the collection\'s labels: the line was skipped');
    expect(markdown.split('\n').find((l) => l.includes('DM-0007'))!).toContain('"krater" is not one of');
    expect(row).not.toContain('learned from the new label');
    expect(markdown).toContain(
      "3 labels changed, 1 object newly labelled, 1 label removed; 2 new labels are not one of the collection's labels " +
        '(coin, figurine, mask, print, textile, vessel) and were skipped.',
    );
    expect(markdown.split('coin, figurine, mask, print, textile, vessel')).toHaveLength(2);
    // Under the verdict, not only in the table: no green tick over skipped lines.
    const verdict = markdown.split('\n').find((l) => l.includes('The promotion gate'))!;
    expect(verdict).toMatch(/^⚠️ /);
    expect(verdict).toContain("⚠️ **2 labels of this pull request are not one of the collection's, so their lines");
  });

  it('offers the vocabulary label a misspelt one is close to, in its row and under the verdict', async () => {
    // Session 37, a tester: "coins" had its "did you mean" in the log, which staff do not read.
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head: { ...head, 'DM-0008': 'coins' } });
    const { markdown } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    const row = markdown.split('\n').find((l) => l.includes('DM-0008'))!;
    expect(row).toContain(
      '"coins" is not one of the collection\'s labels (did you mean "coin"?): the line was skipped',
    );
    expect(markdown).toContain(
      "⚠️ **A label of this pull request is not one of the collection's, so its line was skipped** " +
        '(“coins”: did you mean “coin”?). See the table of label changes below.',
    );
  });

  it('shows dashes only for a label that is neither in the test set nor predicted; a predicted one counts as 0 in macro-F1', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    // mask: no test objects, but the model calls one print object a mask (F1 0 in macro-F1).
    // textile: no test objects and never predicted (not in macro-F1 at all).
    const confusion = metrics.confusion.map((row) => [...row]);
    confusion[2] = [0, 0, 0, 0, 0, 0];
    confusion[4] = [0, 0, 0, 0, 0, 0];
    confusion[3]![3] = 4;
    confusion[3]![2] = 1;
    const perClass = metrics.perClass.map((c) =>
      c.label === 'mask' || c.label === 'textile' ? { label: c.label, precision: 0, recall: 0, f1: 0, support: 0 } : c,
    );
    // The production model was scored on the same test objects, so it has none of them either.
    const basePerClass = metrics.baseline!.perClass.map((c) =>
      c.label === 'mask' || c.label === 'textile' ? { label: c.label, precision: 0, recall: 0, f1: 0, support: 0 } : c,
    );
    // The fixture has fewer than gate.min_test_objects' default of 30 test objects: ask for 5 here.
    const params = validateParams({ raw: { train: { epochs: 60 }, gate: { min_test_objects: 5 } } });
    const scores = { perClass, confusion, baseline: { ...metrics.baseline!, perClass: basePerClass, confusion } };
    await writeStageOutputs({ ws, objects, head, params, metrics: scores });
    const { markdown, json } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(markdown).toContain('| mask | 0 | 0.00 | – | `░░░░░░░░░░` 0.00 | `░░░░░░░░░░` **0.00** | 0.00 |');
    expect(markdown).toContain('| textile | 0 | – | – | – | – | – |');
    expect(markdown).toContain(
      'No test object has the label mask, yet the model gave it to 1 test object, so it counts as 0 in macro-F1.',
    );
    expect(markdown).toContain(
      'No test object has the label textile and the model never gave it, so it cannot be scored yet and does not count in macro-F1.',
    );
    // Bars only for the labels macro-F1 averages over.
    expect(markdown).toContain('| vessel | 6 | 0.97 | 0.93 | `█████████░` 0.90 | `█████████▌` **0.95** | +0.05 |');
    // Nor does an untested label fail the gate.
    expect(json.gate.passed).toBe(true);
  });

  it('says the test split alone could not tell when the verdict comes from every labelled object', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    const baseline = {
      ...metrics.baseline!,
      comparison: { ...metrics.baseline!.comparison, pValue: 0.72, verdict: 'no detectable difference' as const },
    };
    const crossValidated = crossValidatedWith({
      candidate: interval(0.99, 0.97, 1),
      baseline: interval(0.95, 0.92, 0.98),
      probability: { candidate: 0.97, baseline: 0.88, trainingSd: 0.004 },
      comparison: { difference: interval(0.09, 0.07, 0.11), pValue: 0.002, verdict: 'better' },
    });
    await writeStageOutputs({ ws, objects, head, metrics: { baseline, crossValidated } });
    const { markdown, json } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(json.verdict).toBe('better');
    expect(markdown).toContain(
      'On these test objects alone the difference could be chance; the verdict comes from every labelled object (below).',
    );
    expect(markdown).not.toContain('within what chance alone could give');
  });

  // Tester: 24 correctly labelled objects added to the demo were "Better", "a change of 0.00, between 0.00 and 0.00".
  it('says a change smaller than evaluate.min_change is too small to matter, not better', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    const crossValidated = crossValidatedWith({
      candidate: interval(1, 1, 1),
      baseline: interval(1, 1, 1),
      probability: { candidate: 0.983, baseline: 0.98, trainingSd: 0.0004 },
      comparison: {
        difference: interval(0.003, 0.001, 0.005),
        pValue: 0.004,
        verdict: 'no detectable difference',
        minChange: 0.01,
      },
    });
    await writeStageOutputs({ ws, objects, head, metrics: { baseline: metrics.baseline, crossValidated } });
    const { markdown, json } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(json.verdict).toBe('no detectable difference');
    // p = 0.004 and the range above zero: more than chance, so the words do not say "no detectable difference" in bold.
    expect(markdown).toContain(
      '**No difference that matters**: the whole range is above zero, so the change is more than chance alone would ' +
        'give, but it is under 0.01 (evaluate.min_change), too small to matter',
    );
    // The test split's own comparison (p = 0.012 in this fixture) is said to be overruled, not "chance".
    expect(markdown).toContain(
      'On these test objects alone the difference looks real; judged on every labelled object (below) it is too ' +
        'small to matter, or could be chance.',
    );
    expect(markdown).not.toMatch(/\*\*Better\*\*|within what chance alone could give\./);
  });

  it('adds the monitoring section when drift.json is there, escaped like the rest', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const drift: DriftReport = {
      schema: 'vitrine.drift/1',
      createdAt: '2026-01-01T00:00:00Z',
      modelVersion: 'v1.0.0',
      reference: {
        kind: 'model-training',
        description: 'the 12 training objects of v1.0.0',
        modelVersion: 'v1.0.0',
        ref: null,
        count: 12,
      },
      current: {
        kind: 'added-since',
        description: 'the 6 objects added since',
        modelVersion: null,
        ref: null,
        count: 6,
      },
      signals: {
        embeddings: {
          signal: 'embeddings',
          value: 0.1,
          effect: 0.31,
          pValue: 0.002,
          threshold: 0.01,
          minEffect: 0.2,
          drifted: true,
          permutations: 500,
          seed: 1,
          backbone: 'b',
          compared: { reference: 12, current: 6 },
        },
        novelty: {
          signal: 'novelty',
          value: 0.8,
          pValue: 0.004,
          threshold: 0.01,
          minIncrease: 0.5,
          drifted: true,
          permutations: 500,
          seed: 1,
        },
        imageStats: [
          {
            signal: 'brightness',
            description: 'brightness (mean pixel lightness, 0-1)',
            reference: { mean: 0.6, sd: 0.1, n: 12 },
            current: { mean: 0.4, sd: 0.1, n: 6 },
            value: -2,
            threshold: 0.8,
            drifted: true,
          },
        ],
        predictedLabels: null,
      },
      unfamiliarThreshold: 0.3,
      unusualShare: 0.5,
      unfamiliar: [
        {
          id: 'DM-B1-0001',
          title: 'Mask <b>@curator</b>',
          distance: 0.5,
          nearestId: 'DM-0013',
          unusual: true,
          predicted: null,
        },
      ],
      drifted: true,
      driftedSignals: ['embeddings', 'novelty', 'brightness'],
      summary: 'The new objects were photographed differently: darker, on another background.',
    };
    await mkdir(ws.monitor, { recursive: true });
    await writeFile(path.join(ws.monitor, 'drift.json'), JSON.stringify(drift));
    const { markdown } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(markdown).toContain(
      '### Collection drift\n\nThe new objects were photographed differently: darker, on another background.',
    );
    expect(markdown).toContain(
      '| ⚠️ changed | Photographs unlike anything the model learned from (novelty) | ' +
        '+80% farther than usual, p = 0.004 (with no real difference, one this large would turn up by chance about ' +
        '1 time in 250; alarm from 50%) |',
    );
    expect(markdown).toContain(
      '| ⚠️ changed | brightness \\(mean pixel lightness, 0-1\\) | standardised difference −2.00 (alarm from ±0.80) |',
    );
    expect(markdown).toContain(
      'Objects unlike anything the model learned from: DM-B1-0001 (Mask &lt;b&gt;@\u200bcurator&lt;/b&gt;).',
    );
    for (const t of tableShapes(markdown)) for (const r of t.rows) expect(r).toBe(t.header);
  });

  it('says when the model in production trained on some test objects (split changed) and was scored on fewer', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    await writeStageOutputs({
      ws,
      objects,
      head,
      metrics: { baseline: { ...metrics.baseline!, excluded: 4, splitChanged: true } },
    });
    const { markdown } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    // The intro no longer reads as if both figures came from the same 36 objects.
    expect(markdown).toContain(
      'for the model in production (v1.0.0), which was scored only on the 32 of them it did not train on; on ' +
        'those 32 the change is +0.089 (95% range',
    );
    const scores = markdown.slice(markdown.indexOf('### Scores'), markdown.indexOf('### Per label'));
    expect(scores).toContain(
      'The model in production (v1.0.0) trained on 4 of the 36 test objects (the split settings, dataset.split, ' +
        'changed since it was trained), so those were left out of its scores and of the comparison: its figures ' +
        "come from the other 32, this change's from all 36.",
    );
    expect(scores).not.toContain('⚠️');
    for (const t of tableShapes(markdown)) for (const r of t.rows) expect(r).toBe(t.header);
  });

  it("warns when the split changed but no test object is known to overlap the production model's training data", async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    await writeStageOutputs({
      ws,
      objects,
      head,
      metrics: { baseline: { ...metrics.baseline!, excluded: 0, splitChanged: true } },
    });
    const { markdown } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    const scores = markdown.slice(markdown.indexOf('### Scores'), markdown.indexOf('### Per label'));
    expect(scores).toContain(
      '⚠️ The split settings (dataset.split) changed since the model in production (v1.0.0) was trained. If it ' +
        'did not record which objects it learnt from',
    );
    expect(scores).toContain('the comparison may favour it.');
    expect(markdown).toContain('for the model in production (v1.0.0): a change of +0.089');
    expect(markdown).not.toContain('left out of its scores');
  });

  it('adds nothing about the split when nothing was left out and the split did not change', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    for (const splitChanged of [false, null, undefined]) {
      await writeStageOutputs({
        ws,
        objects,
        head,
        metrics: {
          baseline: { ...metrics.baseline!, excluded: 0, ...(splitChanged === undefined ? {} : { splitChanged }) },
        },
      });
      const { markdown } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
      expect(markdown).not.toContain('split settings');
      expect(markdown).not.toContain('left out of its scores');
      expect(markdown).toContain('for the model in production (v1.0.0): a change of +0.089');
    }
  });

  // Tester C: the report gave production 0.986 where its model card and the catalogue gave the figure it was
  // registered with (95%): production is scored again on this change’s test objects and labels. The report says so.
  it('says why production’s figure differs from the one it was registered with', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    const registered = { macroF1: 0.8123, accuracy: 0.83, n: 12 };
    await writeStageOutputs({ ws, objects, head, metrics: { baseline: { ...metrics.baseline!, registered } } });
    const { markdown } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(markdown).toMatch(
      /for the model in production \(v1\.0\.0\): a change of \+0\.089 \([^)]*\)\. Its 0\.852 is/,
    );
    expect(markdown).toContain(
      'Its 0.852 is the production model scored again here, on these test objects with their labels now; its ' +
        'model card gives 0.812 (81.2%), its score when it was registered, on the test objects and labels of that day.',
    );
    // The reviewer: with test objects left out of production’s scores, the two explanations did not collide.
    await writeStageOutputs({
      ws,
      objects,
      head,
      metrics: { baseline: { ...metrics.baseline!, registered, excluded: 4 } },
    });
    const fewer = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    const collided = new RegExp(
      'which was scored only on the \\d+ of them it did not train on; on those \\d+ the change is [^(]*\\([^)]*\\)\\. ' +
        'Its \\d\\.\\d+ is the production model scored again here',
    );
    expect(fewer.markdown).toMatch(collided);
    // The same figure as the one it was registered with: nothing to explain.
    await writeStageOutputs({
      ws,
      objects,
      head,
      metrics: {
        baseline: { ...metrics.baseline!, registered: { ...registered, macroF1: metrics.baseline!.macroF1.value } },
      },
    });
    const same = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(same.markdown).toContain('for the model in production (v1.0.0): a change of +0.089');
  });

  it('writes intervals plainly ("between +0.00 and +0.06"), never "±0.000 to +0.056"', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    const comparison = {
      ...metrics.baseline!.comparison,
      difference: { value: 0.028, low: 0, high: 0.056 },
      pValue: 0.2,
      verdict: 'no detectable difference' as const,
    };
    await writeStageOutputs({ ws, objects, head, metrics: { baseline: { ...metrics.baseline!, comparison } } });
    const { markdown } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    // The test's name is in "Where this result comes from", not in the sentence staff read first (tester).
    expect(markdown).toContain(
      'a change of +0.028 (95% range: between +0.00 and +0.06; p = 0.200: ' +
        'with no real difference, one this large would turn up by chance about 2 times in 10)',
    );
    expect(markdown).toContain('- How the change was tested: both models were scored again on many random draws of');
    expect(markdown).toContain('how much of the change chance alone could give (paired bootstrap');
    expect(markdown).toContain('The macro-F1 change is between +0.00 and +0.06 (95% range).');
    expect(markdown).toMatch(
      /\| Overall score, each label counting equally \(macro-F1\) \| 0\.852 \| \*\*0\.941\*\* \| \+0\.089 \| between 0\.85 and 1\.00 \|/,
    );
    // A change of zero is no change, not a range.
    const scores = markdown.slice(markdown.indexOf('### Scores'), markdown.indexOf('### Training'));
    expect(scores).not.toContain('±');
    expect(markdown).not.toMatch(/\d to [+−]\d/);
    // Below zero, the sign says so even when it rounds to 0.00.
    const negative = { ...comparison, difference: { value: 0.01, low: -0.004, high: 0.03 } };
    await writeStageOutputs({
      ws,
      objects,
      head,
      metrics: { baseline: { ...metrics.baseline!, comparison: negative } },
    });
    const again = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(again.markdown).toContain('between −0.00 and +0.03');
    // Both ends the same: the one figure.
    expect(markdown).toContain('| Right within the top 2 guesses | 0.944 | **1.000** | +0.056 | 1.00 |');
    expect(between(0.0004, 0.06)).toBe('between +0.00 and +0.06');
  });

  it('reports a first model (no baseline) and no label diff without a base', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    await writeStageOutputs({ ws, objects, head, metrics: { baseline: null, changedPredictions: [] } });
    const { markdown, json } = await buildReport({ ws, params: paramsWith(), log: silentLogger });
    expect(json.verdict).toBe('first model');
    expect(markdown.split('\n')[0]).toContain('First model: there is no model in production to compare with yet');
    expect(markdown).toContain('There is no base commit to compare labels.csv with');
    expect(markdown).not.toContain('In production');
    for (const t of tableShapes(markdown)) for (const r of t.rows) expect(r).toBe(t.header);
  });

  it('compares two refs when head is given, whatever the work tree holds', async () => {
    const { base, head } = labelCorrection();
    const { ws, baseCommit, headCommit } = await makeRepo({ objects, base, head });
    const same = await buildReport({ ws, params: paramsWith(), base: 'main', head: 'main', log: silentLogger });
    expect(same.json.labels.changes).toEqual([]);
    expect(same.json.labels.headCommit).toBe(baseCommit);
    expect(same.markdown).toContain('No label in labels.csv changed.');
    expect(same.json.lineage.params).toEqual([]);
    const byHash = await buildReport({
      ws,
      params: paramsWith(),
      base: baseCommit.slice(0, 10),
      head: headCommit,
      log: silentLogger,
    });
    expect(byHash.json.labels.changes).toHaveLength(5);
    expect(byHash.json.lineage.params).toEqual([{ key: 'train.epochs', before: 40, after: 60 }]);
  });

  it('lists in its lineage only the stages upstream of the report, not promote or catalogue from earlier runs', async () => {
    const { ws } = await makeRepo({ objects, base: correct, head: correct });
    const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
    const stage = (summary: string) => ({ fingerprint: 'x', ranAt: '2026-01-01T00:00:00Z', durationMs: 100, summary });
    lock.stages = {
      promote: stage('v1.0.0 promoted'),
      ...lock.stages,
      catalogue: stage('36 pages'),
      monitor: stage('steady'),
      annotate: stage('36 objects'),
      report: stage('old report'),
    };
    await writeFile(ws.lock, JSON.stringify(lock));
    const { markdown, json } = await buildReport({ ws, params: paramsWith(), base: 'main', log: silentLogger });
    expect(json.lineage.stages.map((s) => s.name)).toEqual(['dataset', 'train', 'evaluate', 'monitor']);
    expect(markdown).not.toContain('v1.0.0 promoted');
  });

  it('names the missing stage output', async () => {
    const { ws } = await makeRepo({ objects, base: correct, head: correct });
    const { rm } = await import('node:fs/promises');
    await rm(path.join(ws.evaluate, 'metrics.json'));
    await expect(buildReport({ ws, params: defaultParams(), log: silentLogger })).rejects.toThrow(
      'The report needs .vitrine/evaluate/metrics.json, which the evaluate stage writes. Run `npx vitrine run evaluate` first.',
    );
  });

  it('goes on without the label diff when the base is unknown and there is no remote to fetch it from', async () => {
    const { ws } = await makeRepo({ objects, base: correct, head: correct });
    const log = memoryLogger();
    const { markdown, json } = await buildReport({ ws, params: paramsWith(), base: 'release', log });
    expect(json.labels.baseCommit).toBeNull();
    expect(json.labels.baseUnavailable).toEqual({
      ref: 'release',
      reason: 'this clone has no remote called "origin" to fetch it from.',
    });
    expect(markdown).toContain(
      '⚠️ The label changes cannot be listed: the base of this pull request (`release`) is not in this copy of ' +
        'the repository and could not be fetched. The reason: this clone has no remote called "origin" to fetch it from.',
    );
    expect(markdown).toContain('fetch-depth: 0');
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'Could not fetch the base "release" from the remote "origin": this clone has no remote called "origin" to ' +
        'fetch it from. The report goes on without the label changes and the params.yaml comparison.',
    ]);
  });
});

describe('escaping what comes from labels, metadata and params', () => {
  const hostile = {
    title:
      'Bowl | with <img src=x onerror=alert(1)> and @octocat\nsecond line `code` [click](javascript:alert(1)) <!-- vitrine:report -->',
    label: 'vase|<script>alert(1)</script>@org/team',
  };

  it('keeps tables whole, HTML inert and people unmentioned', async () => {
    const objs = demoObjects();
    objs[6] = { ...objs[6]!, title: hostile.title };
    const base = { ...correct };
    const head = { ...correct, 'DM-0007': hostile.label };
    const { ws } = await makeRepo({
      objects: objs,
      base,
      head,
      headParams:
        'collection:\n  name: "Museum | @everyone <b>"\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n' +
        'train:\n  epochs: 60\n',
    });
    const params = validateParams({ raw: { collection: { name: 'Museum | @everyone <b>' }, train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    for (const t of tableShapes(markdown)) for (const r of t.rows) expect(r).toBe(t.header);
    // The only HTML is the report's own: details blocks (no images: no catalogue URL).
    const tags = [...markdown.matchAll(/<\/?([a-zA-Z!][^\s>]*)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(['details', 'summary']));
    // No mention survives: every @ is followed by a zero-width space.
    expect(markdown).not.toMatch(/@(?!\u200b)/);
    expect(markdown).not.toContain('](javascript:');
    expect(markdown).not.toContain('<!-- vitrine:report -->');
    // The staff member still reads their words.
    expect(markdown).toContain(
      'Bowl \\| with &lt;img src=x onerror=alert\\(1\\)&gt; and @\u200boctocat second line \\`code\\`',
    );
  });

  it('keeps a table row whole when a title with | goes into a thumbnail attribute (catalogue URL set)', async () => {
    const objs = demoObjects();
    objs[6] = { ...objs[6]!, title: 'Bowl | lid | "handle"' };
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects: objs, base, head });
    // A published catalogue that has every picture.
    const server = http.createServer((_, res) => res.writeHead(200).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/collection`;
    const { markdown } = await buildReport({
      ws,
      params: paramsWith({ catalogue_url: url }),
      base: 'main',
      log: silentLogger,
    }).finally(() => server.close());
    // GitHub splits cells on every unescaped | before it reads HTML, so none may be left in the tag.
    expect(markdown).toContain('alt="Bowl &#124; lid &#124; &quot;handle&quot;"');
    for (const t of tableShapes(markdown)) for (const r of t.rows) expect(r).toBe(t.header);
    expect(attribute('a|b')).toBe('a&#124;b');
  });

  it('text() escapes every Markdown and HTML special and keeps one line', () => {
    expect(text('a|b')).toBe('a\\|b');
    expect(text('<b>x</b>')).toBe('&lt;b&gt;x&lt;/b&gt;');
    expect(text('*bold* _it_ [l](u) # h ~s~')).toBe('\\*bold\\* \\_it\\_ \\[l\\]\\(u\\) # h \\~s\\~');
    expect(text('# not a heading')).toBe('\\# not a heading');
    expect(text('1. not a list')).toBe('1\\. not a list');
    expect(text('line\nbreak\r\nthere')).toBe('line break there');
    expect(text('see https://evil.example')).not.toContain('https:');
    expect(text('@here')).toBe('@\u200bhere');
    expect(text('AT&T')).toBe('AT&amp;T');
    expect(text('gnp.\u202eexe')).toBe('gnp.exe');
  });

  it('text() leaves no issue or pull-request reference live, in this or another repository', () => {
    const out = text('see #12, museum/collection#34 and GH-5');
    expect(out).toBe('see #\u200b12, museum/collection#\u200b34 and GH-\u200b5');
    expect(out).not.toMatch(/#\d|GH-\d/i);
    // Headings stay escaped as before.
    expect(text('#3 in the list')).toBe('\\#\u200b3 in the list');
  });

  it('only http(s) URLs become links or images', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:image/png;base64,xx')).toBeNull();
    expect(safeUrl('https://x.org/a (b)"')).toBe('https://x.org/a%20%28b%29%22');
    expect(attribute('" onerror="x')).toBe('&quot; onerror=&quot;x');
  });

  it('object ids in catalogue links are percent-encoded', () => {
    const params = paramsWith({ catalogue_url: 'https://m.org/c/', object_page: 'object.html?id={id}' });
    expect(catalogueLinks({ params, id: '1871,0303.1 / a?b#c' }).pageUrl).toBe(
      'https://m.org/c/object.html?id=1871%2C0303.1%20%2F%20a%3Fb%23c',
    );
    // By default the catalogue's own page name.
    expect(
      catalogueLinks({ params: paramsWith({ catalogue_url: 'https://m.org/c' }), id: 'EA 1871,0303.1' }).pageUrl,
    ).toBe('https://m.org/c/objects/ea-1871-0303.1/');
  });
});

describe('comparisons', () => {
  it('diffLabels lists changed, added and removed labels by object id', () => {
    const line = (objectId: string, label: string, n: number) => ({ objectId, label, line: n });
    expect(
      diffLabels({
        base: [line('a', 'coin', 2), line('b', 'mask', 3)],
        head: [line('b', 'vessel', 2), line('c', 'coin', 3)],
      }),
    ).toEqual([
      { id: 'a', kind: 'removed', before: 'coin', after: null, line: 2 },
      { id: 'b', kind: 'changed', before: 'mask', after: 'vessel', line: 2 },
      { id: 'c', kind: 'added', before: null, after: 'coin', line: 3 },
    ]);
  });

  it('diffParams flattens to dotted keys like dvc params diff', () => {
    expect(
      diffParams({
        base: { train: { epochs: 40, seed: 1 }, gate: { x: [1, 2] } },
        head: { train: { epochs: 60, seed: 1 }, gate: { x: [1, 2] }, report: { a: 'b' } },
      }),
    ).toEqual([
      { key: 'report.a', before: null, after: 'b' },
      { key: 'train.epochs', before: 40, after: 60 },
    ]);
  });

  it('shows the gate the evaluate stage checked (the one promotion uses), not a gate of its own', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const strict = validateParams({ raw: { train: { epochs: 60 }, gate: { min_macro_f1: 0.95 } } });
    // Evaluate ran with this gate: macro-F1 0.941 is below 0.95, so metrics.json says it fails.
    await writeStageOutputs({ ws, objects, head, params: strict });
    const { markdown, json } = await buildReport({ ws, params: strict, base: 'main', log: silentLogger });
    expect(json.gate.passed).toBe(false);
    expect(json.gate.checks).toEqual(
      JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')).gate.checks,
    );
    expect(markdown.split('\n')[0]).toBe(
      '❌ **Better: the labels and the photographs agree better.** **The promotion gate does not pass.**',
    );
    expect(markdown).toContain('| ❌ fails | macro-F1 at least the minimum | macro-F1 0.941, minimum 0.950 |');
    expect(markdown).not.toContain('rerun');
  });

  it("says to rerun evaluate when params.yaml's gate changed after evaluate checked it, without checking it itself", async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    // metrics.json was checked with the default gate (passes); params.yaml now asks for more.
    const strict = validateParams({ raw: { train: { epochs: 60 }, gate: { min_macro_f1: 0.95 } } });
    const log = memoryLogger();
    const { markdown, json } = await buildReport({ ws, params: strict, base: 'main', log });
    expect(json.gate.passed).toBe(true);
    expect(json.gate.stale).toBe(true);
    expect(markdown).toContain('The promotion gate in params.yaml changed after the evaluate stage checked it');
    expect(markdown).toContain('vitrine run evaluate');
  });

  it('says the gate and scores are for another model when metrics.json names another one', async () => {
    const { base, head } = labelCorrection();
    const { ws } = await makeRepo({ objects, base, head });
    const file = path.join(ws.evaluate, 'metrics.json');
    const metrics = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...metrics, inputs: { ...metrics.inputs, model: 'another-model' } }));
    const log = memoryLogger();
    const { markdown, json } = await buildReport({ ws, params: paramsWith(), base: 'main', log });
    expect(json.gate.otherModel).toBe(true);
    expect(markdown).toContain(
      "These checks are not this model's: the scores in metrics.json were measured on another model (one trained or " +
        'copied after the evaluation); run `npx vitrine run evaluate` again',
    );
    // Never a green tick over another model's gate.
    expect(markdown.split('\n')[0]).toMatch(/^⚠️ \*\*Better.*These scores are another model's/u);
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('measured on another model'))).toBe(true);
  });
});

describe('the report stage', () => {
  it('writes report.md and report.json, comparing with GITHUB_BASE_REF', async () => {
    const { base, head } = labelCorrection();
    const { ws, baseCommit, headCommit } = await makeRepo({ objects, base, head });
    const log = memoryLogger();
    const result = await reportStage.run({
      ws,
      params: paramsWith(),
      log,
      clock: { now: () => new Date('2026-01-03T00:00:00Z') },
      env: {
        GITHUB_BASE_REF: 'main',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'museum/collection',
        GITHUB_RUN_ID: '7',
      },
    });
    expect(result.summary).toBe('better, gate passes, 3 labels changed, 1 object newly labelled and 1 label removed');
    const md = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    const json = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8'));
    expect(md.startsWith('✅ **Better')).toBe(true);
    expect(json.createdAt).toBe('2026-01-03T00:00:00.000Z');
    expect(json.lineage.runUrl).toBe('https://github.com/museum/collection/actions/runs/7');
    const fingerprintCtx = (env: Record<string, string>) => ({
      ws,
      params: paramsWith(),
      log,
      clock: { now: () => new Date() },
      env,
    });
    // The branch and commit the report is written on are inputs too (a merged branch’s report is not kept on main).
    // And data/ as the dataset stage last read it, with when (the fixture's lock records no data/ read).
    const on = {
      branch: 'fix-labels',
      commit: headCommit,
      run: null,
      'data read': { data: null, at: '2026-01-01T00:00:00Z' },
    };
    expect(await reportStage.fingerprint!(fingerprintCtx({ GITHUB_BASE_REF: 'main' }))).toEqual({
      ...on,
      base: 'main',
      'base commit': baseCommit,
    });
    expect(await reportStage.fingerprint!(fingerprintCtx({ GITHUB_BASE_REF: 'release' }))).toEqual({
      ...on,
      base: 'release',
      'base commit': null,
    });
    // No base given: where the branch left main.
    expect(await reportStage.fingerprint!(fingerprintCtx({}))).toEqual({
      ...on,
      base: 'main',
      'base commit': baseCommit,
    });
  });
});
