import { describe, expect, it } from 'vitest';
import { changedAnswers } from '../../pipeline/registry/annotation-changes.ts';
import { holdRetiredTypes, retiredTypes, retiredTypesWarning } from '../../pipeline/registry/retired-types.ts';
import type { Annotation } from '../../pipeline/types.ts';

/*
 * Reviewer: params.yaml’s vocabulary now reads a no-break space between a label’s words as a plain space
 * ("Epoche:\u00a0Neu" is "Epoche: Neu"), but a model trained before keeps the no-break space in its labels. Compared
 * in NFC only, its type was "renamed or removed since": a rollback to it warned of "Epoche: Neu" (which reads as
 * today’s type) and held back every guess of it. And a new model’s guess "Epoche: Neu" of an object the old one
 * guessed "Epoche:\u00a0Neu" is no change of judgement (the catalogue’s recent changes).
 */

const NBSP = 'Epoche:\u00a0Neu';
const today = ['Epoche: Neu', 'Epoche: Alt'];

describe('a model trained on a label with a no-break space, the vocabulary read with a plain one', () => {
  it('is not trained on a type retired since, and its guesses of it are published', () => {
    expect(retiredTypes({ modelLabels: [NBSP, 'Epoche: Alt'], vocabulary: today })).toEqual([]);
    expect(
      retiredTypesWarning({ version: 'v1.0.0', modelLabels: [NBSP, 'Epoche: Alt'], vocabulary: today }),
    ).toBeNull();
    const guess = { id: 'O-1', label: NBSP, confidence: 0.9, published: true } as unknown as Annotation;
    const [held] = holdRetiredTypes({ annotations: [guess], vocabulary: today });
    expect(held!.published).toBe(true);
    expect(held!.retiredType).toBeUndefined();
    // A type really gone is still one.
    expect(retiredTypes({ modelLabels: ['Epoche: Mittel'], vocabulary: today })).toEqual(['Epoche: Mittel']);
  });

  it('a new model’s guess of it, written with a plain space, is no change of the old model’s guess', () => {
    const guess = (label: string, modelVersion: string) =>
      ({ id: 'O-1', label, confidence: 0.9, modelVersion }) as unknown as Annotation;
    expect(changedAnswers({ before: [guess(NBSP, 'v1')], after: [guess('Epoche: Neu', 'v2')] })).toEqual([]);
    expect(changedAnswers({ before: [guess(NBSP, 'v1')], after: [guess('Epoche: Alt', 'v2')] })).toHaveLength(1);
  });
});
