import { describe, expect, it } from 'vitest';
import { toAnnotations } from '../../pipeline/registry/annotate.ts';
import { mislabelledSection } from '../../pipeline/report/mislabelled.ts';
import type { ReviewFile, ReviewItem } from '../../pipeline/review/index.ts';
import type { DatasetObject, Metrics } from '../../pipeline/types.ts';

/*
 * "Flagged" (confident learning's per-class thresholds) against "worth a look" (only ranked high):
 * the pull-request report, `vitrine review` and the catalogue's annotations say the same of each object.
 */

const agreement = { accuracy: 0.9, guessing: 0.5, better: true, labelsInUse: 2 };
const item = (id: string, over: Partial<ReviewItem>): ReviewItem => ({
  id,
  label: 'coin',
  suggested: 'vase',
  score: 0.8,
  confidence: 0.7,
  confident: true,
  split: 'train',
  ...over,
});
// A is flagged; B is in confident learning's count but below the threshold; C only ranks high.
const items = [
  item('A', { reason: 'flagged', score: 0.9 }),
  item('B', { reason: 'ranked', score: 0.8 }),
  item('C', { reason: 'ranked', confident: false, score: 0.7 }),
];

function metricsWith(mislabelled: Metrics['mislabelled']): Metrics {
  return { mislabelled } as Metrics;
}

const section = (m: Metrics['mislabelled']) =>
  mislabelledSection({
    metrics: metricsWith(m),
    links: () => ({ thumbnailUrl: null, pageUrl: null }),
    titleOf: () => '',
  });

const rowOf = (markdown: string, id: string) => markdown.split('\n').find((l) => l.startsWith(`| ${id} |`))!;

describe('objects that look mislabelled: flagged or worth a look', () => {
  it('marks only the flagged objects in the report and counts them', () => {
    const markdown = section({
      checked: 40,
      candidates: 3,
      confident: 2,
      flagged: 1,
      agreement,
      top: items.map(({ id, label, suggested, score, confidence, confident, reason }) => ({
        id,
        label,
        suggested,
        score,
        confidence,
        confident,
        reason: reason!,
      })),
    });
    expect(rowOf(markdown, 'A')).toContain('⚠️');
    expect(rowOf(markdown, 'B')).not.toContain('⚠️');
    expect(rowOf(markdown, 'C')).not.toContain('⚠️');
    expect(markdown).toContain('1 of those is flagged');
    expect(markdown).not.toContain('2 of those');
    expect(markdown).toContain('worth a look');
  });

  it('reads metrics.json written before `reason` was recorded as before: confident means flagged', () => {
    const markdown = section({
      checked: 40,
      candidates: 2,
      confident: 1,
      agreement,
      top: [items[0]!, items[2]!].map(({ id, label, suggested, score, confidence, confident }) => ({
        id,
        label,
        suggested,
        score,
        confidence,
        confident,
      })),
    });
    expect(rowOf(markdown, 'A')).toContain('⚠️');
    expect(rowOf(markdown, 'C')).not.toContain('⚠️');
    expect(markdown).toContain('1 of those is flagged');
  });

  it("carries flagged into the catalogue's label issues", () => {
    const review: ReviewFile = {
      schema: 'vitrine.review/1',
      labels: ['coin', 'vase'],
      checked: 40,
      agreement,
      confident: 2,
      flagged: 1,
      items,
    };
    const objects = ['A', 'B', 'C', 'D'].map((id) => ({ id, label: 'coin' }) as DatasetObject);
    const predictions = objects.map((o) => ({
      id: o.id,
      label: 'vase',
      confidence: 0.7,
      top: [{ label: 'vase', p: 0.7 }],
    }));
    const annotations = toAnnotations({ predictions, objects, modelVersion: 'v1.0.0', review });
    const issue = (id: string) => annotations.find((a) => a.id === id)!.labelIssue;
    expect(issue('A')).toEqual({ score: 0.9, suggested: 'vase', flagged: true, label: 'coin' });
    expect(issue('B')).toEqual({ score: 0.8, suggested: 'vase', flagged: false, label: 'coin' });
    expect(issue('C')).toEqual({ score: 0.7, suggested: 'vase', flagged: false, label: 'coin' });
    expect(issue('D')).toBeNull();
  });
});

describe('objects that look mislabelled: one object', () => {
  // A tester read "The others rank high without a flag: worth a look. The 1 most likely wrong are below" of one object.
  it('says it of one, with no word of others', () => {
    const markdown = section({
      checked: 40,
      candidates: 1,
      confident: 1,
      flagged: 1,
      agreement,
      top: [
        { id: 'A', label: 'coin', suggested: 'vase', score: 0.9, confidence: 0.7, confident: true, reason: 'flagged' },
      ],
    });
    expect(markdown).toContain('For 1 of them it suggests another label; 1 of those is flagged');
    expect(markdown).toContain('The one most likely wrong is below: worth a second look, not an automatic change.');
    expect(markdown).not.toContain('The others');
    expect(markdown).not.toContain('The 1 most likely');
  });
});

describe('objects that look mislabelled: a look-alike pair', () => {
  it('says at least one of the two labels is probably wrong, not that the model is sure of the other', () => {
    const pair = (id: string, label: string, other: string, suggested: string) => ({
      id,
      label,
      suggested,
      score: 0.99,
      confidence: 1,
      confident: true,
      reason: 'flagged' as const,
      lookAlike: { id: other, label: suggested, similarity: 0.95 },
    });
    const markdown = section({
      checked: 40,
      candidates: 2,
      confident: 2,
      flagged: 2,
      agreement,
      top: [pair('V', 'vessel', 'P', 'print'), pair('P', 'print', 'V', 'vessel')],
    });
    const row = rowOf(markdown, 'V');
    expect(row).toContain(
      'print, as P is labelled: their photographs are very similar, perhaps the same object photographed twice, so ' +
        'at least one of the two labels is probably wrong',
    );
    expect(row).not.toContain('100% sure');
  });
});

describe('objects that look mislabelled: three or more look-alikes', () => {
  it('says the group’s objects have very similar photographs but different labels, not three separate accusations', () => {
    const labels: Record<string, string> = { A: 'vessel', B: 'print', C: 'vessel' };
    const member = (id: string, mate?: string) => ({
      id,
      label: labels[id]!,
      suggested: labels[id] === 'vessel' ? 'print' : 'vessel',
      score: 0.99,
      confidence: 1,
      confident: true,
      reason: 'flagged' as const,
      ...(mate ? { lookAlike: { id: mate, label: labels[mate]!, similarity: 0.99 } } : {}),
      lookAlikes: Object.keys(labels)
        .filter((o) => o !== id)
        .map((o) => ({ id: o, label: labels[o]!, similarity: 0.99 })),
    });
    const markdown = section({
      checked: 40,
      candidates: 3,
      confident: 3,
      flagged: 3,
      agreement,
      top: [member('A', 'B'), member('B', 'A'), member('C')],
    });
    const group =
      'these 3 objects (A, B and C) have almost certainly the same photograph (or copies of it) but different ' +
      'labels: at least one of the labels ' +
      'is probably wrong';
    expect(rowOf(markdown, 'A')).toContain(`print, as B is labelled: ${group}`);
    expect(rowOf(markdown, 'B')).toContain(`vessel, as A and C are labelled: ${group}`);
    // C has no partner of its own, but is one of the group: not a plain suspect "100% sure".
    expect(rowOf(markdown, 'C')).toContain(`print, as B is labelled: ${group}`);
    expect(markdown).not.toContain('100% sure');
  });
});
