import { describe, expect, it } from 'vitest';
import { paramsTexts } from '../fixtures/params-file.ts';

/*
 * Tester (session 49): a no-break space (U+00A0) pasted at the start of a params.yaml line got "params.yaml:115: this
 * line starts with 2 spaces, so YAML cannot tell which section it belongs to", naming the line after the broken one
 * and advising spaces that were already there. Other characters that print as nothing or as a space, at a line’s
 * start or inside a setting’s name, gave "unknown key" with the character unseen. Each case failed before the fix.
 */

const { load, errorOf } = paramsTexts({ prefix: 'vitrine-params-invisible-' });

const lines = [
  'collection:',
  '  name: Test Museum',
  '  vocabulary: [coin, mask]',
  'gate:',
  '  max_macro_f1_drop: 0.02',
  '  min_class_f1: 0.3',
  '  min_macro_f1: 0.5',
  '  min_test_objects: 30',
  '  min_unseen_macro_f1: 0',
  'annotate:',
  '  min_precision: 0.9',
];
/** The file with line `n` (1-based) written as `line`. */
const withLine = (n: number, line: string) => lines.map((l, i) => (i === n - 1 ? line : l)).join('\n') + '\n';

describe('params.yaml with an invisible character where YAML reads layout', () => {
  it('a no-break space at the start of a line names that line and says to replace it with a space', async () => {
    const message = await errorOf(withLine(8, '\u00a0 min_test_objects: 30'), 'PARAMS_YAML');
    expect(message).toBe(
      'params.yaml:8: this line starts with a no-break space (U+00A0), which YAML does not count as indentation: ' +
        'replace it with an ordinary space.',
    );
  });

  it('other space-like characters at a line’s start are named the same way', async () => {
    for (const [character, name] of [
      ['\u202f', 'a narrow no-break space (U+202F)'],
      ['\u3000', 'an ideographic space (U+3000)'],
    ] as const) {
      const message = await errorOf(withLine(8, `${character} min_test_objects: 30`), 'PARAMS_YAML');
      expect(message).toBe(
        `params.yaml:8: this line starts with ${name}, which YAML does not count as indentation: replace it with ` +
          'an ordinary space.',
      );
    }
    // Two of them: both are to be replaced.
    expect(await errorOf(withLine(8, '\u00a0\u00a0min_test_objects: 30'), 'PARAMS_YAML')).toContain(
      'params.yaml:8: this line starts with 2 no-break spaces (U+00A0), which YAML does not count as indentation: ' +
        'replace them with ordinary spaces.',
    );
  });

  it('a zero-width character at a line’s start or after its spaces is to be deleted', async () => {
    expect(await errorOf(withLine(8, '\u200b  min_test_objects: 30'), 'PARAMS_YAML')).toBe(
      'params.yaml:8: this line starts with a zero-width space (U+200B), an invisible character that YAML ' +
        'does not count as indentation: delete it.',
    );
    expect(await errorOf(withLine(8, '\ufeff  min_test_objects: 30'), 'PARAMS_YAML')).toContain(
      'params.yaml:8: this line starts with a zero-width no-break space (U+FEFF)',
    );
    // After the spaces, it is read as part of the setting’s name.
    expect(await errorOf(withLine(8, '  \u200bmin_test_objects: 30'), 'PARAMS_YAML')).toBe(
      'params.yaml:8: this line has a zero-width space (U+200B) before "min_test_objects", an invisible character ' +
        'that YAML reads as part of the name: delete it.',
    );
    // A no-break space there: as a space, the line would be indented deeper than the settings around it.
    expect(await errorOf(withLine(8, '  \u00a0min_test_objects: 30'), 'PARAMS_YAML')).toBe(
      'params.yaml:8: this line has a no-break space (U+00A0) before "min_test_objects", which YAML reads as part ' +
        'of the name: delete it.',
    );
  });

  it('an invisible character inside a setting’s or a section’s name is named, with its line', async () => {
    expect(await errorOf(withLine(8, '  min_test\u200b_objects: 30'), 'PARAMS_YAML')).toBe(
      'params.yaml:8: the name "min_test_objects" has a zero-width space (U+200B) in it, an invisible character ' +
        'that makes it another name to YAML: delete it.',
    );
    expect(await errorOf(withLine(4, '\u00a0gate:'), 'PARAMS_YAML')).toBe(
      'params.yaml:4: this line starts with a no-break space (U+00A0), which YAML reads as part of the name "gate": ' +
        'delete it.',
    );
    expect(await errorOf(withLine(4, 'gate\u3000:'), 'PARAMS_YAML')).toBe(
      'params.yaml:4: the name "gate" has an ideographic space (U+3000) in it, which makes it another name to ' +
        'YAML: delete it.',
    );
    expect(await errorOf(withLine(8, '  min_test_objects:\u00a030'), 'PARAMS_YAML')).toBe(
      'params.yaml:8: this line has a no-break space (U+00A0) after "min_test_objects:", which YAML does not read ' +
        'as a space: replace it with an ordinary space.',
    );
    // A museum’s own name (a period’s) may hold a no-break space: it is no setting’s name, and is read (with a plain
    // space, as dates are: space-like-labels.test.ts).
    const periods = await load(`${lines.join('\n')}\ncatalogue:\n  periods:\n    Neues\u00a0Reich: [-1550, -1070]\n`);
    expect(periods.catalogue.periods).toEqual({ 'Neues Reich': [-1550, -1070] });
  });

  it('still reads a byte order mark at the file’s start, and such characters inside values and comments', async () => {
    const text = `\ufeff${withLine(2, '  name: Musée\u00a0d’Orsay # pasted\u200b')}`.replace(
      'annotate:',
      '# a\u00a0note\nannotate:',
    );
    const params = await load(text);
    expect(params.collection.name).toBe('Musée\u00a0d’Orsay');
    // A text block’s lines are text, whatever they start with.
    const block = await load(withLine(2, '  name: |\n    \u00a0Musée\n    \u200bd’Orsay'));
    expect(block.collection.name).toBe('\u00a0Musée\n\u200bd’Orsay\n');
  });

  it('reads valid files whose values or museum’s own names hold such characters (review, session 49)', async () => {
    // A double-quoted name carried on to the next line: that line is the name’s text, not layout.
    const quoted = await load(withLine(2, '  name: "Musée\n    \u00a0d’Orsay"'));
    expect(quoted.collection.name).toBe('Musée \u00a0d’Orsay');
    // A list written over several lines in brackets: its lines are labels, an Arabic one after a right-to-left mark.
    const flow = await load(withLine(3, '  vocabulary: [\n    \u200fعملة,\n    قناع\n  ]'));
    expect(flow.collection.vocabulary).toEqual(['\u200fعملة', 'قناع']);
    // A label holding a colon and a no-break space is a label ("Epoche:\u00a0Neu"), as YAML reads it; read, as
    // labels.csv's are, with a plain space (space-like-labels.test.ts).
    const colon = await load(withLine(3, '  vocabulary:\n    - Epoche:\u00a0Neu\n    - mask'));
    expect(colon.collection.vocabulary).toEqual(['Epoche: Neu', 'mask']);
    // A period’s Arabic name after a right-to-left mark: a museum’s own name, no setting’s.
    const periods = await load(
      `${lines.join('\n')}\ncatalogue:\n  periods:\n    \u200fالدولة الحديثة: [-1550, -1070]\n`,
    );
    expect(periods.catalogue.periods).toEqual({ '\u200fالدولة الحديثة': [-1550, -1070] });
  });

  it('a label in a list over several lines that starts with an ideographic space is called a label', async () => {
    const message = await errorOf(withLine(3, '  vocabulary: [\n    coin,\n    \u3000mask\n  ]'));
    expect(message).toContain(
      'the label "collection.vocabulary.1" ("<U+3000>mask") has a character that looks like a space (U+3000, an ' +
        'ideographic space) before "mask": delete it.',
    );
    expect(message).not.toContain('part of the name');
  });
});

// Session 50 (brief): in a value, such a character was named only as "is "0.9​", expected a number: delete the
// zero-width space (U+200B) in it", with the character unseen in the value shown, and in a label not at all: the
// label "Pottery\u200b" was taken, and matched no line of labels.csv.
describe('params.yaml with an invisible character inside a value', () => {
  it('in a number: names the character, where it is, that it makes the number text, and to delete it', async () => {
    expect(await errorOf(withLine(11, '  min_precision: 0.9\u00a0'))).toBe(
      'params.yaml is not valid:\n  params.yaml:11: "annotate.min_precision" (0.9) has a character that looks like ' +
        'a space (U+00A0, a no-break space) after "0.9", which makes it text to YAML, not a number: delete it.',
    );
    expect(await errorOf(withLine(11, '  min_precision: 0.9\u200b'))).toContain(
      'params.yaml:11: "annotate.min_precision" (0.9) has an invisible character (U+200B, a zero-width space) after ' +
        '"0.9", which makes it text to YAML, not a number: delete it.',
    );
    expect(await errorOf(withLine(8, '  min_test_objects: 3\ufeff0'))).toContain(
      'params.yaml:8: "gate.min_test_objects" (30) has an invisible character (U+FEFF, a zero-width no-break space) ' +
        'inside it, after "3", which makes it text to YAML, not a number: delete it.',
    );
    expect(await errorOf(withLine(8, '  min_test_objects: "\u200b\u200b30"'))).toContain(
      'params.yaml:8: "gate.min_test_objects" (30) has 2 invisible characters (U+200B, a zero-width space) before ' +
        '"30", which make it text to YAML, not a number: delete them, and the quotes.',
    );
  });

  it('in a label: refuses it, naming the character and where it is, as labels.csv must match it', async () => {
    const message = await errorOf(withLine(3, '  vocabulary: [coin, Pottery\u200b]'));
    expect(message).toBe(
      'params.yaml is not valid:\n  params.yaml:3: the label "collection.vocabulary.1" ("Pottery<U+200B>") has an ' +
        'invisible character (U+200B, a zero-width space) after "Pottery": delete it. A label is matched letter for ' +
        'letter with the labels of labels.csv, which this one would not match as it is written.',
    );
    expect(await errorOf(withLine(3, '  vocabulary:\n    - coin\n    - Pot\ufefftery'))).toContain(
      'params.yaml:5: the label "collection.vocabulary.1" ("Pot<U+FEFF>tery") has an invisible character (U+FEFF, a ' +
        'zero-width no-break space) inside it, after "Pot": delete it.',
    );
    expect(await errorOf(withLine(3, '  vocabulary: [coin, "Pottery\u00a0"]'))).toContain(
      'params.yaml:3: the label "collection.vocabulary.1" ("Pottery<U+00A0>") has a character that looks like a ' +
        'space (U+00A0, a no-break space) after "Pottery": delete it.',
    );
  });

  it('still reads labels whose right-to-left marks and joiners belong to their script', async () => {
    const rtl = await load(withLine(3, '  vocabulary: [\u200fעֲצִיץ, \u200fعملة\u200f, می\u200cخواهم]'));
    expect(rtl.collection.vocabulary).toEqual(['\u200fעֲצִיץ', '\u200fعملة\u200f', 'می\u200cخواهم']);
  });
});
