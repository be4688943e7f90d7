import { describe, expect, it } from 'vitest';
import { crossValidationCardLines } from '../../pipeline/registry/card.ts';
import type { Metrics } from '../../pipeline/types.ts';

const iv = (value: number, low: number, high: number) => ({ value, low, high });
const publication = {
  minPrecision: 0.9,
  thresholds: { coin: 0.62, mask: null },
  n: 300,
  coverage: iv(0.81, 0.76, 0.85),
  precision: iv(0.93, 0.9, 0.96),
};

describe('the model card on unfamiliar photographs', () => {
  it('says that annotations of photographs unlike the labelled ones are held back, and how unlike', () => {
    const metrics = {
      publication: { ...publication, familiarity: { k: 5, quantile: 0.95, cut: 0.41, reference: 298 } },
    } as unknown as Metrics;
    const text = crossValidationCardLines(metrics).join('\n');
    expect(text).toContain(
      'Annotations of objects whose photographs are unlike the ones the model learned from are held back',
    );
    expect(text).toContain('than 95% of the 298 labelled photographs are from theirs');
    // In the catalogue's words (site/src/pages/objects/[slug].astro, the review page): not "not sure", which the
    // card keeps for guesses below the confidence asked for.
    expect(text).toContain(
      'the catalogue shows them as "Photograph unlike those the model learned from: waiting for staff", not as "Not sure"',
    );
    expect(text).toContain('the guesses it is less sure of are shown as "Not sure: waiting for staff"');
    expect(text).toContain('this holds back about 5% of what it would publish');
  });

  it('says nothing of it for a metrics.json without the familiarity cut', () => {
    const text = crossValidationCardLines({ publication } as unknown as Metrics).join('\n');
    expect(text).toContain('the guesses it is less sure of are shown as "Not sure: waiting for staff"');
    expect(text).not.toContain('unlike the ones the model learned from');
    expect(text).not.toContain('Photograph unlike those the model learned from');
  });

  it('says too few labelled photographs kept the check from being applied', () => {
    const metrics = {
      publication: { ...publication, familiarityNotApplied: { reference: 4, k: 5 } },
    } as unknown as Metrics;
    const text = crossValidationCardLines(metrics).join('\n');
    expect(text).toContain(
      'There were too few labelled photographs (4) to judge which photographs are unlike them, so the check',
    );
  });

  it('says no type reached the wanted precision when every threshold is null', () => {
    const none = { ...publication, thresholds: { coin: null, mask: null } };
    const text = crossValidationCardLines({ publication: none } as unknown as Metrics).join('\n');
    expect(text).toContain(
      'No type reached the wanted precision of 0.9 on the labelled objects, so nothing is published as fact',
    );
  });
});
