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
