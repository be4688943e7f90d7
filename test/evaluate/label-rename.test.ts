import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelRenames, renamed, renameVerb, renameWords } from '../../pipeline/evaluate/label-renames.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { resolveModelDir } from '../../pipeline/registry/resolve.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { alignProbabilities, evaluateStage } from '../../pipeline/stages/evaluate.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { gitIn } from '../fixtures/git.ts';
import { promoteTrainedModel } from '../fixtures/promote.ts';
import { trainedDemo } from './helpers-trained-demo.ts';

/*
 * An outside tester renamed labels (print → "Prints & Drawings" and three more, in labels.csv and the vocabulary)
 * and changed nothing else: the comment said "Better: this change makes the model better", +0.84, since the model
 * in production and the labels before knew none of the new names. A rename is told by its objects and compared
 * under the new names.
 */

const map = (entries: [string, string][]) => new Map(entries);

describe('labelRenames', () => {
  const vocabulary = ['coin', 'Prints & Drawings', 'mask'];
  it('tells a label whose objects all carry one new label, which none carried before', () => {
    const before = map([
      ['a', 'print'],
      ['b', 'print'],
      ['c', 'coin'],
    ]);
    const now = map([
      ['a', 'Prints & Drawings'],
      ['b', 'Prints & Drawings'],
      ['c', 'coin'],
    ]);
    expect(labelRenames({ before, now, vocabulary })).toEqual([{ from: 'print', to: 'Prints & Drawings', objects: 2 }]);
  });
  it('does not take a label split between two, or one still in the vocabulary, for a rename', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `o${i}`);
    expect(
      labelRenames({
        before: new Map(ids.map((id) => [id, 'print'])),
        now: new Map(ids.map((id, i) => [id, i < 10 ? 'Prints & Drawings' : 'mask'])),
        vocabulary,
      }),
    ).toEqual([]);
    expect(labelRenames({ before: map([['a', 'coin']]), now: map([['a', 'Prints & Drawings']]), vocabulary })).toEqual(
      [],
    );
    // Objects of other labels moved into the new one too (more than one in ten): a label change.
    expect(
      labelRenames({
        before: new Map(ids.map((id, i) => [id, i < 15 ? 'print' : 'coin'])),
        now: new Map(ids.map((id) => [id, 'Prints & Drawings'])),
        vocabulary,
      }),
    ).toEqual([]);
  });
  // A reviewer: two labels merged into one were compared by name (production penalised for both old names), and a
  // merge of 90 drawing and 10 print objects read as "drawing is now …" beside "print" removed.
  it('reads labels merged into a new label, or into one in use, as that label', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `o${i}`);
    const merged = labelRenames({
      before: new Map(ids.map((id, i) => [id, i < 90 ? 'drawing' : 'print'])),
      now: new Map(ids.map((id) => [id, 'Prints & Drawings'])),
      vocabulary,
    });
    expect(merged).toEqual([
      { from: 'drawing', to: 'Prints & Drawings', objects: 90 },
      { from: 'print', to: 'Prints & Drawings', objects: 10 },
    ]);
    expect(renameWords(merged)).toBe('“drawing” and “print” are now one label, “Prints & Drawings” (100 objects)');
    expect(renameVerb(merged)).toBe('merges labels');
    const joined = labelRenames({
      before: new Map(ids.map((id, i) => [id, i < 90 ? 'coin' : 'medal'])),
      now: new Map(ids.map((id) => [id, 'coin'])),
      vocabulary,
    });
    expect(joined).toEqual([{ from: 'medal', to: 'coin', objects: 10, joined: true }]);
    expect(renameWords(joined)).toBe('“medal” is now part of “coin” (10 objects)');
    // A reviewer: a label removed whose objects went, all but one, to the label they belong to is a correction.
    const corrected = labelRenames({
      before: new Map(ids.map((id, i) => [id, i < 50 ? 'coin' : i < 90 ? 'mask' : 'medal'])),
      now: new Map(ids.map((id, i) => [id, i < 50 || (i >= 90 && i < 99) ? 'coin' : 'mask'])),
      vocabulary,
    });
    expect(corrected).toEqual([]);
    const both = [...joined, { from: 'print', to: 'Prints & Drawings', objects: 5 }];
    expect(renameWords(both)).toBe(
      '“medal” is now part of “coin” (10 objects); “print” is now “Prints & Drawings” (5 objects)',
    );
    expect(renameVerb(both)).toBe('renames and merges labels');
  });
  // A reviewer: objects labelled since (none before) with the new name counted against the rename.
  it('is not undone by new objects labelled with the new name', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const before = new Map(ids.map((id) => [id, 'print']));
    const now = new Map([...ids, 'n0', 'n1', 'n2'].map((id) => [id, 'Prints & Drawings']));
    expect(labelRenames({ before, now, vocabulary })).toEqual([
      { from: 'print', to: 'Prints & Drawings', objects: 10 },
    ]);
  });
  it('allows a rename that also corrects a label or two', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `o${i}`);
    const before = new Map(ids.map((id) => [id, 'print']));
    const now = new Map(ids.map((id, i) => [id, i === 0 ? 'mask' : 'Prints & Drawings']));
    expect(labelRenames({ before, now, vocabulary })).toEqual([
      { from: 'print', to: 'Prints & Drawings', objects: 29 },
    ]);
  });
});

describe('the model in production read under the new names', () => {
  const renames = [{ from: 'print', to: 'Prints', objects: 50 }];
  // A reviewer: production knew "Prints" already, unused; the first column of that name alone was read, and the
  // old label's probability dropped (a rename alone was "Better", +0.22).
  it('adds the old label to a column of the new name the model also knew', () => {
    const from = ['Prints', 'coin', 'print'].map((l) => renamed(l, renames));
    expect(alignProbabilities({ rows: [[0.01, 0.09, 0.9]], from, to: ['Prints', 'coin'] })).toEqual([[0.91, 0.09]]);
  });
  // An older model may keep a label decomposed ("e" and an accent); the rename was read composed.
  it('renames a label the model keeps in decomposed accents', () => {
    const nfd = 'estampe gravée'.normalize('NFD');
    const accented = [{ from: 'estampe gravée'.normalize('NFC'), to: 'Prints', objects: 3 }];
    expect(renamed(nfd, accented)).toBe('Prints');
  });
});

const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let git: ReturnType<typeof gitIn>;

beforeAll(async () => {
  ws = await trainedDemo({ prefix: 'vitrine-label-rename-' });
  git = gitIn({ root: ws.root });
  const log = memoryLogger();
  await promoteTrainedModel({ ws, name: defaultParams().registry.model_name, n: 66, log });
  // Cached as a version folder now: the training on the branch below replaces .vitrine/model.
  expect(await resolveModelDir({ ws, params: defaultParams(), version: 'prod', log })).toMatchObject({
    version: 'v1.0.0',
  });
}, 900_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

describe('a pull request that renames a label and changes nothing else', () => {
  it('is not called better: production and the labels before are read under the new name', async () => {
    // main moves on after the model was registered (a README edit): the base is not production's commit.
    git('commit', '-q', '--allow-empty', '-m', 'a later commit on main');
    git('checkout', '-q', '-b', 'rename-prints');
    const params = defaultParams();
    params.collection.vocabulary = params.collection.vocabulary.map((l) => (l === 'print' ? 'Prints & Drawings' : l));
    const log = memoryLogger();
    const ctx: StageContext = { ws, params, log, clock, env: {} };
    const text = await readFile(ws.labels, 'utf8');
    const prints = text.split('\n').filter((l) => l.endsWith(',print')).length;
    expect(prints).toBeGreaterThan(20);
    await writeFile(ws.labels, text.replace(/,print$/gm, ',Prints & Drawings'));
    git('commit', '-qam', 'rename print');
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    await evaluateStage.run(ctx);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    console.log(`renamed: ${metrics.baseline!.comparison.verdict}, cv ${metrics.crossValidated?.comparison.verdict}`);
    expect(metrics.labelRenames).toEqual([{ from: 'print', to: 'Prints & Drawings', objects: prints }]);
    // Compared under the new name, the labels are those of the base: nothing to compare across folds.
    expect(metrics.crossValidated).toBeUndefined();
    expect(metrics.baseline!.comparison.verdict).not.toBe('better');
    expect(metrics.labelLoss?.lost ?? []).toEqual([]);
    // This change's own rename, not one production was trained before (a reviewer: it was said twice).
    expect(log.lines.map((l) => l.message)).not.toContainEqual(
      expect.stringMatching(/trained before labels were renamed/),
    );

    const { markdown, json } = await buildReport({ ws, params, log: memoryLogger(), now: clock.now() });
    expect(json.verdict).not.toBe('better');
    expect(markdown.split('\n')[0]).not.toContain('Better');
    // Markdown-escaped as every value from the files is.
    expect(markdown).toContain(
      `**This pull request renames a label:** “print” is now “Prints &amp; Drawings” \\(${prints} objects\\).`,
    );
    expect(markdown).not.toMatch(/removes the label/);
    git('checkout', '-q', 'main');
  }, 900_000);
});

describe('a pull request that merges two labels into a new one and changes nothing else', () => {
  // A reviewer: a merge was compared by name, production penalised for both old names, and called better.
  it('is not called better: production’s two labels are read as the merged one', async () => {
    git('checkout', '-q', '-b', 'merge-flat-works');
    const params = defaultParams();
    params.collection.vocabulary = [
      ...params.collection.vocabulary.filter((l) => l !== 'print' && l !== 'textile'),
      'Flat works',
    ];
    const log = memoryLogger();
    const ctx: StageContext = { ws, params, log, clock, env: {} };
    const text = await readFile(ws.labels, 'utf8');
    const count = (label: string) => text.split('\n').filter((l) => l.endsWith(`,${label}`)).length;
    const [prints, textiles] = [count('print'), count('textile')];
    await writeFile(ws.labels, text.replace(/,(print|textile)$/gm, ',Flat works'));
    git('commit', '-qam', 'prints and textiles are flat works');
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    await evaluateStage.run(ctx);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    console.log(`merged: ${metrics.baseline!.comparison.verdict}, ${metrics.baseline!.macroF1.value}`);
    expect(metrics.labelRenames).toEqual([
      { from: 'print', to: 'Flat works', objects: prints },
      { from: 'textile', to: 'Flat works', objects: textiles },
    ]);
    expect(metrics.baseline!.comparison.verdict).not.toBe('better');
    expect(metrics.baseline!.macroF1.value).toBeGreaterThan(0.9);
    const { markdown } = await buildReport({ ws, params, log: memoryLogger(), now: clock.now() });
    expect(markdown).toContain(
      `**This pull request merges labels:** “print” and “textile” are now one label, “Flat works” ` +
        `\\(${prints + textiles} objects\\).`,
    );
    expect(markdown).not.toMatch(/removes the label/);
    git('checkout', '-q', 'main');
  }, 900_000);
});

describe('a label renamed on main after the model in production was trained', () => {
  // A reviewer: production trained before a rename main already had (a rollback, a merge not promoted) was read by
  // the old names, every renamed object counted against it, and a one-label fix was "Better" by +0.21.
  it('reads production under the new names, from the labels at the commit it was registered on', async () => {
    const params = defaultParams();
    params.collection.vocabulary = params.collection.vocabulary.map((l) => (l === 'print' ? 'Prints & Drawings' : l));
    const log = memoryLogger();
    const ctx: StageContext = { ws, params, log, clock, env: {} };
    git('checkout', '-q', 'main');
    const text = await readFile(ws.labels, 'utf8');
    await writeFile(ws.labels, text.replace(/,print$/gm, ',Prints & Drawings'));
    git('commit', '-qam', 'rename print on main');
    git('checkout', '-q', '-b', 'one-fix');
    const lines = (await readFile(ws.labels, 'utf8')).split('\n');
    const coin = lines.findIndex((l) => l.endsWith(',coin'));
    lines[coin] = lines[coin]!.replace(/,coin$/, ',mask');
    await writeFile(ws.labels, lines.join('\n'));
    git('commit', '-qam', 'one coin is a mask');
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    await evaluateStage.run(ctx);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    const messages = log.lines.map((l) => l.message);
    console.log(`renamed on main: ${metrics.baseline!.comparison.verdict}, ${metrics.baseline!.macroF1.value}`);
    // This pull request renames nothing: the report says no rename.
    expect(metrics.labelRenames).toBeUndefined();
    expect(messages).toContainEqual(
      expect.stringMatching(/^The model in production \(v1\.0\.0\) was trained before labels were renamed/),
    );
    expect(messages).not.toContainEqual(expect.stringMatching(/labels it never learnt count against it/));
    expect(metrics.baseline!.comparison.verdict).not.toBe('better');
    expect(metrics.baseline!.macroF1.value).toBeGreaterThan(0.9);
    git('checkout', '-q', 'main');
  }, 900_000);
});
