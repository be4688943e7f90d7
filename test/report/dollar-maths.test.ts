import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { text } from '../../pipeline/report/markdown.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * An outside tester (F7): GitHub typesets `$…$` and `$$…$$` in a comment as mathematics. A label `$\huge{X}$` or a
 * title "Token, US$5–US$10" came into the report with its dollar signs as they were, so the text between two of them
 * could be shown as a formula (italic, its spaces gone). Each `$` is escaped (`\$`), which GitHub shows as a `$`.
 */

describe('a dollar sign in a title or label in the pull-request comment', () => {
  it('is escaped, so no text between two of them is read as mathematics', () => {
    expect(text('Token, US$5–US$10')).toBe('Token, US\\$5–US\\$10');
    expect(text('$\\huge{X}$')).toBe('\\$\\\\huge\\{X\\}\\$');
    expect(text('$$x$$')).toBe('\\$\\$x\\$\\$');
  });

  it('is escaped in every table and sentence of the report', async () => {
    const objects = demoObjects();
    objects[6] = { ...objects[6]!, title: 'Token, US$5–US$10' };
    const base = Object.fromEntries(objects.map((o) => [o.id, o.label]));
    const head = { ...base, 'DM-0007': '$\\huge{X}$', 'DM-0008': 'US$5 $coin$' };
    const { ws } = await makeRepo({ objects, base, head });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain('\\$\\\\huge\\{X\\}\\$');
    expect(markdown).toContain('US\\$5 \\$coin\\$');
    expect(markdown).toContain('Token, US\\$5–US\\$10');
    // Every $ of the report outside a code span is escaped.
    const outsideCode = markdown.replace(/`[^`\n]*`/g, '');
    expect(outsideCode.match(/(?<!\\)\$/g) ?? []).toEqual([]);
  });
});
