import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Tester T7: a label of 491 characters on a line of labels.csv. The run log said "A text pasted into the cell by
 * mistake?"; the comment only said it is not one of the collection's labels, which sends staff looking for a typo in
 * a text they never meant to put there. The comment says how long it is and what it likely is, in the first line and
 * in its row.
 */

describe('a label pasted by mistake, hundreds of characters long', () => {
  it('is said to be far too long, a text pasted by mistake, in the first line and in its row', async () => {
    const long = `mask ${'and a long description '.repeat(22)}`.trim().slice(0, 491);
    expect(long.length).toBe(491);
    const objects = demoObjects();
    const base = Object.fromEntries(objects.map((o) => [o.id, o.label]));
    const { ws } = await makeRepo({ objects, base, head: { ...base, 'DM-0007': long } });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const first = markdown.split('\n')[0]!;
    expect(first).toContain(
      ': it is 491 characters long \\(491 bytes in UTF-8; at most 100\\), a text pasted into the cell by mistake?)',
    );
    const row = markdown.split('\n').find((l) => l.startsWith('| DM-0007'))!;
    expect(row).toContain(
      'the label is 491 characters long \\(491 bytes in UTF-8; at most 100\\): a label is a word or a few. A text pasted ' +
        'into the cell by mistake? The line was skipped',
    );
  });
});
