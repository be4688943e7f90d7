import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * Session 25 (tester, HIGH): a change that removed 248 of 300 labels was called "Better". Labels removed wholesale
 * (metrics.json's labelLoss) are said plainly, and the verdict is never "better" then.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });

async function repoWith(labelLoss: Metrics['labelLoss'], head = labels) {
  const repo = await makeRepo({ objects, base: labels, head });
  const ci = (value: number) => ({ value, low: value - 0.08, high: Math.min(1, value + 0.08) });
  const baseline = {
    version: 'v1.0.0',
    accuracy: ci(0.8),
    macroF1: ci(0.8),
    topK: { k: 2, accuracy: ci(1) },
    ece: ci(0.04),
    perClass: [],
    confusion: [],
    comparison: {
      metric: 'macroF1',
      difference: { value: 0.1, low: 0.05, high: 0.15 },
      pValue: 0.002,
      test: 'paired bootstrap',
      verdict: 'better',
    },
  } as unknown as NonNullable<Metrics['baseline']>;
  const metrics = { baseline, ...(labelLoss ? { labelLoss } : {}) } as Partial<Metrics>;
  await writeStageOutputs({ ws: repo.ws, objects, head, metrics });
  return repo;
}

describe('labels removed wholesale', () => {
  it('most labels removed: "not comparable" with a warning sign, never "better", and said plainly', async () => {
    const { ws } = await repoWith({ ref: 'main', before: 300, removed: 200, lost: [] });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.verdict).toBe('not comparable');
    expect(json.labels.labelLoss?.words).toBe('200 labels removed (of 300 at main)');
    const lines = markdown.split('\n');
    expect(lines[0]).toMatch(
      /^(⚠️|❌) \*\*Not comparable: this change removes too many labels for its model to be judged better\.\*\*/,
    );
    expect(lines[0]).not.toContain('✅');
    expect(markdown).toContain('⚠️ **200 labels removed \\(of 300 at main\\).**');
    expect(json.headline).toMatch(/^Not comparable/);
    expect(markdown).toContain('This model learnt from far fewer labels than the one in production.');
  });

  it('a few labels removed: the verdict stands', async () => {
    const { ws } = await repoWith({ ref: 'main', before: 300, removed: 20, lost: [] });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.verdict).toBe('better');
    expect(json.labels.labelLoss).toBeUndefined();
    expect(markdown).not.toContain('labels removed');
  });

  it('a label renamed on every line of labels.csv and not in the vocabulary: said as a rename, with where', async () => {
    // Session 37, a tester: vessel → ceramic on every line was "1 label lost all its objects … restore labels.csv".
    const renamed = Object.fromEntries(Object.entries(labels).map(([id, l]) => [id, l === 'vessel' ? 'ceramic' : l]));
    const loss = { ref: 'main', before: 36, removed: 6, lost: [{ label: 'vessel', objects: 6 }] };
    const { ws } = await repoWith(loss, renamed);
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain(
      'All 6 objects labelled “vessel” now say “ceramic”, which is not in collection.vocabulary: if “vessel” was ' +
        'renamed, rename it in collection.vocabulary in params.yaml too \\(“vessel” → “ceramic”\\), in this pull request.',
    );
    // Labels taken out one by one are no rename.
    const { ws: other } = await repoWith(loss);
    expect((await buildReport({ ws: other, params, base: 'main', log: silentLogger })).markdown).not.toContain(
      'now say',
    );
  });
});
