import { describe, expect, it } from 'vitest';
import { parseDate, periodList } from '../../pipeline/catalogue/dates.ts';
import { parseLabels } from '../../pipeline/collection/index.ts';
import { checkLabels } from '../../pipeline/dataset/validate.ts';
import { paramsTexts } from '../fixtures/params-file.ts';

/*
 * Outside tester: a no-break space (U+00A0) between the words of a label in params.yaml ("Epoche:\u00a0Neu", as a
 * word processor or a web page writes it) was accepted, and then matched no line of labels.csv, whose "Epoche: Neu"
 * has a plain space: every object of that label was "not one of the labels of this collection". The two print alike,
 * so both files now read every character that prints as a space as a plain space. catalogue.periods, the other
 * names staff type into params.yaml, were not checked for invisible characters at all.
 */

const { load, errorOf } = paramsTexts({ prefix: 'vitrine-space-like-' });

const params = (vocabulary: string[], more = '') =>
  `collection:\n  name: Test Museum\n  vocabulary:\n${vocabulary.map((l) => `    - "${l}"\n`).join('')}${more}`;

/** labels.csv's lines checked against the vocabulary as the dataset stage does. */
function check(vocabulary: string[], labels: string[]) {
  const text = `object_id,label\n${labels.map((l, i) => `O-${i + 1},${l}`).join('\n')}\n`;
  const lines = parseLabels({ text, file: 'labels.csv' });
  const objectIds = new Set(labels.map((_, i) => `O-${i + 1}`));
  return checkLabels({ labels: lines, objectIds, vocabulary, name: 'labels.csv' });
}

describe('a label with a space-like character between its words', () => {
  it('in params.yaml matches labels.csv’s lines with a plain space, and with any space-like character', async () => {
    const { vocabulary } = (await load(params(['Epoche:\u00a0Neu', 'Epoche: Alt']))).collection;
    expect(vocabulary).toEqual(['Epoche: Neu', 'Epoche: Alt']);
    const { labelOf, issues } = check(vocabulary, ['Epoche: Neu', 'Epoche:\u00a0Neu', 'Epoche:\u202fAlt']);
    expect(issues).toEqual([]);
    expect([...labelOf.values()]).toEqual(['Epoche: Neu', 'Epoche: Neu', 'Epoche: Alt']);
  });

  it('written twice, once with a plain space and once with a no-break space, is one label written twice', async () => {
    const message = await errorOf(params(['Epoche: Neu', 'Epoche:\u00a0Neu']));
    expect(message).toContain(
      'each label once: "Epoche: Neu" and "Epoche:<U+00A0>Neu" differ only in a character that prints as a space ' +
        '(U+00A0, a no-break space), so they are one label written twice',
    );
  });
});

describe('a tab or a run of spaces between a label’s words (labelForm: what prints as a space is one space)', () => {
  it('a tab between the words is read as a space, in params.yaml and in labels.csv', async () => {
    const { vocabulary } = (await load(params(['Epoche:\tNeu', 'Epoche: Alt']))).collection;
    expect(vocabulary).toEqual(['Epoche: Neu', 'Epoche: Alt']);
    const { labelOf, issues } = check(vocabulary, ['Epoche: Neu', 'Epoche:\tNeu', 'Epoche:\tAlt']);
    expect(issues).toEqual([]);
    expect([...labelOf.values()]).toEqual(['Epoche: Neu', 'Epoche: Neu', 'Epoche: Alt']);
  });

  it('a no-break space beside a plain one, or two spaces, are one space, in both files alike', async () => {
    const { vocabulary } = (await load(params(['Epoche:\u00a0 Neu', 'Epoche:  Alt']))).collection;
    expect(vocabulary).toEqual(['Epoche: Neu', 'Epoche: Alt']);
    const { labelOf, issues } = check(vocabulary, ['Epoche: Neu', 'Epoche: \u00a0Neu', 'Epoche:\u2009\u2009Alt']);
    expect(issues).toEqual([]);
    expect([...labelOf.values()]).toEqual(['Epoche: Neu', 'Epoche: Neu', 'Epoche: Alt']);
  });

  it('two vocabulary labels that differ only in how many spaces stand between words are one label twice', async () => {
    const message = await errorOf(params(['Epoche: Neu', 'Epoche:  Neu']));
    expect(message).toContain(
      'each label once: "Epoche: Neu" and "Epoche:  Neu" differ only in the spaces between their words (2 spaces ' +
        'or a tab where 1 space is), so they are one label written twice',
    );
    expect(message).not.toContain('()');
  });
});

describe('a vocabulary label that is only a character that prints as a space', () => {
  it('is said to be empty, with its line and what to do', async () => {
    const message = await errorOf(params(['coin', '\u00a0', 'mask']));
    expect(message).toBe(
      'params.yaml is not valid:\n  params.yaml:5: "collection.vocabulary.1" is an empty label: it holds only a ' +
        'character that looks like a space (U+00A0, a no-break space): remove that line or write the label',
    );
  });

  it('or only plain spaces or a tab, is said to be empty too', async () => {
    for (const blank of ['  ', '\t'])
      expect(await errorOf(params(['coin', blank, 'mask']))).toContain(
        'params.yaml:5: "collection.vocabulary.1" is an empty label: it holds only spaces: remove that line or write ' +
          'the label',
      );
  });
});

describe('catalogue.periods with invisible or space-like characters', () => {
  const periods = (name: string) => params(['coin', 'mask'], `catalogue:\n  periods:\n    "${name}": [-1550, -1070]\n`);

  it('a name with an invisible character is refused, naming its line, the character and what to do', async () => {
    expect(await errorOf(periods('Neues\u200bReich'))).toBe(
      'params.yaml is not valid:\n  params.yaml:8: the period "catalogue.periods.Neues<U+200B>Reich" has an ' +
        'invisible character (U+200B, a zero-width space) inside it, after "Neues": delete it. A period’s name is ' +
        'matched with the dates of data/objects.csv, which this one would not match as it is written.',
    );
    expect(await errorOf(periods('Neues Reich\u00a0'))).toContain(
      'params.yaml:8: the period "catalogue.periods.Neues Reich<U+00A0>" has a character that looks like a space ' +
        '(U+00A0, a no-break space) after "Neues Reich": delete it.',
    );
  });

  it('a name that is only a no-break space, or only spaces, is said to be empty, with its line', async () => {
    expect(await errorOf(periods('\u00a0'))).toBe(
      'params.yaml is not valid:\n  params.yaml:8: the period "catalogue.periods.<U+00A0>" has no name: it holds only ' +
        'a character that looks like a space (U+00A0, a no-break space): remove that line or write the name',
    );
    expect(await errorOf(periods('  '))).toContain(
      'params.yaml:8: the period "catalogue.periods.  " has no name: it holds only spaces: remove that line or write ' +
        'the name',
    );
  });

  it('two names that differ only in a character that prints as a space are one name written twice', async () => {
    const text = params(
      ['coin', 'mask'],
      'catalogue:\n  periods:\n    "Neues Reich": [-1550, -1070]\n    "Neues\u00a0Reich": [-1550, -1069]\n',
    );
    expect(await errorOf(text)).toContain(
      'params.yaml:9: the period "catalogue.periods.Neues<U+00A0>Reich" is "Neues Reich" of line 8 written again, ' +
        'with a character that prints as a space (U+00A0, a no-break space): keep one of the two.',
    );
    const accents = params(['coin', 'mask'], 'catalogue:\n  periods:\n    Époque: [1, 2]\n    E\u0301poque: [1, 3]\n');
    expect(await errorOf(accents)).toContain(
      'is "Époque" of line 8 written again, with its accents encoded another way',
    );
  });

  it('a name with a no-break space between its words is read with a plain space, and matches the dates', async () => {
    const { catalogue } = await load(periods('Neues\u00a0Reich'));
    expect(catalogue.periods).toEqual({ 'Neues Reich': [-1550, -1070] });
    const list = periodList(catalogue.periods);
    for (const date of ['Neues Reich', 'Neues\u00a0Reich'])
      expect(parseDate({ text: date, periods: list })).toEqual({ start: -1550, end: -1070 });
  });
});
