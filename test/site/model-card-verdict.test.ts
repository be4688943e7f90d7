import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { testerRun } from '../fixtures/tester-run.ts';
import { writeFixture } from './fixture.ts';

/*
 * How the change was judged is said as the Markdown card says it, "(5-fold cross-validation)": the page left it out.
 *
 * The README's label fix: its pull request was judged "better" on every labelled object, while the
 * 66 test objects alone say "no detectable difference". The public model page of the version it made
 * must state the verdict the pull request got, not only the test split's, in the words of the model card.
 */

const iv = (value: number, low: number, high: number) => ({ value, low, high });

/** Builds a small site whose version in production was made by a change judged `crossValidated`; its page's text. */
async function modelPage(crossValidated: Metrics['crossValidated'], { alpha }: { alpha?: number } = {}) {
  const root = await tempDir('vitrine-card-verdict-');
  const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums', 'images');
  const artic = path.join(shared, 'artic');
  const photo = path.join(artic, (await readdir(artic)).sort()[0]!);
  const objects = ['A-1', 'A-2', 'A-3', 'A-4'].map((id, i) => ({
    id,
    title: `Object ${id}`,
    label: i % 2 ? 'coin' : 'vase',
    image: photo,
  }));
  await writeFixture({ root, objects, labels: ['coin', 'vase'] });
  const ws = workspace(root);
  const file = path.join(ws.root, '.vitrine', 'evaluate', 'metrics.json');
  const metrics = JSON.parse(await readFile(file, 'utf8')) as Metrics;
  // The test-split comparison with the model in production, as the README's label fix gets it.
  const comparison = {
    metric: 'macroF1',
    difference: iv(0.014, 0, 0.051),
    pValue: 0.705,
    test: 'paired bootstrap',
    // As evaluate writes it now (stored with each comparison).
    alpha: alpha ?? 0.05,
  };
  metrics.baseline = {
    ...metrics,
    version: 'v1.0.0',
    comparison: { ...comparison, verdict: 'no detectable difference' },
  } as Metrics['baseline'];
  metrics.crossValidated = crossValidated;
  await writeFile(file, JSON.stringify(metrics));
  const params = defaultParams();
  const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
  const card = catalogue.models.find((m) => m.current)!;
  await buildSite({ ws, params, log: memoryLogger() });
  const html = await readFile(path.join(ws.site, 'models', card.version, 'index.html'), 'utf8');
  const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  // The paragraph of the cross-validated verdict alone, so that a failure shows it and not the whole page.
  const verdict = /Judged on every labelled object.*?(?= Per type )/.exec(text)?.[0] ?? '';
  return { card, text, verdict };
}

describe('model page of a version made by a label fix', () => {
  it('states the pull request’s cross-validated verdict beside the test-split comparison', async () => {
    const { card, text, verdict } = await modelPage({
      base: { ref: 'main', commit: 'e848d709e50a' },
      changed: 19,
      objects: 300,
      k: 5,
      candidate: iv(1, 1, 1),
      baseline: iv(0.973, 0.95, 0.99),
      probability: { candidate: 0.992, baseline: 0.9, trainingSd: 0.0002 },
      comparison: {
        metric: 'probability',
        difference: iv(0.092, 0.08, 0.11),
        pValue: 0.002,
        test: 'paired',
        verdict: 'better',
        alpha: 0.05,
      },
    } as Metrics['crossValidated']);
    expect(card.metrics?.labelChange).toMatchObject({ changed: 19, objects: 300, verdict: 'better', pValue: 0.002 });
    // The page shows scores in per cent: a change in points, named "macro-F1", not "macroF1 changed by 1.4% (0.0% to 5.1%)".
    expect(text).toContain(
      'Compared with v1.0.0 on the same test objects and labels (both models scored on this version’s): macro-F1 ' +
        'changed by +1.4 points (95% range: +0.0 to +5.1 points), p = 0.705 (with no real difference, one this ' +
        'large would turn up by chance about 7 times in 10) — no detectable',
    );
    // A better change is said so, with its figures, and nothing about chance or min_change after it.
    expect(verdict).toBe(
      'Judged on every labelled object, the verdict of the change that made this version (19 labels changed): ' +
        'each of the 300 labelled objects was predicted by a model that had not seen it and scored on the labels ' +
        'now. Trained on the labels before, the model gives those labels a probability of 90.0% on average, and ' +
        '99.2% trained on the labels now: a change of +9.2 points (95% interval: +8.0 to +11.0 points), p = 0.002 ' +
        '(with no real difference, one this large would turn up by chance about 1 time in 500) — better (5-fold ' +
        'cross-validation).',
    );
  }, 300_000);

  // An outside tester changed two demo labels to labels outside the vocabulary. The report and the Markdown card were
  // fixed; this page, which the public reads, still said "2 labels changed", "each of 300 objects’ labels", no change
  // and "no detectable difference" beside p = 0.002. The figures are those of that run.
  it('says the card’s words: labels removed, objects scored, the change, why p = 0.002 is no difference', async () => {
    const { verdict } = await modelPage(testerRun({ ref: 'main' }) as Metrics['crossValidated']);
    expect(verdict).not.toContain('labels changed');
    expect(verdict).not.toContain("objects' labels");
    expect(verdict).not.toContain('— no detectable difference');
    expect(verdict).toBe(
      'Judged on every labelled object, the verdict of the change that made this version (2 labels removed): each ' +
        'of the 300 objects labelled before or now was predicted by a model that had not seen it and scored on the ' +
        'labels now (298 objects) and, for the 2 that have no label the model can use now, on the label they had. ' +
        'Trained on the labels before, the model gives those labels a probability of 85.2% on average, and 85.5% ' +
        'trained on the labels now: a change of +0.3 points (95% interval: +0.1 to +0.5 points), p = 0.002 (with no ' +
        'real difference, one this large would turn up by chance about 1 time in 500) — no difference that matters ' +
        '(5-fold cross-validation): the whole range is above zero, so the change is more than chance alone would ' +
        'give, but it is under 1 point (evaluate.min_change: 0.01), too small to matter; so the ' +
        'verdict is “no detectable difference”.',
    );
  }, 300_000);

  // The ranges are the (1 − evaluate.alpha) intervals of the tests: with alpha 0.1 the page said "95%" all the same.
  // The fold count is the one the evaluation used (evaluate.folds), here 10.
  it('calls the ranges of both changes the interval of the alpha the evaluation used, and says its folds', async () => {
    const cv = { ...testerRun({ ref: 'main', comparison: { alpha: 0.1 } }), k: 10 } as Metrics['crossValidated'];
    const { text, verdict } = await modelPage(cv, { alpha: 0.1 });
    expect(text).toContain('macro-F1 changed by +1.4 points (90% range: +0.0 to +5.1 points), p = 0.705');
    expect(verdict).toContain('a change of +0.3 points (90% interval: +0.1 to +0.5 points), p = 0.002');
    expect(text).not.toContain('(95% range:');
    expect(verdict).not.toContain('95%');
    expect(verdict).toContain('— no difference that matters (10-fold cross-validation): the whole range');
  }, 300_000);
});
