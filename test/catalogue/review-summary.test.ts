import { describe, expect, it } from 'vitest';
import { reviewSummary } from '../../pipeline/catalogue/pages.ts';
import type { Catalogue, CatalogueObject } from '../../pipeline/catalogue/schema.ts';

/*
 * An outside tester read "50 staff labels that may be wrong" from the evaluate stage and 72 on the review page: the
 * page counted the objects the model merely disagrees with among them. They are named apart, and the evaluate stage
 * counts what the page calls "may be wrong" (labelsThatMayBeWrong).
 */

const queued = (reviewReason: CatalogueObject['reviewReason']) =>
  ({ needsReview: true, reviewReason, annotation: { label: 'coin' } }) as unknown as CatalogueObject;

describe('the review queue’s summary', () => {
  it('names the labels the check questions apart from those the model only disagrees with', () => {
    const catalogue = {
      objects: [queued('label-issue'), queued('label-issue'), queued('disagrees'), queued('waiting')],
    } as unknown as Catalogue;
    expect(reviewSummary(catalogue)).toBe(
      '4 objects to review: 2 staff labels that may be wrong, 1 staff label the model disagrees with, ' +
        '1 guess not sure enough to publish',
    );
  });
});
