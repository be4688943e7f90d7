import { describe, expect, it } from 'vitest';
import { stageWords } from '../../pipeline/catalogue/pages.ts';
import { BUMP_MEANING, stageName } from '../../pipeline/registry/words.ts';

// The stage and version-change words were written three and two times over (card, model page, home page) and had
// drifted apart: the home page said "(staging)", the model page "in staging", the card "Stage: **staging**".
describe('the registry’s words for the public', () => {
  it('names a stage the same way wherever it is shown', () => {
    expect(stageName('prod')).toBe('in production');
    expect(stageName('staging')).toBe('in staging');
    expect(stageName('review-2026')).toBe('“review-2026”');
    expect(stageWords(['prod', 'staging'], true)).toBe(
      'In production: its predictions are the ones shown on object pages.',
    );
    expect(stageWords(['staging'], false)).toBe('Stage: in staging (being tried before production).');
    expect(stageWords(['review-2026'], false)).toBe('Stage: “review-2026”.');
  });

  it('says what each kind of new version means without the word bump', () => {
    expect(Object.keys(BUMP_MEANING).sort()).toEqual(['major', 'minor', 'patch']);
    for (const meaning of Object.values(BUMP_MEANING)) expect(meaning).not.toMatch(/bump|semver/i);
  });
});
