import { describe, expect, it } from 'vitest';
import { reviewList } from '../../pipeline/catalogue/pages.ts';
import type { Catalogue, CatalogueObject } from '../../pipeline/catalogue/schema.ts';

/*
 * Reviewer V11: the Predicted type filter's value for a guess of a type the museum publishes none of this model's
 * guesses of was renamed "Not published: model not yet reliable on this type"; the review page still said "Waiting
 * for staff: no guess of … is published yet" for the same objects. It says the filter's words now.
 */

const object = (id: string, annotation: Record<string, unknown>) =>
  ({
    id,
    slug: id.toLowerCase(),
    title: `Object ${id}`,
    images: [],
    needsReview: true,
    reviewReason: 'waiting',
    annotation: { label: 'Chicago', confidence: 0.97, published: false, ...annotation },
  }) as unknown as CatalogueObject;

describe('the review page’s card for a guess held back', () => {
  it('says the Predicted type filter’s words, with the best guess and its figure', () => {
    const objects = [object('N-1', { noThreshold: true }), object('N-2', { confidence: 0.8 })];
    const catalogue = { objects, reviewQueue: ['N-1', 'N-2'] } as unknown as Catalogue;
    const notes = reviewList(catalogue).cards.map((c) => c.note);
    expect(notes).toHaveLength(objects.length);
    expect(notes).toEqual([
      'Not published: model not yet reliable on this type (best guess “Chicago”, 97%)',
      'Not sure: waiting for staff (best guess “Chicago”, 80%)',
    ]);
    // Each begins with its object's value of the filter, word for word (test/site/public-site-findings.test.ts).
    const filter = ['Not published: model not yet reliable on this type', 'Not sure: waiting for staff'];
    for (const [i, words] of filter.entries()) expect(notes[i]!.startsWith(`${words} (`)).toBe(true);
    expect(notes.join(' ')).not.toMatch(/waiting for staff: no guess/i);
  });

  // Tester T2: "Not sure: waiting for staff (best guess “Urkunde”, 99.98%)" beside the model page's threshold
  // "99.98% or more": 99.977% against 99.978%, rounded alike. Said with the digits that keep them apart.
  it('gives the guess figure with the digits that tell it from the threshold it missed', () => {
    const needed = { threshold: 0.99978, minPrecision: 0.9 };
    const catalogue = {
      objects: [object('N-3', { label: 'Urkunde', confidence: 0.99977, needed })],
      reviewQueue: ['N-3'],
    } as unknown as Catalogue;
    expect(reviewList(catalogue).cards.map((c) => c.note)).toEqual([
      'Not sure: waiting for staff (best guess “Urkunde”, 99.977%)',
    ]);
  });
});
