import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarise } from '../../pipeline/monitor/drift.ts';
import type { DriftReport } from '../../pipeline/monitor/types.ts';
import { crossValidationCardLines } from '../../pipeline/registry/card.ts';
import { pValue } from '../../pipeline/report/markdown.ts';
import type { Metrics } from '../../pipeline/types.ts';

/*
 * The model card's site page printed the cross-validated p-value as "p = 0.0020" (toPrecision(2)) while the pull
 * request said "p = 0.002": one formatter now writes every p-value the report, the Markdown card and the page show.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('p-values', () => {
  it('are written one way: three decimals, and "p < 0.001" below that (0.000 would read as certain)', () => {
    expect(pValue(0.002)).toBe('p = 0.002');
    expect(pValue(0.21)).toBe('p = 0.210');
    expect(pValue(1)).toBe('p = 1.000');
    expect(pValue(0.0004)).toBe('p < 0.001');
    expect(pValue(Number.NaN)).toBe('p = –');
  });

  it('the Markdown card uses it', () => {
    const iv = (value: number) => ({ value, low: value, high: value });
    const metrics = {
      crossValidated: {
        base: { ref: 'main', commit: 'e848d709e50a' },
        changed: 1,
        objects: 10,
        k: 5,
        candidate: iv(1),
        baseline: iv(0.9),
        probability: { candidate: 0.99, baseline: 0.9, trainingSd: 0 },
        comparison: { metric: 'probability', difference: iv(0.09), pValue: 0.0004, test: 'paired', verdict: 'better' },
      },
    } as unknown as Metrics;
    expect(crossValidationCardLines(metrics).join('\n')).toContain(
      'p < 0.001 (with no real difference, one this large would turn up by chance less than 1 time in 1,000): **better**',
    );
  });

  it('the drift summary says "p < 0.001" for a very small p-value, not an exponent', () => {
    const report = {
      reference: { description: 'the training photographs', count: 40 },
      current: { description: 'new photographs', count: 40 },
      signals: {
        classifier: null,
        embeddings: { drifted: true, effect: 0.5, pValue: 0.00002 },
        novelty: null,
        imageStats: [],
        predictedLabels: null,
      },
      unusualShare: 0,
      unfamiliar: [],
      drifted: true,
    } as unknown as DriftReport;
    const summary = summarise(report);
    expect(summary).toContain(
      '(energy coefficient 0.50, p < 0.001: with no real difference, one this large would turn up by chance less than 1 time in 1,000)',
    );
    expect(summary).not.toContain('e-5');
  });

  it('no page or text writes a p-value its own way', async () => {
    const files = [
      'site/src/pages/models/[version]/index.astro',
      'pipeline/registry/card.ts',
      'pipeline/report/render.ts',
      'pipeline/report/mislabelled.ts',
      'site/src/pages/models/[version]/monitoring.astro',
      'pipeline/monitor/drift.ts',
      'pipeline/stages/evaluate.ts',
    ];
    for (const file of files) {
      const source = await readFile(path.join(ROOT, file), 'utf8');
      expect(source, file).not.toMatch(/p = \$?\{/);
      expect(source, file).not.toMatch(/pValue\.to(Precision|Fixed|Exponential)/);
      expect(source, file).not.toMatch(/\bp\.to(Precision|Fixed|Exponential)/);
    }
  });
});
