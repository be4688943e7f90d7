import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { parseParams } from '../../pipeline/params.ts';

/*
 * Session 37, from an outside tester editing params.yaml as staff do in GitHub's editor: a merge conflict left in
 * it was "params.yaml:17: this line starts with 2 spaces …" (line 17 was right; the markers were never named); a
 * list item out of line was "not valid YAML: A block sequence may not be used as an implicit map key"; a tab was
 * "Tabs are not allowed as indentation", with no word on what to do.
 */

const BASE = [
  'collection:',
  '  name: Demo Museum',
  '  vocabulary:',
  '    - coin',
  '    - mask',
  '  repository: ""',
  '  branch: main',
  'train:',
  '  epochs: 5',
  '',
];

function refusal(lines: string[]): Error {
  try {
    parseParams({ text: lines.join('\n'), name: 'params.yaml' });
  } catch (error) {
    return error as Error;
  }
  throw new Error('parsed');
}

describe('params.yaml as staff leave it', () => {
  it('with a merge conflict left in it names the markers’ first line and what to do', () => {
    const lines = [
      ...BASE.slice(0, 6),
      '<<<<<<< HEAD',
      '  branch: main',
      '=======',
      '  branch: master',
      '>>>>>>> other',
    ];
    const error = refusal([...lines, ...BASE.slice(7)]);
    expect(isVitrineError(error, 'PARAMS_MERGE_CONFLICT')).toBe(true);
    expect(error.message).toBe(
      'params.yaml:7: this file still has a merge conflict (the lines from <<<<<<< to >>>>>>> hold two versions of ' +
        'the same settings). Keep the right version of those lines, delete the marker lines (<<<<<<<, =======, ' +
        '>>>>>>>) and commit the file again.',
    );
    // Saved with a byte-order mark, or with the base's version too (git's diff3 style): the same, said for it.
    const bom = refusal([`\uFEFF${lines[0]}`, ...lines.slice(1), ...BASE.slice(7)]);
    expect(isVitrineError(bom, 'PARAMS_MERGE_CONFLICT')).toBe(true);
    const diff3 = [...lines.slice(0, 8), '||||||| base', '  branch: trunk', ...lines.slice(8), ...BASE.slice(7)];
    expect(refusal(diff3).message).toContain('(<<<<<<<, =======, >>>>>>> and |||||||, with the lines of the base');
  });

  it('with a list item out of line says how many spaces the items above it have', () => {
    const error = refusal([...BASE.slice(0, 5), '  - sculpture', ...BASE.slice(5)]);
    expect(error.message).toBe(
      'params.yaml:6: this list item ("- sculpture") starts with 2 spaces, the item above it with 4 spaces: start ' +
        'it with 4 spaces, as the other items of its list.',
    );
  });

  it('with a tab for indentation says to use spaces', () => {
    const error = refusal(BASE.map((l) => (l === '  epochs: 5' ? '\tepochs: 5' : l)));
    expect(error.message).toMatch(/^params\.yaml:9: this line starts with a tab: YAML indents with spaces only/);
  });

  it('without the line that names a list: not read as the value above it, said as a missing key', () => {
    // The `vocabulary:` line deleted: YAML reads the items as more words of the collection's name ("Demo Museum -
    // coin - mask"), and the vocabulary fell back to the demo's without a word.
    const error = refusal(BASE.filter((l) => l !== '  vocabulary:'));
    expect(isVitrineError(error, 'PARAMS_YAML')).toBe(true);
    expect(error.message).toBe(
      'params.yaml:3: this list item ("- coin") is read as more of the value of collection.name on line 2 ("Demo ' +
        'Museum - coin - mask"), because no line above it names its list: put the name of the list on a line of ' +
        'its own above the items (such as "  vocabulary:"), or delete the items.',
    );
    // A value written over two lines on purpose is read as before, with no line starting "- " or with one (a
    // reviewer: "Museum of Fine Arts - Online Collection", folded by YAML, was refused).
    const dash = BASE.map((l) =>
      l === '  name: Demo Museum' ? '  name: Museum of Fine Arts\n    - Online Collection' : l,
    );
    expect(parseParams({ text: dash.join('\n'), name: 'params.yaml' }).collection.name).toBe(
      'Museum of Fine Arts - Online Collection',
    );
    const long = BASE.map((l) => (l === '  name: Demo Museum' ? '  name: Demo Museum of\n    Fine Arts' : l));
    expect(parseParams({ text: long.join('\n'), name: 'params.yaml' }).collection.name).toBe(
      'Demo Museum of Fine Arts',
    );
  });
});
