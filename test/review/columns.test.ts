import { describe, expect, it } from 'vitest';
import { type ReviewFile, renderReview } from '../../pipeline/review/index.ts';

/* A library's shelfmarks are longer than a museum's numbers: the review list still reads as a table. */

function review(ids: string[]): ReviewFile {
  return {
    schema: 'vitrine.review/1',
    labels: ['Manuscrit', 'Carte'],
    checked: 40,
    agreement: { accuracy: 0.9, guessing: 0.5, better: true, labelsInUse: 2 },
    confident: 0,
    items: ids.map((id, n) => ({
      id,
      label: 'Manuscrit',
      suggested: 'Carte',
      score: 0.9 - n / 100,
      confidence: 0.8,
      confident: false,
      split: 'train' as const,
    })),
  };
}

/** Where each listed object's title starts on its line. */
function titleColumns(text: string): number[] {
  return text
    .split('\n')
    .filter((line) => line.includes(' labelled Manuscrit'))
    .map((line) => line.indexOf('“'));
}

describe('vitrine review’s list', () => {
  it('lines up the titles when an id is longer than 14 characters', () => {
    const ids = ['MS 123 f. 4r', 'Bodl. MS. Ashmole 1509', 'PH/1923/0045'];
    const titles = new Map(ids.map((id) => [id, 'Psautier enluminé']));
    const columns = titleColumns(renderReview({ review: review(ids), titles }));
    expect(columns).toHaveLength(3);
    expect(new Set(columns).size).toBe(1);
    expect(columns[0]).toBe(2 + 'Bodl. MS. Ashmole 1509'.length + 2);
  });

  it('keeps the 14-character column for short museum numbers', () => {
    const ids = ['DM-0001', 'DM-0002'];
    const titles = new Map(ids.map((id) => [id, 'Vase']));
    expect(titleColumns(renderReview({ review: review(ids), titles }))).toEqual([17, 17]);
  });

  it('lets an id past 40 characters run on rather than widen every line', () => {
    const long = `Fonds Dupré, boîte 12, dossier 4, pièce 17 bis`;
    const ids = ['MS 123 f. 4r', long];
    const titles = new Map(ids.map((id) => [id, 'Lettre']));
    const [short, longLine] = titleColumns(renderReview({ review: review(ids), titles }));
    expect(short).toBe(17);
    expect(longLine).toBe(2 + long.length + 1);
  });
});
