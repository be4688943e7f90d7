import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compareLabelSets, crossValidatedSummary } from '../../pipeline/evaluate/label-change.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { seededUniform } from '../../pipeline/random.ts';
import { crossValidationCardLines } from '../../pipeline/registry/card.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { makeRepo, type ObjectSpec, writeStageOutputs } from './fixture.ts';

/*
 * An outside tester (the museum's maintainer, on the 1,827 Egyptian objects): 25 Cleveland beads moved together from
 * Jewellery to Pottery, merged and promoted; then a pull request that exactly reverts the move (the labels right
 * again) got "No detectable difference". Measured there: the probability of the labels now rose by +0.004 on average
 * over all 1,827 objects (p = 0.012, the range above zero), under evaluate.min_change (0.01), while the 25 beads
 * themselves gained about 0.3 each. The mean over every object shrinks a change of a few labels with the size of the
 * collection. Here the same shape, small and fast: 12 look-alike objects among 1,812, heads trained for real on
 * embeddings made to look like such a collection.
 */

const LABELS = ['jewellery', 'pottery', 'reliefs', 'statuary'];
const PER_CLASS = 453;
/** The first jewellery objects: a group of their own (beads), near the other jewellery. */
const BEADS = 12;
const DIM = 8;
const params = validateParams({ raw: { train: { epochs: 60 } } });

const objects: ObjectSpec[] = LABELS.flatMap((label, c) =>
  Array.from({ length: PER_CLASS }, (_, i) => ({
    id: `OBJ-${c}${String(i).padStart(3, '0')}`,
    title: label === 'jewellery' && i < BEADS ? `Petal-shaped bead ${i + 1}` : `${label} ${i + 1}`,
    label,
    split: (['train', 'validation', 'test'] as const)[i % 3]!,
  })),
);
const isBead = (i: number) => i < BEADS;
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const beadsAsPottery = { ...correct };
for (const o of objects.filter((o, i) => o.label === 'jewellery' && isBead(i))) beadsAsPottery[o.id] = 'pottery';

/** Each object's embedding: its class's corner, the beads a little apart on an axis of their own, and some noise. */
function embeddings(): Float32Array[] {
  const u = seededUniform(11);
  return objects.map((o, i) => {
    const v = new Float32Array(DIM);
    v[LABELS.indexOf(o.label)] = 3;
    if (isBead(i)) v[5] = 3;
    for (let d = 0; d < DIM; d++) v[d]! += u() - 0.5;
    return v;
  });
}

/** Both label sets trained in the same folds (compareLabelSets, as the evaluate stage does), then the report. */
async function judged(base: Record<string, string>, head: Record<string, string>) {
  const classOf = (labels: Record<string, string>) => objects.map((o) => LABELS.indexOf(labels[o.id]!));
  const result = await compareLabelSets({
    tf,
    x: embeddings(),
    objects,
    head: classOf(head),
    base: classOf(base),
    folds: objects.map((_, i) => i % 5),
    k: 5,
    labels: LABELS,
    params: { ...params, train: { ...params.train, backend: 'cpu' } },
    trainingSd: 0,
    log: silentLogger,
  });
  const crossValidated = { base: { ref: 'main', commit: 'a'.repeat(40) }, ...result };
  const { ws } = await makeRepo({ objects, base, head });
  await writeStageOutputs({ ws, objects, head, vocabulary: LABELS, metrics: { crossValidated } });
  const report = await buildReport({ ws, params, base: 'main', log: silentLogger });
  const c = crossValidated.comparison;
  console.log(
    `${objects.length} objects, ${BEADS} relabelled: mean over all ${result.probability.baseline.toFixed(4)} → ` +
      `${result.probability.candidate.toFixed(4)} (${c.difference.value.toFixed(4)} [${c.difference.low.toFixed(4)}, ` +
      `${c.difference.high.toFixed(4)}]), p = ${c.pValue.toFixed(3)}; the relabelled: ` +
      `${JSON.stringify(result.comparison.relabelled)}; photographs: ${JSON.stringify(result.before)}; ` +
      `verdict ${c.verdict}, report ${report.json.verdict}`,
  );
  return { crossValidated, ...report };
}

describe('a few labels put right in a large collection', () => {
  it('is “Better” when a wrong group move is exactly reverted, not too small to matter (a tester)', async () => {
    const { crossValidated, json, markdown } = await judged(beadsAsPottery, correct);
    // The mean over every object is diluted by the 1,800 objects the change did not touch.
    expect(Math.abs(crossValidated.comparison.difference.value)).toBeLessThan(params.evaluate.min_change);
    expect(crossValidated.comparison.pValue).toBeLessThan(0.05);
    // On the objects relabelled, the change is what the revert is about.
    const relabelled = crossValidated.comparison.relabelled!;
    expect(relabelled.objects).toBe(BEADS);
    expect(relabelled.candidate - relabelled.baseline).toBeGreaterThan(0.3);
    expect(crossValidated.comparison.verdict).toBe('better');
    expect(json.verdict).toBe('better');
    expect(json.headline).toMatch(/^Better: the labels and the photographs agree better\./);
    // The report, the evaluate summary and the model card say why a change under evaluate.min_change counts.
    expect(markdown).toMatch(
      /On the 12 objects relabelled alone: 0\.\d\d with the labels before and 0\.\d\d with the labels now\./,
    );
    const why = new RegExp(
      'the labels now fit the photographs better: over every object the change is under 0\\.01 ' +
        '\\(evaluate\\.min_change\\), since only 12 were relabelled; over those objects alone it is \\+0\\.\\d\\d',
    );
    expect(markdown).toMatch(why);
    expect(crossValidatedSummary(crossValidated)).toMatch(why);
    expect(crossValidationCardLines({ crossValidated } as Metrics).join('\n')).toMatch(why);
  }, 300_000);

  it('the wrong move itself is one to check, not “No detectable difference”', async () => {
    const { crossValidated, json } = await judged(correct, beadsAsPottery);
    expect(crossValidated.comparison.verdict).toBe('better');
    expect(json.verdict).toBe('check label changes');
  }, 300_000);
});
