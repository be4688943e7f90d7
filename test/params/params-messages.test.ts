import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../pipeline/params.ts';
import { paramsTexts } from '../fixtures/params-file.ts';

/*
 * A tester's misleading params.yaml messages: ".nan" was said to be null, a file holding a list named the key ""
 * and expected "a object", a billion epochs were accepted (the run would never end), and long values were printed
 * whole. Each case failed before the fix.
 */

const { load, errorOf } = paramsTexts({ prefix: 'vitrine-params-messages-' });

describe('params.yaml messages', () => {
  it('a value that is not a number (.nan, .inf) is shown as written, not as null', async () => {
    const nan = await errorOf('train: {epochs: .nan}\n');
    expect(nan).toContain('"train.epochs" is .nan (not a number), expected a');
    expect(nan).not.toContain('null');
    expect(await errorOf('train:\n  learning_rate: .inf\n')).toContain('"train.learning_rate" is .inf');
  });

  it('a file holding a list names the whole file and expects a mapping, in plain words', async () => {
    const message = await errorOf('- a\n- b\n');
    expect(message).not.toContain('""');
    expect(message).not.toContain('a object');
    expect(message).toContain('params.yaml: the file holds a list (["a","b"])');
    expect(message).toContain('expected a mapping (key: value lines)');
  });

  it('names the expected kinds in plain words: a mapping, a list, a number', async () => {
    expect(await errorOf('train: 5\n')).toContain('"train" is 5, expected a mapping (key: value lines)');
    expect(await errorOf('evaluate:\n  factors: department\n')).toContain('expected a list');
    expect(await errorOf('evaluate:\n  alpha: [1]\n')).toContain('expected a number');
    expect(await errorOf('train:\n  augment: "yes"\n')).toContain('expected true or false');
  });

  it('refuses values so large that a run would never end, and says why', async () => {
    for (const [text, key] of [
      ['train:\n  epochs: 1000000000\n', 'train.epochs'],
      ['train:\n  batch_size: 1000000000\n', 'train.batch_size'],
      ['train:\n  patience: 1000000000\n', 'train.patience'],
      ['train:\n  hidden_units: 1000000000\n', 'train.hidden_units'],
      ['evaluate:\n  bootstrap: 1000000000\n', 'evaluate.bootstrap'],
      ['monitor:\n  permutations: 1000000000\n', 'monitor.permutations'],
      ['demo:\n  per_type: 1000000000\n', 'demo.per_type'],
    ] as const) {
      const message = await errorOf(text);
      expect(message).toContain(`"${key}" is 1000000000, expected at most`);
      expect(message).toMatch(/at most [\d,]+ \(.{10,}\)/);
    }
    // The defaults and generous values are still accepted.
    const generous = await load('train:\n  epochs: 2000\n  batch_size: 4096\nevaluate:\n  bootstrap: 20000\n');
    expect(generous.train.epochs).toBe(2000);
    expect(defaultParams().train.epochs).toBe(80);
  });

  it('cuts a long value in the message', async () => {
    const long = 'x'.repeat(3000);
    const message = await errorOf(`train:\n  epochs: "${long}"\n`);
    expect(message.length).toBeLessThan(400);
    expect(message).toContain('…');
  });
});

// Outside tester 4 (F6): `background: #000000` without quotes was "is null, expected text" (YAML reads "#…" as a
// comment), and a vocabulary entry `- ""` was 'is "", expected at least 1' (at least 1 what?).
describe('params.yaml messages a staff member would misread', () => {
  it('a value starting with # written without quotes: says YAML read it as a comment and to put it in quotes', async () => {
    const message = await errorOf('dataset:\n  image:\n    background: #000000\n');
    expect(message).toContain(
      'params.yaml:3: "dataset.image.background" has no value: YAML reads #000000 as a comment. A value starting ' +
        'with # must be in quotes: background: "#000000"',
    );
    expect(message).not.toContain('null');
    // A comment after the value is not taken for it.
    expect(await errorOf('dataset:\n  image:\n    background: #000000 # black\n')).toContain('background: "#000000"');
    // Nothing after the key at all: no word of quotes.
    expect(await errorOf('dataset:\n  image:\n    background:\n')).not.toContain('quotes');
    // A real comment where the value would be ("# fill in"): no quotes advised for it (a reviewer).
    expect(await errorOf('dataset:\n  image:\n    background: # fill in\n')).not.toContain('quotes');
  });

  it('an empty label in the vocabulary is said to be one, with what to do', async () => {
    const message = await errorOf('collection:\n  vocabulary:\n    - coin\n    - ""\n    - mask\n');
    expect(message).toContain(
      'params.yaml:4: "collection.vocabulary.1" is an empty label (""): remove that line or write the label',
    );
    expect(message).not.toContain('at least 1');
  });
});
