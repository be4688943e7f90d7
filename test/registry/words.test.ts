import { describe, expect, it } from 'vitest';
import { stageWords } from '../../pipeline/catalogue/pages.ts';
import { BUMP_MEANING, stageName, stageNoun, stagesSentence } from '../../pipeline/registry/words.ts';

// The stage and version-change words were written three and two times over (card, model page, home page, run log)
// and had drifted apart: the home page said "(staging)", the card "Stage: **staging**", the log 'stage "prod"'.
// The card's own line is tested in card.test.ts, the run log's in registry.test.ts.
describe('the registry’s words for the public', () => {
  it('names a stage the same way wherever it is shown', () => {
    expect(['prod', 'staging', 'review'].map(stageName)).toEqual(['in production', 'in staging', 'in stage “review”']);
    expect(['prod', 'staging', 'review'].map(stageNoun)).toEqual(['production', 'staging', 'stage “review”']);
    expect(stagesSentence(['staging', 'review'])).toBe('In staging, in stage “review”');
    expect(stageWords(['prod', 'staging'], true)).toBe(
      'In production: its predictions are the ones shown on object pages.',
    );
    expect(stageWords(['staging'], false)).toBe('In staging (being tried before production).');
    expect(stageWords(['review'], false)).toBe('In stage “review”.');
    expect(stageWords(['staging', 'review'], false)).toBe(
      'In staging (being tried before production), in stage “review”.',
    );
    expect(stageWords([], false)).toBe('Not in production.');
  });

  it('says what each kind of new version means without the word bump', () => {
    expect(Object.keys(BUMP_MEANING).sort()).toEqual(['major', 'minor', 'patch']);
    for (const meaning of Object.values(BUMP_MEANING)) expect(meaning).not.toMatch(/bump|semver/i);
  });
});
