import { describe, expect, it } from 'vitest';
import { labelChangeWords } from '../../pipeline/evaluate/verdict-words.ts';

/*
 * A re-import tester: an import that added 130 labelled objects was summed up as "130 label changes" (the report
 * stage) and "130 labels changed since main" (the evaluate stage), while the report itself said "130 objects newly
 * labelled". The summaries now say which.
 */

describe('label changes in a run summary', () => {
  it('says newly labelled, changed and removed apart', () => {
    expect(labelChangeWords({ changed: 130, added: 130, removed: 0 })).toBe('130 objects newly labelled');
    expect(labelChangeWords({ changed: 5, added: 0, removed: 0 })).toBe('5 labels changed');
    expect(labelChangeWords({ changed: 6, added: 3, removed: 1 })).toBe(
      '2 labels changed, 3 objects newly labelled and 1 label removed',
    );
    expect(labelChangeWords({ changed: 1, added: 1, removed: 0 })).toBe('1 object newly labelled');
    expect(labelChangeWords({ changed: 0, added: 0, removed: 0 })).toBe('no label changes');
    // A metrics.json written before the counts were recorded: the total, as before.
    expect(labelChangeWords({ changed: 4 })).toBe('4 labels changed');
  });

  // The museum’s maintainer: a pull request renaming a label logged "84 labels changed" where its report said
  // "84 renamed (the same label under its new name)".
  it('says renamed labels as the report does, apart from labels changed', () => {
    expect(labelChangeWords({ changed: 84, renamed: 84 })).toBe('84 renamed (the same label under its new name)');
    expect(labelChangeWords({ changed: 86, added: 1, removed: 0, renamed: 84 })).toBe(
      '1 label changed, 84 renamed (the same label under its new name) and 1 object newly labelled',
    );
  });
});
