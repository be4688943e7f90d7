import { describe, expect, it } from 'vitest';
import { checkLabels, parseObjectsChecked, withoutUnusableIds } from '../../pipeline/dataset/validate.ts';

/*
 * Tester T16 F1, F2: an id holding a right-to-left override ("DM-" U+202E "1000", which Chromium draws "DM-0001") or a
 * zero-width space ("DM-0001" U+200B, two entries that print alike), written into data/objects.csv, went through the
 * dataset stage without a word and was published everywhere, though import refuses such a row. The dataset stage
 * now refuses it by import's own check: the row is left out, said with its line and the character named.
 */

const TABLE = [
  'id,title,image',
  'DM-0001,Bowl,images/DM-0001.jpg',
  'DM-\u202e1000,Vase,images/a.jpg',
  'DM-0001\u200b,Bowl again,images/b.jpg',
  'DM-0002\u0007,Cup,images/c.jpg',
  'DM-0003,Mask,images/DM-0003.jpg',
].join('\n');

describe('an id of data/objects.csv holding a control, direction or invisible character', () => {
  it('leaves its row out, named by its line and the character, as import names it', () => {
    const read = parseObjectsChecked({ text: `${TABLE}\n`, name: 'data/objects.csv' });
    const { objects, issues } = withoutUnusableIds({
      objects: read.objects,
      lineOf: read.lineOf,
      name: 'data/objects.csv',
    });
    expect(objects.map((o) => o.id)).toEqual(['DM-0001', 'DM-0003']);
    expect(issues.map((i) => [i.code, i.line])).toEqual([
      ['OBJECT_ID_UNSEEN_CHARACTER', 3],
      ['OBJECT_ID_UNSEEN_CHARACTER', 4],
      ['OBJECT_ID_UNSEEN_CHARACTER', 5],
    ]);
    const [override, space, bell] = issues.map((i) => i.message);
    expect(override).toBe(
      'data/objects.csv:3: the object id "DM-<U+202E>1000" contains an invisible character (U+202E, a right-to-left ' +
        'override) after "DM-", which no id may hold: it cannot be seen, and the id typed by hand would not match ' +
        'it. This row is left out of the dataset and the catalogue until the id is corrected: remove it from the id ' +
        'in the collections system and import again (or in data/objects.csv, then run "npx vitrine data add").',
    );
    expect(space).toContain('"DM-0001<U+200B>" contains an invisible character (U+200B, a zero-width space) after');
    expect(bell).toContain(
      'the object id "DM-0002\\u0007" contains a control character (U+0007), which no id may hold',
    );
    // Never the character itself, which would turn the message round or print as another id.
    for (const message of [override, space, bell]) expect(message).not.toMatch(/[\u202e\u200b\u0007]/);
  });
});

// Reviewer V34 M3: the label line of a refused row was told "there is no object … delete this line".
describe('a labels.csv line whose object row data/objects.csv has with a refused id', () => {
  it('says the row was refused and why, and never advises deleting the label', () => {
    const read = parseObjectsChecked({ text: `${TABLE}\n`, name: 'data/objects.csv' });
    const ids = withoutUnusableIds({ objects: read.objects, lineOf: read.lineOf, name: 'data/objects.csv' });
    const labels = [
      { objectId: 'DM-0001', label: 'bowl', line: 2 },
      { objectId: 'DM-1000', label: 'vase', line: 3 },
      { objectId: 'DM-0002', label: 'cup', line: 4 },
    ];
    const { issues, unknown } = checkLabels({
      labels,
      objectIds: new Set(ids.objects.map((o) => o.id)),
      vocabulary: ['bowl', 'vase', 'cup'],
      name: 'labels.csv',
      refused: ids.issues,
    });
    expect(unknown).toEqual([]);
    const [vase, cup] = issues.map((i) => i.message);
    expect(vase).toBe(
      'labels.csv:3: object "DM-1000" is not in the dataset: its row in data/objects.csv (line 3) is left out, ' +
        'because its id there, "DM-<U+202E>1000", holds a character no id may hold (U+202E). This line is kept ' +
        'and counts again once that id is corrected: do not delete it.',
    );
    expect(cup).toContain('its id there, "DM-0002<U+0007>", holds a character no id may hold (U+0007)');
    for (const message of [vase, cup]) expect(message).not.toMatch(/delete this line|typo|[\u202e\u0007]/);
  });
});
