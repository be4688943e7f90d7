import { describe, expect, it } from 'vitest';
import { changedAnswers, renamedGuesses } from '../../pipeline/registry/annotation-changes.ts';
import type { Annotation } from '../../pipeline/types.ts';

/*
 * A reviewer: after "vessel" was renamed "pot" and "mask" removed from the vocabulary, what a new model changed of the
 * answers shown left out every object whose earlier guess was vessel or mask: "vessel" to "coin" and "mask" to
 * "figurine" are changes of judgement, not the rename, and the public’s "Recent changes" did not count them.
 */

const guess = (id: string, label: string): Annotation =>
  ({ id, label, confidence: 0.9, modelVersion: 'v', published: true }) as unknown as Annotation;

describe('the guesses a new model made under a type’s new name', () => {
  it('are the renamed ones only: a retired type’s objects guessed as another, older type are counted', () => {
    const before = [guess('A', 'vessel'), guess('A2', 'vessel'), guess('B', 'vessel'), guess('C', 'mask')];
    before.push(guess('D', 'coin'), guess('E', 'figurine'));
    const after = [guess('A', 'pot'), guess('A2', 'pot'), guess('B', 'coin'), guess('C', 'figurine')];
    after.push(guess('D', 'figurine'), guess('E', 'figurine'));
    const retired = new Set(['A', 'A2', 'B', 'C']);
    const renamed = renamedGuesses({ before, after, retired });
    expect([...renamed].sort()).toEqual(['A', 'A2']);
    const changed = changedAnswers({ before, after, held: renamed }).map((c) => `${c.id}:${c.before}>${c.after}`);
    expect(changed.sort()).toEqual(['B:vessel>coin', 'C:mask>figurine', 'D:coin>figurine']);
  });
});
