import { describe, expect, it } from 'vitest';
import { paramsTexts } from '../fixtures/params-file.ts';

/*
 * An outside tester: a vocabulary label with a bidi override pasted in ("co\u202ein", which reads "coni") or a control
 * character was taken as it was, and published so in the report, the model card and the catalogue: only zero-width
 * characters were refused. Control characters and the bidi embeddings, overrides and isolates
 * (control-characters.ts) are now refused as zero-width ones are, named with the line and the code point.
 */

const { load, errorOf } = paramsTexts({ prefix: 'vitrine-params-controls-' });

const file = (vocabulary: string) => `collection:\n  name: Test Museum\n  vocabulary: ${vocabulary}\n`;

describe('a vocabulary label with a control or bidi character', () => {
  it('a right-to-left override inside it is refused, named with its line and code point', async () => {
    expect(await errorOf(file('[mask, co\u202ein]'))).toBe(
      'params.yaml is not valid:\n  params.yaml:3: the label "collection.vocabulary.1" ("co<U+202E>in") has an ' +
        'invisible character (U+202E, a right-to-left override) inside it, after "co": delete it. A label is matched ' +
        'letter for letter with the labels of labels.csv, which this one would not match as it is written.',
    );
  });

  it('a bidi isolate and a control character are refused the same way', async () => {
    expect(await errorOf(file('[mask, "\u2067coin"]'))).toContain(
      'params.yaml:3: the label "collection.vocabulary.1" ("<U+2067>coin") has an invisible character (U+2067, a ' +
        'right-to-left isolate) before "coin": delete it.',
    );
    expect(await errorOf(file('[mask, "co\\ain"]'))).toContain(
      'params.yaml:3: the label "collection.vocabulary.1" ("co<U+0007>in") has an invisible character (U+0007, a ' +
        'control character) inside it, after "co": delete it.',
    );
    expect(await errorOf(file('[mask, "coin\\x9b"]'))).toContain(
      '("coin<U+009B>") has an invisible character (U+009B, a control character) after "coin": delete it.',
    );
  });

  it('labels without them are read as they are', async () => {
    const params = await load(file('[mask, coin, "\u200fعملة"]'));
    expect(params.collection.vocabulary).toEqual(['mask', 'coin', '\u200fعملة']);
  });
});
