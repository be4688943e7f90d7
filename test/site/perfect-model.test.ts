import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { percentRange, withBoundaryIntervals } from '../../pipeline/evaluate/boundary.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from './fixture.ts';

/*
 * An outside tester's case: 66 test objects, every one classified right. The home page said "100% macro-F1 on 66
 * test objects (95% interval 100%–100%)", the model page "Accuracy 100.0% (100.0%–100.0%)" and that with another
 * sample "the score would likely fall inside them". Here metrics.json is as an evaluation before the boundary rule
 * stored it (every interval collapsed at 100%); the pages show the rule's intervals (pipeline/evaluate/boundary.ts).
 */

const iv = (value: number, low: number, high: number) => ({ value, low, high });
const read = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:])/g, '$1');

describe('pages of a model that got every test object right', () => {
  let root = '';
  let home = '';
  let page = '';
  let list = '';
  let stored: Metrics | null = null;

  beforeAll(async () => {
    root = await tempDir('vitrine-perfect-model-');
    const labels = ['coin', 'vase', 'mask'];
    const objects = ['A-1', 'A-2', 'A-3', 'A-4'].map((id, i) => ({
      id,
      title: `Object ${id}`,
      label: labels[i % 3]!,
      image: null,
    }));
    await writeFixture({ root, objects, labels });
    const ws = workspace(root);
    const file = path.join(ws.root, '.vitrine', 'evaluate', 'metrics.json');
    const metrics = JSON.parse(await readFile(file, 'utf8')) as Metrics;
    const perfect: Metrics = {
      ...metrics,
      n: 66,
      accuracy: iv(1, 1, 1),
      macroF1: iv(1, 1, 1),
      topK: { k: 2, accuracy: iv(1, 1, 1) },
      ece: iv(0.05, 0.03, 0.08),
      perClass: labels.map((label) => ({ label, precision: 1, recall: 1, f1: 1, support: 22 })),
      confusion: labels.map((_, r) => labels.map((__, c) => (r === c ? 22 : 0))),
    };
    await writeFile(file, JSON.stringify(perfect));
    stored = perfect;
    const params = defaultParams();
    await buildCatalogueData({ ws, params, log: memoryLogger() });
    await buildSite({ ws, params, log: memoryLogger() });
    home = read(await readFile(path.join(ws.site, 'index.html'), 'utf8'));
    page = read(await readFile(path.join(ws.site, 'models', 'v1.1.0', 'index.html'), 'utf8'));
    list = read(await readFile(path.join(ws.site, 'models', 'index.html'), 'utf8'));
  }, 300_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('home page: no "100%–100%", and a perfect test score is not "no mistakes"', () => {
    expect(home).not.toContain('100%–100%');
    expect(home).toMatch(/100% how well it tells the types apart, on 66 test objects \(95% interval 9\d%–100%\)/);
    // The score’s name after the plain words (tester C read “macro-F1” first, unexplained).
    expect(home).toContain('each type counts the same, however many objects it has (the score called macro-F1).');
    expect(home).toContain('It got every one of them right; that does not mean it never makes mistakes.');
  });

  it('model page: Wilson for accuracy (94.4%–100.0%, rounded down), macro-F1 below 100%, and plain words why', () => {
    expect(page).not.toContain('100.0%–100.0%');
    expect(page).not.toContain('would likely fall inside them');
    expect(page).toContain('Accuracy 100.0% (94.4%–100.0%)');
    expect(page).toMatch(/Macro-F1 100\.0% \((9\d|8\d)\.\d%–100\.0%\)/);
    // The same figure as the Markdown card of these scores (pipeline/registry/card.ts applies the same rule).
    const macro = withBoundaryIntervals({ scores: stored!, n: 66 }).macroF1;
    expect(page).toContain(`Macro-F1 100.0% (${percentRange(macro)})`);
    expect(page).toContain(
      'The model got every one of the 66 test objects right. That does not mean it never makes mistakes',
    );
    expect(list).not.toContain('100.0%–100.0%');
  });
});
