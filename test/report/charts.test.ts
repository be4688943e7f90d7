import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { fitMarkdown } from '../../pipeline/report/markdown.ts';
import type { ModelInfo } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, type ObjectSpec, writeStageOutputs } from './fixture.ts';
import { type MermaidChecker, mermaidBlocks, startMermaid } from './mermaid.ts';

/*
 * Charts that cannot lie: before and after side by side (never drawn on top of each other), exact
 * values in a table next to every chart, non-finite values left out with a note, and every chart
 * accepted by the real Mermaid parser, also after the report is cut to fit a comment.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const base = { ...correct, 'DM-0007': 'coin' };
const params = validateParams({ raw: { train: { epochs: 60 } } });

let mermaid: MermaidChecker;
beforeAll(async () => {
  mermaid = await startMermaid();
});
afterAll(async () => {
  await mermaid?.close();
});

async function expectChartsParse(markdown: string): Promise<void> {
  for (const { chart, error } of await mermaid.check(markdown)) expect(error, chart).toBeNull();
}

/** The glyph bars (`█▌░`) in a line, as the share of each that is filled. */
function bars(line: string): number[] {
  return [...line.matchAll(/`([█▉▊▋▌▍▎▏░]+)`/g)].map((m) => {
    const eighths = { '█': 8, '▉': 7, '▊': 6, '▋': 5, '▌': 4, '▍': 3, '▎': 2, '▏': 1, '░': 0 } as Record<
      string,
      number
    >;
    const cells = [...m[1]!];
    return cells.reduce((s, c) => s + eighths[c]!, 0) / (cells.length * 8);
  });
}

async function history(ws: { model: string }, change: (h: ModelInfo['history']) => void): Promise<void> {
  const file = path.join(ws.model, 'model-info.json');
  const info = JSON.parse(await readFile(file, 'utf8')) as ModelInfo;
  change(info.history);
  await writeFile(file, JSON.stringify(info));
}

async function modelInfo(ws: { model: string }, change: (info: ModelInfo) => void): Promise<void> {
  const file = path.join(ws.model, 'model-info.json');
  const info = JSON.parse(await readFile(file, 'utf8')) as ModelInfo;
  change(info);
  await writeFile(file, JSON.stringify(info));
}

describe('charts in the report', () => {
  it('shows the production model and this change side by side, never one bar hidden behind the other', async () => {
    const { ws } = await makeRepo({ objects, base, head: correct });
    const metrics = await writeStageOutputs({ ws, objects, head: correct });
    // Production 0.5 against candidate 0.9: an overlapping bar chart hides the shorter bar.
    const perClass = metrics.perClass.map((c) => (c.label === 'coin' ? { ...c, f1: 0.9 } : c));
    const basePerClass = metrics.baseline!.perClass.map((c) => (c.label === 'coin' ? { ...c, f1: 0.5 } : c));
    await writeStageOutputs({
      ws,
      objects,
      head: correct,
      metrics: { perClass, baseline: { ...metrics.baseline!, perClass: basePerClass } },
    });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });

    // No chart draws two bar series at the same places.
    for (const chart of mermaidBlocks(markdown))
      expect(chart.match(/^\s*bar\b/gm)?.length ?? 0, chart).toBeLessThanOrEqual(1);
    expect(markdown).not.toContain('first bar');
    // The coin row: production's bar and value, then this change's, both visible and in proportion.
    const coin = markdown.split('\n').find((l) => l.startsWith('| coin |'))!;
    expect(coin).toContain('0.50');
    expect(coin).toContain('0.90');
    expect(coin.indexOf('0.50')).toBeLessThan(coin.indexOf('0.90'));
    const [before, after] = bars(coin);
    expect(before).toBeCloseTo(0.5, 2);
    expect(after).toBeCloseTo(0.9, 2);
    // The header says which column is which.
    expect(markdown).toMatch(
      /\| Label \| Test objects \| Precision \| Recall \| F1 in production \\\(v1\.0\.0\\\) \| F1 with this change \| Change \|/,
    );
    await expectChartsParse(markdown);
  });

  it('draws every chart so that Mermaid accepts it, with its values in a table next to it', async () => {
    const { ws } = await makeRepo({ objects, base, head: correct });
    await writeStageOutputs({ ws, objects, head: correct });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const charts = mermaidBlocks(markdown);
    expect(charts.length).toBeGreaterThanOrEqual(2);
    await expectChartsParse(markdown);
    // The training table lists every epoch the charts show.
    const training = markdown.slice(markdown.indexOf('### Training'));
    for (let epoch = 1; epoch <= 12; epoch++) expect(training).toMatch(new RegExp(`^\\| ${epoch} \\|`, 'm'));
    // The legend names each line by its colour, and the chart is given those colours.
    expect(training).toMatch(/blue line[^.]*training/i);
    expect(training).toMatch(/orange line[^.]*validation/i);
    // As Mermaid draws them: the training line blue, the validation line orange.
    for (const { svg } of await mermaid.check(markdown)) {
      const strokes = [...svg!.matchAll(/<path d="M[\d.]+,[\d.]+L[^"]*" fill="none" stroke="([^"]+)"/g)].map(
        (m) => m[1],
      );
      expect(strokes.slice(0, 2)).toEqual(['#0072B2', '#E69F00']);
    }
  });

  it('leaves out values that are not numbers and says so, instead of breaking the chart', async () => {
    const { ws } = await makeRepo({ objects, base, head: correct });
    await writeStageOutputs({ ws, objects, head: correct });
    // NaN and Infinity become null in JSON; a loss that blew up reads back as null.
    await history(ws, (h) => {
      (h.loss as (number | null)[])[3] = null;
      (h.valAccuracy as (number | null)[])[5] = null;
    });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    await expectChartsParse(markdown);
    const [loss, accuracy] = mermaidBlocks(markdown);
    expect(loss).toMatch(/x-axis "epoch" \[1, 2, 3, 5,/);
    expect(accuracy).toMatch(/x-axis "epoch" \[1, 2, 3, 4, 5, 7,/);
    expect(markdown).toMatch(/Epoch 4 is left out of the loss chart: its training loss is not a number/);
    expect(markdown).toMatch(/Epoch 6 is left out of the accuracy chart: its validation accuracy is not a number/);
    expect(markdown).not.toMatch(/\bNaN\b/);
  });

  it('says how an lbfgs head was fitted (iterations, L2 and how it was chosen), with no curve or epoch table', async () => {
    const { ws } = await makeRepo({ objects, base, head: correct });
    await writeStageOutputs({ ws, objects, head: correct });
    const fit = {
      iterations: 47,
      converged: true,
      l2Chosen: 'cross-validation',
      choices: [1, 0.3, 0.1],
      folds: 3,
      sampled: false,
    } as const;
    await modelInfo(ws, (info) => {
      for (const key of ['loss', 'valLoss', 'accuracy', 'valAccuracy'] as const)
        info.history[key] = info.history[key].slice(0, 1);
      info.epochs = 1;
      info.l2 = 0.1;
      info.lbfgs = { ...fit, choices: [...fit.choices] };
    });
    const trainingOf = async () => {
      const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
      const from = markdown.indexOf('### Training');
      const to = markdown.indexOf('\n### ', from + 1);
      return markdown.slice(from, to < 0 ? undefined : to);
    };
    const training = await trainingOf();
    // Plain words, the solver not named (testers C and the next read “L-BFGS” and “L2” as jargon).
    expect(training).toContain(
      'It was trained until it stopped improving, in 47 rounds, so there is no training curve.',
    );
    expect(training).not.toContain('L-BFGS');
    expect(training).toContain('How strongly it is kept from fitting the training photographs too closely: 0.1');
    expect(training).toMatch(
      /chosen among 0\.1, 0\.3 and 1 \(train\.l2_choices\) by trying each on 3 parts of the training objects in turn/,
    );
    for (const wrong of [/one step/, /Epoch/, /per epoch/, /Training curve as a table/, /more training stops helping/])
      expect(training).not.toMatch(wrong);

    // A fit that hit its iteration limit says so; one L2 given is "fixed".
    await modelInfo(ws, (info) => {
      info.lbfgs = {
        ...fit,
        iterations: 300,
        converged: false,
        l2Chosen: 'fixed',
        choices: [0.1],
        folds: 0,
        sampled: null,
      };
    });
    const limited = await trainingOf();
    expect(limited).toContain('It was stopped after 300 rounds, its limit, while it was still improving a little');
    expect(limited).toContain('fixed in params.yaml');

    // A model saved before the fit was recorded: a neutral sentence, still no "one step".
    await modelInfo(ws, (info) => {
      delete info.lbfgs;
      delete info.l2;
    });
    const old = await trainingOf();
    expect(old).toContain('there is no training curve');
    for (const wrong of [/one step/, /Epoch 1/, /Training curve as a table/]) expect(old).not.toMatch(wrong);
  });

  it('charts a first model (nothing in production) that Mermaid accepts', async () => {
    const { ws } = await makeRepo({ objects, base, head: correct });
    await writeStageOutputs({ ws, objects, head: correct, metrics: { baseline: null } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toMatch(/\| Label \| Test objects \| Precision \| Recall \| F1 \|\n/);
    expect(bars(markdown.split('\n').find((l) => l.startsWith('| coin |'))!)).toHaveLength(1);
    await expectChartsParse(markdown);
  });

  it('never cuts inside a fenced block: wherever the limit falls, what is left parses', async () => {
    const { ws } = await makeRepo({ objects, base, head: correct });
    await writeStageOutputs({ ws, objects, head: correct });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const start = markdown.indexOf('### Training');
    expect(start).toBeGreaterThan(0);
    // Limits that fall everywhere in and around the charts.
    for (let limit = start - 200; limit < markdown.length + 300; limit += 97) {
      const cut = fitMarkdown({ body: markdown, limit });
      expect(cut.length, `limit ${limit}`).toBeLessThanOrEqual(Math.max(limit, markdown.length));
      expect((cut.match(/^```/gm) ?? []).length % 2, `limit ${limit}`).toBe(0);
      expect((cut.match(/<details>/g) ?? []).length, `limit ${limit}`).toBe((cut.match(/<\/details>/g) ?? []).length);
      // A chart stays only with the table of its values.
      if (cut.includes('```mermaid\nxychart-beta\n') && cut.includes('Loss per epoch'))
        expect(cut).toContain('| Epoch |');
      if (cut.length < markdown.length) expect(cut).toContain('longer than a GitHub comment allows');
      await expectChartsParse(cut);
    }
  });

  it('fits a very long report into one comment, keeping the whole of it in fullMarkdown', async () => {
    // 1,500 changed labels with long titles, all listed.
    const many: ObjectSpec[] = Array.from({ length: 1500 }, (_, i) => ({
      id: `LG-${String(i).padStart(5, '0')}`,
      title: `A long title for object ${i} `.repeat(4),
      label: ['coin', 'mask'][i % 2]!,
      split: 'train',
    }));
    const all = [...objects, ...many];
    const head = { ...correct, ...Object.fromEntries(many.map((o) => [o.id, o.label])) };
    const before = { ...correct, ...Object.fromEntries(many.map((o) => [o.id, 'vessel'])) };
    const { ws } = await makeRepo({ objects: all, base: before, head });
    await writeStageOutputs({ ws, objects: all, head });
    const long = validateParams({ raw: { train: { epochs: 60 }, report: { max_label_changes: 1000 } } });
    const { markdown, fullMarkdown } = await buildReport({ ws, params: long, base: 'main', log: silentLogger });
    expect(fullMarkdown.length).toBeGreaterThan(65_536);
    expect(fullMarkdown).toContain('LG-00999');
    // Room is left for the comment's marker and a fork's note.
    expect(markdown.length).toBeLessThanOrEqual(64_512);
    expect(markdown).toContain('report-full.md');
    expect((markdown.match(/^```/gm) ?? []).length % 2).toBe(0);
    await expectChartsParse(markdown);
  });
});
