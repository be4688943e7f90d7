import { describe, expect, it } from 'vitest';
import { chanceWords } from '../../pipeline/evaluate/verdict-words.ts';

// An outside tester read "p = 0.012" on the model card with no word on what it means.
describe('chanceWords', () => {
  it('says how often chance alone would give a change as large', () => {
    expect(chanceWords(0.012)).toBe(
      'with no real difference, one this large would turn up by chance about 1 time in 80',
    );
    expect(chanceWords(0.002)).toContain('about 1 time in 500');
    expect(chanceWords(0.0004)).toContain('less than 1 time in 1,000');
    expect(chanceWords(0.05)).toContain('about 1 time in 20');
    expect(chanceWords(0.1)).toContain('about 1 time in 10');
    expect(chanceWords(0.705)).toContain('about 7 times in 10');
    expect(chanceWords(0.98)).toContain('nearly always');
    expect(chanceWords(null)).toBe('');
  });
});
