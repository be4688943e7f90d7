import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Task D6: when labels.csv changed after the dataset stage read it, the report lists the label changes of the file
 * as that stage read it, and said so; but not that the line numbers it gives ("DM-0004 (line 5)") are that file’s.
 * A colleague’s edit saved since (a line added, a spreadsheet’s sort) puts other objects on those lines of
 * labels.csv as it is now, and a reviewer who opened line 5 found another object there.
 */

const objects = demoObjects();
const before = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const after = { ...before, 'DM-0004': 'mask' };
const params = validateParams({ raw: { train: { epochs: 60 } } });
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('labels.csv changed since the dataset stage read it', () => {
  it('the label changes say their line numbers are those of labels.csv as read, not as it is now', async () => {
    const { ws } = await makeRepo({ objects, base: before, head: after });
    const read = await readFile(ws.labels, 'utf8');
    const lock = { schema: 'vitrine.lock/1', stages: { dataset: { deps: { paths: { 'labels.csv': md5(read) } } } } };
    await writeFile(ws.lock, JSON.stringify(lock));
    // Saved since by a colleague, the last line moved to the top: every line below it is one further down.
    const [header, ...rows] = read.trimEnd().split('\n');
    await writeFile(ws.labels, `${[header, rows.at(-1), ...rows.slice(0, -1)].join('\n')}\n`);

    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changedSinceRead).toBe(true);
    const section = markdown.slice(markdown.indexOf('### Label changes'), markdown.indexOf('### Scores'));
    expect(section).toContain('DM-0004 (line 5)');
    expect(section).toContain(
      'The line numbers below are those of labels.csv as that stage read it: in labels.csv as it is now they may ' +
        'be lines of other objects.',
    );
  });

  it('says nothing of line numbers when labels.csv is the file read', async () => {
    const { ws } = await makeRepo({ objects, base: before, head: after });
    const read = await readFile(ws.labels, 'utf8');
    const lock = { schema: 'vitrine.lock/1', stages: { dataset: { deps: { paths: { 'labels.csv': md5(read) } } } } };
    await writeFile(ws.lock, JSON.stringify(lock));
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain('DM-0004 (line 5)');
    expect(markdown).not.toContain('The line numbers below are those of labels.csv as that stage read it');
  });
});
