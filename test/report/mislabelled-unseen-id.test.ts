import { describe, expect, it } from 'vitest';
import { mislabelledSection } from '../../pipeline/report/mislabelled.ts';
import type { Metrics } from '../../pipeline/types.ts';

/*
 * Reviewer V34 M1: "Objects that look mislabelled" printed an id raw: one holding a zero-width space read as another
 * object's id, one with a right-to-left override turned its row round. Each such character is written by its code,
 * as everywhere in the report (visibleId).
 */

const row = (id: string, extra: object = {}) => ({
  id,
  label: 'print',
  suggested: 'drawing',
  confidence: 0.9,
  score: 0.8,
  confident: true,
  ...extra,
});

describe('the table of objects that look mislabelled', () => {
  it('writes a character no id may hold by its code, in the row and in a look-alike', () => {
    const metrics = {
      mislabelled: {
        checked: 10,
        candidates: 2,
        confident: 1,
        top: [
          row('DM-0005\u200b'),
          row('DM-0007', { lookAlike: { id: 'DM-\u202e0006', label: 'drawing', similarity: 0.97 } }),
        ],
      },
    } as unknown as Metrics;
    const md = mislabelledSection({
      metrics,
      links: () => ({ thumbnailUrl: null, pageUrl: null }),
      titleOf: () => '',
    });
    expect(md).toContain('DM-0005⟨U+200B⟩');
    expect(md).toContain('DM-⟨U+202E⟩0006');
    expect(md).not.toMatch(/[\u200b\u202e]/);
  });
});
