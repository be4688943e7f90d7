import { describe, expect, it } from 'vitest';
import { crossValidatedSummary } from '../../pipeline/evaluate/label-change.ts';
import { crossValidationCardLines } from '../../pipeline/registry/card.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { BEADS, beadGroup, params } from './bead-group.ts';

/*
 * An outside tester (the museum's maintainer, on the 1,827 Egyptian objects): 25 Cleveland beads moved together from
 * Jewellery to Pottery, merged and promoted; then a pull request that exactly reverts the move (the labels right
 * again) got "No detectable difference". Measured there: the probability of the labels now rose by +0.0072 on
 * average over all 1,827 objects (p = 0.002), under evaluate.min_change (0.01), while the 25 beads went from 0.17 to
 * 0.54 (the wrong move itself: +0.0037, p = 0.012). The mean over every object shrinks a change of a few labels with the size of the
 * collection. Here the same shape, small and fast: 12 look-alike objects among 1,812, heads trained for real on
 * embeddings made to look like such a collection.
 */

const { objects, correct, beadsAsPottery, judged: judgedOnly } = beadGroup({ perClass: 453 });

/** judged, with its figures in the log (what the tester's numbers are compared with). */
async function judged(base: Record<string, string>, head: Record<string, string>) {
  const judgement = await judgedOnly(base, head);
  const { result, crossValidated, json } = judgement;
  const c = crossValidated.comparison;
  console.log(
    `${objects.length} objects, ${BEADS} relabelled: mean over all ${result.probability.baseline.toFixed(4)} → ` +
      `${result.probability.candidate.toFixed(4)} (${c.difference.value.toFixed(4)} [${c.difference.low.toFixed(4)}, ` +
      `${c.difference.high.toFixed(4)}]), p = ${c.pValue.toFixed(3)}; the relabelled: ` +
      `${JSON.stringify(result.comparison.relabelled)}; photographs: ${JSON.stringify(result.before)}; ` +
      `verdict ${c.verdict}, report ${json.verdict}`,
  );
  return judgement;
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
      new RegExp(
        'Just the 12 objects relabelled: how well their photographs agree with their new labels goes from ' +
          '0\\.\\d\\d \\(model trained on the labels before\\) to 0\\.\\d\\d \\(trained on the labels now\\)\\.',
      ),
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
