import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Tester T16 F2: a line of labels.csv whose id holds a zero-width space ("DM-0002" + U+200B) was named raw in the
 * comment, printing as the object's own id, and one holding a right-to-left override lost it (text() drops it), so
 * "DM-<U+202E>0013" printed as "DM-0013". Labels got the ⟨…⟩ treatment; ids now do too, by the character's code.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));

describe('an id with an invisible or direction character in the report', () => {
  it('is shown with each such character written by its code, in the warning and in the table', async () => {
    const head: Record<string, string> = { ...correct, 'DM-0002\u200b': 'coin', 'DM-\u202e0013': 'mask' };
    delete head['DM-0002'];
    delete head['DM-0013'];
    const { ws } = await makeRepo({ objects, base: correct, head });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const md = (await buildReport({ ws, params, base: 'main', log: silentLogger })).fullMarkdown;
    // (The lineage line breaks a long model name with a zero-width space of its own.)
    expect(md).not.toContain('DM-0002\u200b');
    expect(md).not.toContain('\u202e');
    expect(md).toContain('names “DM-0002⟨U+200B⟩”, which is not an object id');
    expect(md).toContain('names “DM-⟨U+202E⟩0013”, which is not an object id');
    expect(md).toContain('line 3 now names "DM-0002⟨U+200B⟩", which is not an object id');
    expect(md).toContain('line 37 now names "DM-⟨U+202E⟩0013", which is not an object id');
    // Never the line named as the object it is not.
    expect(md).not.toMatch(/names ["“]DM-0013["”]/);
  });
});
