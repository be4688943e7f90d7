import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * A label pasted from a web page, "co\u200bin" (a zero-width space inside): the warning said '"co​in" is not one of
 * the labels… Did you mean "coin"?', which reads as "coin" is not "coin". The id message names such a character
 * ("contains an invisible character (zero-width space, U+200B) after …"); the label message now says the same.
 * Failed before the fix.
 */

afterAll(removeTempDirs);

const objects = ['a1', 'a2', 'a3'].map((id) => object(id));

async function messageOn(line: number, labelsText: string): Promise<string> {
  const ws = await makeCollection({ objects, labelsText });
  const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
  const issue = dataset.issues.find((i) => i.code === 'LABEL_NOT_IN_VOCABULARY' && i.line === line);
  return issue!.message;
}

describe('a label with a character that does not show', () => {
  it('names the invisible character and where it is, as for ids', async () => {
    const message = await messageOn(3, 'object_id,label\na1,coin\na2,co\u200bin\na3,mask\n');
    expect(message).toContain('it contains an invisible character (zero-width space, U+200B) after "co"');
    expect(message).toContain('Did you mean "coin"?');
  });

  it('names a hyphen that only looks like "-"', async () => {
    const params = testParams((p) => {
      p.collection.vocabulary = ['coin', 'mask', 'tea-bowl'];
    });
    const ws = await makeCollection({ objects, labelsText: 'object_id,label\na1,coin\na2,tea\u2013bowl\na3,mask\n' });
    const dataset = await buildDataset({ ws, params, log: memoryLogger() });
    const issue = dataset.issues.find((i) => i.code === 'LABEL_NOT_IN_VOCABULARY')!;
    expect(issue.message).toContain('it contains a hyphen that only looks like "-" (en dash, U+2013) after "tea"');
    expect(issue.message).toContain('Did you mean "tea-bowl"?');
  });

  it('says nothing of the kind for a plain typo', async () => {
    const message = await messageOn(3, 'object_id,label\na1,coin\na2,Coin\na3,mask\n');
    expect(message).not.toContain('contains');
    expect(message).toContain('Did you mean "coin"?');
  });
});

// An outside tester: params.yaml now refuses a label with a bidi override or a control character, naming it; a line of
// labels.csv with one is named the same way (before, its message quoted the label with the override in it).
describe('a label of labels.csv with a control or bidi character', () => {
  it('names the character by its code and where it is, and shows it as its code', async () => {
    const message = await messageOn(3, 'object_id,label\na1,coin\na2,co\u202ein\na3,mask\n');
    expect(message).toContain('"co<U+202E>in" is not one of the labels of this collection');
    expect(message).toContain('it contains an invisible character (right-to-left override, U+202E) after "co"');
    expect(message).toContain('Did you mean "coin"?');
    expect(message).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('a control character likewise', async () => {
    const message = await messageOn(3, 'object_id,label\na1,coin\na2,co\u0007in\na3,mask\n');
    expect(message).toContain('it contains an invisible character (control character, U+0007) after "co"');
    expect(message).toContain('Did you mean "coin"?');
  });
});

describe('a label of labels.csv with a bidi override, near no label of the vocabulary', () => {
  it('is shown with the override as its code, not as it is (it would turn the message round)', async () => {
    const message = await messageOn(3, 'object_id,label\na1,coin\na2,zz\u202eqq\na3,mask\n');
    expect(message).toContain('"zz<U+202E>qq" is not one of the labels of this collection');
    expect(message).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });
});
