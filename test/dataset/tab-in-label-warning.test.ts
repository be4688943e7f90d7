import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Task D5, 2: a label of labels.csv with a tab inside that is not in the vocabulary ("Roman<tab>coin") was quoted as
 * read, with a space ("Roman coin"): staff who searched labels.csv for it found nothing. It is quoted as written, the
 * tab shown as → (as the report's tabbed-labels note shows it), and said to be read as a space.
 */

afterAll(removeTempDirs);

const objects = ['a1', 'a2', 'a3'].map((id) => object(id));

async function issuesOf(labelsText: string) {
  const ws = await makeCollection({ objects, labelsText });
  return (await buildDataset({ ws, params: testParams(), log: memoryLogger() })).issues;
}

describe('a label outside the vocabulary with a tab inside', () => {
  it('is quoted as written, the tab shown as an arrow, not with a space staff cannot find in the file', async () => {
    const issues = await issuesOf('object_id,label\na1,coin\na2,Roman\tcoin\na3,mask\n');
    const issue = issues.find((i) => i.code === 'LABEL_NOT_IN_VOCABULARY' && i.line === 3)!;
    expect(issue.message).toContain('labels.csv:3: "Roman→coin" (→ for a tab, read as a space) is not one of');
    expect(issue.message).not.toContain('"Roman coin" is not');
  });

  it('is quoted as written where the object has another line too', async () => {
    const issues = await issuesOf('object_id,label\na1,coin\na2,mask\na2,Roman\tcoin\na3,mask\n');
    const issue = issues.find((i) => i.code === 'LABEL_DUPLICATE' && i.line === 4)!;
    expect(issue.message).toContain('line 4 "Roman→coin"');
    expect(issue.message).toContain(': "Roman→coin" (→ for a tab, read as a space) is not one of');
    expect(issue.message).not.toContain('"Roman coin"');
  });

  it('says nothing of a tab for a label without one', async () => {
    const issues = await issuesOf('object_id,label\na1,coin\na2,Roman coin\na3,mask\n');
    const issue = issues.find((i) => i.code === 'LABEL_NOT_IN_VOCABULARY' && i.line === 3)!;
    expect(issue.message).toContain('labels.csv:3: "Roman coin" is not one of');
    expect(issue.message).not.toContain('→');
  });
});
