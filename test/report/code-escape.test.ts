import { describe, expect, it } from 'vitest';
import { code } from '../../pipeline/report/markdown.ts';

/*
 * `code()` (inline code: commit hashes, branch names, paths) kept bidi controls: a branch named with U+202E
 * (right-to-left override) reads backwards inside the backticks, so "main" and a look-alike could be confused.
 * They are removed, as `text` removes them.
 */

describe('inline code', () => {
  it('drops bidi controls (U+202A–U+202E, U+2066–U+2069) and other control characters', () => {
    const controls = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const c of controls) expect(code(`fix${c}niam`)).toBe('`fixniam`');
    expect(code('a\u0000b\u0007c\u007f')).toBe('`abc`');
    expect(code('\u202e\u2066')).toBe('');
  });

  it('keeps what it kept before: text without backticks, line breaks or bars', () => {
    expect(code('e848d709e50a')).toBe('`e848d709e50a`');
    expect(code('a`b|c\nd')).toBe('`abcd`');
    expect(code('café/été')).toBe('`café/été`');
  });
});
