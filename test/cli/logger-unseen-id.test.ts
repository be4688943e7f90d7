import { describe, expect, it } from 'vitest';
import { terminalLogger } from '../../pipeline/cli/logger.ts';

/*
 * Reviewer V34 M1: the run log put a refused id before its message raw ("warning: object DM-0005" + U+200B, which
 * prints as "DM-0005") or as "DM-\u202e0006", though the message itself writes it "DM-<U+202E>0006": one way for both.
 */

function said(object: string, message: string, githubActions = false): string {
  let out = '';
  const log = terminalLogger({ write: (t) => (out += t), isTTY: false, githubActions });
  log.warn(message, { file: 'data/objects.csv', line: 7, object });
  return out;
}

describe('the object a log line is about, when its id holds a character no id may hold', () => {
  it('is written as the messages write it, by its code, and said once', () => {
    const message = 'data/objects.csv:7: the object id "DM-<U+202E>0006" contains an invisible character';
    expect(said('DM-\u202e0006', message)).toBe(`warning: ${message}\n`);
    const other = said('DM-0005\u200b', 'data/objects.csv:6: left out');
    expect(other).toBe('warning: object DM-0005<U+200B>: data/objects.csv:6: left out\n');
  });

  it('is written by its code in a GitHub annotation too', () => {
    const out = said('DM-\u202e0006', 'left out', true);
    expect(out).toContain('object DM-<U+202E>0006: left out');
    expect(out).not.toMatch(/\u202e|\\u202e/);
  });
});
