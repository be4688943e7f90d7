import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * A tester: a right correction to "Decorative Arts", a label 12 objects have but the model does not learn, got
 * "⚠️ A label of this pull request is not one of the collection's, so its line was skipped". It is one of the
 * collection's labels, only not one the model learns; the ⚠️ stays for a label no other object has (a typo).
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));

describe('a label change to a label outside the vocabulary that other objects have', () => {
  it('is said as kept and not learned, with no ⚠️ under the verdict', async () => {
    const base = { ...correct, 'DM-0001': 'amphora', 'DM-0002': 'amphora' };
    const head = { ...base, 'DM-0008': 'amphora' };
    const { ws } = await makeRepo({ objects, base, head });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const row = markdown.split('\n').find((l) => l.includes('DM-0008'))!;
    expect(row).toContain(
      '"amphora" is not one of the labels the model learns (collection.vocabulary): the change is kept in labels.csv ' +
        'and the catalogue; the model does not train on it',
    );
    expect(markdown).not.toMatch(/⚠️ \*\*A label of this pull request is not one of the collection's/);
    expect(markdown).not.toMatch(/new label is not one of the collection's labels/);
    expect(markdown).toContain('1 new label is kept in labels.csv and the catalogue but not learned by the model');
  });
});
