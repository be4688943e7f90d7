import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { parseParams } from '../../pipeline/params.ts';

/*
 * YAML's extras a museum never needs, which made a section load as the defaults: `!!omap` and `!!set` became a JS
 * Map or Set that the schema took for a mapping with no keys, and `%YAML 1.1` brings merge keys (`<<:`). A reviewer
 * found a pull request could hide a strict gate behind them. Each is refused with the line and what to write.
 */

function problemOf(text: string): string {
  try {
    parseParams({ text, name: 'params.yaml' });
  } catch (error) {
    if (isVitrineError(error, 'PARAMS_YAML')) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('params.yaml: only plain YAML', () => {
  it('refuses !!omap and !!set, naming the line', () => {
    const omap = problemOf('train:\n  epochs: 3\ngate: !!omap\n  - min_macro_f1: 0.6\n');
    expect(omap).toBe(
      'params.yaml: line 3 uses `!!omap`, which Vitrine does not read: write the section as plain `key: value` lines.',
    );
    expect(problemOf('gate: !!set\n  ? min_macro_f1\n')).toContain('line 1 uses `!!set`');
    expect(problemOf('collection:\n  name: !custom x\n')).toContain('line 2 uses `!custom`');
    // A tag on one value: the advice is to remove it, not to rewrite a section.
    expect(problemOf('collection:\n  name: !!timestamp 2001-12-14\n')).toContain(
      'line 2 uses `!!timestamp`, which Vitrine does not read: remove `!!timestamp` and write the value alone.',
    );
    expect(problemOf('collection:\n  name: !!binary aGVsbG8=\n')).toContain('`!!binary`');
  });

  it('refuses %YAML 1.1 and merge keys', () => {
    expect(problemOf('%YAML 1.1\n---\ntrain:\n  epochs: 12\n')).toContain('line 1 asks for `%YAML 1.1`');
    expect(problemOf('<<: {gate: {min_macro_f1: 0.6}}\n')).toContain('line 1 uses a merge key (`<<:`)');
    expect(problemOf('gate:\n  <<: {min_macro_f1: 0.6}\n')).toContain('line 2 uses a merge key');
  });

  it('accepts the plain tags and plain YAML', () => {
    const params = parseParams({
      text: '%YAML 1.2\n---\ngate:\n  min_macro_f1: !!float 0.6\ncollection:\n  name: !!str 12\n',
      name: 'params.yaml',
    });
    expect(params.gate.min_macro_f1).toBe(0.6);
    expect(params.collection.name).toBe('12');
  });
});
