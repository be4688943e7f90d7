import { describe, expect, it } from 'vitest';
import { type ReviewFile, renderReview } from '../../pipeline/review/index.ts';

/*
 * Task F1: objects given one “no image” card have no picture the model reads, so they left the review list without
 * a word: 42 objects whose labels no one can check. Staff read them once, as one picture to replace, not as 42
 * separate suspects.
 */

const review: ReviewFile = {
  schema: 'vitrine.review/1',
  labels: ['coin', 'mask'],
  checked: 40,
  agreement: { accuracy: 0.9, guessing: 0.5, better: true, labelsInUse: 2 },
  confident: 0,
  items: [
    { id: 'DM-1', label: 'coin', suggested: 'mask', score: 0.9, confidence: 0.8, confident: false, split: 'train' },
  ],
};

const card = {
  image: 'images/noimage.png',
  objects: ['L-12', 'L-3050', ...Array.from({ length: 40 }, (_, i) => `U-${i + 1}`)],
  labels: ['coin'],
};

describe('vitrine review and the objects given one picture', () => {
  it('says once that the objects sharing a stand-in picture are not checked, naming a few and the file', () => {
    const text = renderReview({
      review,
      standIns: [card],
      labelOf: new Map([
        ['L-12', 'coin'],
        ['L-3050', 'coin'],
      ]),
    });
    const said = text.split('\n').filter((l) => /share one picture/.test(l));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^42 objects share one picture \(data\/images\/noimage\.png: L-12, L-3050, U-1 and 39 more\)/,
    );
    expect(said[0]).toMatch(/not a photograph of each/);
    expect(said[0]).toMatch(/cannot check their labels/);
    expect(text).not.toMatch(/U-2\b/);
    // When the model agrees with every label it checked, the picture is still said.
    const none = renderReview({ review: { ...review, items: [] }, standIns: [card] });
    expect(none).toMatch(/agrees with every one of the 40 labels/);
    expect(none).toMatch(/42 objects share one picture/);
    expect(renderReview({ review })).not.toMatch(/share one picture/);
  });
});
