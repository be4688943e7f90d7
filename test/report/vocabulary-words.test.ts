import { describe, expect, it } from 'vitest';
import { vocabularyWords } from '../../pipeline/report/render.ts';

/* The labels above the report's label table: a vocabulary of 1,000 labels is named, not listed. */

describe('the collection labels said in the report', () => {
  it('lists a short vocabulary', () => {
    expect(vocabularyWords(['coin', 'mask'])).toBe('coin, mask');
  });

  it('names a long one in params.yaml instead of listing it', () => {
    const vocabulary = Array.from({ length: 1000 }, (_, i) => `label-${i}`);
    expect(vocabularyWords(vocabulary)).toBe('the 1,000 labels in collection.vocabulary in params.yaml');
  });
});
