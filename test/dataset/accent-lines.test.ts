import { afterAll, describe, expect, it } from 'vitest';
import { plainAddress } from '../../pipeline/catalogue/slug-rules.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * An accented id written composed (NFC) on one line of labels.csv and as a letter and an accent (NFD, a Mac's) on
 * another: one object on two lines, said with both, as any object on two lines is; and its page one address.
 */

afterAll(removeTempDirs);

const composed = 'Caf\u00e9-1';

describe('labels.csv lines whose ids differ only in how their accents are encoded', () => {
  it('are one object on two lines: said with both lines, not one of them dropped without a word', async () => {
    const ws = await makeCollection({
      objects: [object(composed, 'images/c.png'), object('plain', 'images/p.png')],
      labelsText: `object_id,label\n${composed},coin\n${composed.normalize('NFD')},mask\nplain,mask\n`,
    });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    const issue = dataset.issues.find((i) => i.code === 'LABEL_DUPLICATE')!;
    expect(issue.message).toContain(
      `object "${composed}" is on 2 lines with different labels (line 2 "coin" and line 3`,
    );
  });

  it('give one catalogue address, whichever form the id is in', () => {
    expect(plainAddress(composed.normalize('NFD'))).toBe(plainAddress(composed));
  });
});
