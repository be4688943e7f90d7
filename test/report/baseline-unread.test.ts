import { describe, expect, it } from 'vitest';
import { baselineScopeNote } from '../../pipeline/report/render.ts';
import type { Metrics } from '../../pipeline/types.ts';

/*
 * A baseline whose backbone could not read some test images is scored (and compared) on fewer objects
 * than this model: the report says why, without saying it trained on them.
 */

const baseline = (over: Partial<NonNullable<Metrics['baseline']>>) =>
  ({ version: 'v1.0.0', excluded: 0, splitChanged: false, ...over }) as NonNullable<Metrics['baseline']>;
const note = (b: NonNullable<Metrics['baseline']>) =>
  baselineScopeNote({ baseline: b, n: 11, who: 'the model in production', candidate: 'this change' })?.sentence;

describe('the scope of the comparison when the baseline could not read some images', () => {
  it('names the images it could not read, not training on them', () => {
    const sentence = note(baseline({ excluded: 1, unanswered: 1 }));
    expect(sentence).toContain('could not read the images of 1 of the 11 test objects');
    expect(sentence).not.toContain('trained on');
    expect(sentence).toContain("its figures come from the other 10, this change's from all 11");
  });

  it('names both when it also trained on some', () => {
    const sentence = note(baseline({ excluded: 3, unanswered: 1, splitChanged: true }));
    expect(sentence).toContain('trained on 2 of the 11 test objects');
    expect(sentence).toContain('could not read the images of 1');
    expect(sentence).toContain("its figures come from the other 8, this change's from all 11");
  });
});
