import { describe, expect, it } from 'vitest';
import { reviewSummary, reviewTally } from '../../pipeline/catalogue/pages.ts';
import type { Catalogue, CatalogueObject } from '../../pipeline/catalogue/schema.ts';

/*
 * An outside tester read "50 staff labels that may be wrong" from the evaluate stage and 72 on the review page: the
 * page counted the objects the model merely disagrees with among them. They are named apart, and the evaluate stage
 * counts what the page calls "may be wrong" (labelsThatMayBeWrong).
 */

const queued = (reviewReason: CatalogueObject['reviewReason']) =>
  ({
    needsReview: true,
    reviewReason,
    annotation: { label: 'coin', published: reviewReason !== 'waiting' },
  }) as unknown as CatalogueObject;

describe('the review queue’s summary', () => {
  it('names the labels the check questions apart from those the model only disagrees with', () => {
    const catalogue = {
      objects: [queued('label-issue'), queued('label-issue'), queued('disagrees'), queued('waiting')],
    } as unknown as Catalogue;
    expect(reviewSummary(catalogue)).toBe(
      '4 objects to review: 2 staff labels that may be wrong, 1 staff label the model disagrees with, ' +
        '1 guess not sure enough to publish',
    );
    expect(reviewTally(catalogue).partial).toBe(false);
  });
});

/*
 * Tester C and the reviewer: the queue holds at most catalogue.review_queue objects, and a guess not sure enough to
 * publish whose label also looks wrong is counted once, as a label. The evaluate stage said 143 labels may be wrong
 * and the review page 100; the page said 7 guesses not sure enough to publish and the Predicted type filter’s
 * “Not sure: waiting for staff” 12. The summary says both totals now ("100 of the 143").
 */
const annotated = (
  reviewReason: CatalogueObject['reviewReason'] | null,
  annotation: { published: boolean; unfamiliar?: true; noThreshold?: true; flagged?: boolean },
) =>
  ({
    needsReview: reviewReason !== null,
    reviewReason,
    annotation: {
      label: 'coin',
      published: annotation.published,
      ...(annotation.unfamiliar ? { unfamiliar: true } : {}),
      ...(annotation.noThreshold ? { noThreshold: true } : {}),
      ...(annotation.flagged !== undefined ? { labelIssue: { flagged: annotation.flagged, score: 0.2 } } : {}),
    },
  }) as unknown as CatalogueObject;

describe('the review queue’s summary, when its objects are not all the collection has of a kind', () => {
  it('says how many labels may be wrong in all when the queue’s limit left some out', () => {
    const catalogue = {
      objects: [
        annotated('label-issue', { published: true, flagged: true }),
        annotated('label-issue', { published: true, flagged: true }),
        annotated(null, { published: true, flagged: true }),
        annotated(null, { published: true, flagged: false }),
      ],
    } as unknown as Catalogue;
    expect(reviewSummary(catalogue)).toBe('2 objects to review: 2 of the 3 staff labels that may be wrong');
    // The review page then says why (the queue’s limit, one reason per object).
    expect(reviewTally(catalogue).partial).toBe(true);
  });

  it('says how many guesses are not sure enough to publish in all, as the Predicted type filter counts them', () => {
    const catalogue = {
      objects: [
        annotated('waiting', { published: false }),
        annotated('waiting', { published: false }),
        annotated('label-issue', { published: false, flagged: true }),
        annotated(null, { published: false }),
        annotated('waiting', { published: false, unfamiliar: true }),
        annotated(null, { published: false, unfamiliar: true }),
        annotated(null, { published: true }),
      ],
    } as unknown as Catalogue;
    expect(reviewSummary(catalogue)).toBe(
      '4 objects to review: 1 staff label that may be wrong, 2 of the 4 guesses not sure enough to publish, ' +
        '1 of the 2 photographs unlike those the model learned from',
    );
  });

  // The reviewer: guesses of a type with no publication threshold (the filter’s “Not published: model not yet reliable on this type”)
  // were counted as “not sure”, and with the queue’s limit reached the held-back guesses were not mentioned at all.
  it('counts guesses of a type never published apart, and gives totals the queue holds none of', () => {
    const catalogue = {
      objects: [
        annotated('label-issue', { published: true, flagged: true }),
        annotated(null, { published: true, flagged: true }),
        annotated(null, { published: false }),
        annotated(null, { published: false, noThreshold: true }),
        annotated(null, { published: false, noThreshold: true }),
        annotated(null, { published: false, unfamiliar: true }),
      ],
    } as unknown as Catalogue;
    expect(reviewSummary(catalogue)).toBe(
      '1 object to review: 1 of the 2 staff labels that may be wrong, 0 of the 1 guess not sure enough to publish, ' +
        '0 of the 2 guesses of types the model publishes no guess of yet, 0 of the 1 photograph unlike those the ' +
        'model learned from',
    );
    expect(reviewTally(catalogue).partial).toBe(true);
  });
});

/*
 * Helper L, session 52: a staff label the check of every label questions but the model shown agrees with is called
 * "worth a second look" on its card and page, not "may be wrong"; the summary still counted it among the "staff labels
 * that may be wrong". Counted apart now, each with the words its card uses.
 */
const checked = ({ agrees, flagged = true }: { agrees?: boolean; flagged?: boolean }, queuedToo = true) =>
  ({
    needsReview: queuedToo,
    reviewReason: queuedToo ? 'label-issue' : null,
    annotation: {
      label: 'coin',
      published: true,
      labelIssue: { flagged, score: 0.7 },
      ...(agrees !== undefined ? { agrees } : {}),
    },
  }) as unknown as CatalogueObject;

describe('the review queue’s summary of the labels the check questions', () => {
  it('counts those the model shown agrees with as worth a second look, apart from those that may be wrong', () => {
    const catalogue = {
      objects: [checked({ agrees: false }), checked({}), checked({ agrees: true }), checked({ flagged: false })],
    } as unknown as Catalogue;
    expect(reviewSummary(catalogue)).toBe(
      '4 objects to review: 2 staff labels that may be wrong, 2 staff labels worth a second look',
    );
  });

  it('gives each its total when the queue’s limit left some out', () => {
    const catalogue = {
      objects: [checked({ agrees: true }), checked({ agrees: true }, false), checked({}), checked({}, false)],
    } as unknown as Catalogue;
    expect(reviewSummary(catalogue)).toBe(
      '2 objects to review: 1 of the 2 staff labels that may be wrong, 1 of the 2 staff labels worth a second look',
    );
    expect(reviewTally(catalogue).partial).toBe(true);
  });
});
