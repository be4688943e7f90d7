import { describe, expect, it } from 'vitest';
import { decideBump } from '../../pipeline/registry/semver.ts';

/*
 * Labels are read with every space-like character as a plain space (labelForm): a model registered before that
 * change has "Epoche:\u00a0Neu" where the next has "Epoche: Neu". It is the same class (a reviewer found the next
 * model made a major version, "added Epoche: Neu; removed Epoche: Neu").
 */
describe('the version bump compares labels as they are read', () => {
  const base = { data: 'd1', labelsMd5: 'l1' };

  it('a label with a no-break space in the earlier model is the same class, not one removed and one added', () => {
    const previous = { ...base, labels: ['Altes Reich', 'Epoche:\u00a0Neu'] };
    const next = { ...base, labels: ['Altes Reich', 'Epoche: Neu'] };
    expect(decideBump({ previous, next }).bump).toBe('patch');
    expect(decideBump({ previous, next: { ...next, labelsMd5: 'l2' } })).toEqual({
      bump: 'minor',
      reason: 'labels changed',
    });
  });

  it('a label really added is still a major version, named once', () => {
    const previous = { ...base, labels: ['Altes Reich', 'Epoche:\u00a0Neu'] };
    const next = { ...base, labels: ['Altes Reich', 'Epoche: Neu', 'Spätzeit'] };
    expect(decideBump({ previous, next })).toEqual({
      bump: 'major',
      reason: 'label vocabulary changed (added Spätzeit)',
    });
  });
});
