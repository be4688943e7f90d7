import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutOverlongFields } from '../../pipeline/dataset/validate.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { object } from '../dataset/fixtures.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * A field of data/objects.csv far too long (a text pasted into the cell, OBJECT_FIELD_TOO_LONG) is withheld from the
 * catalogue by the dataset stage. Of a labelled object it is annotated on its line of labels.csv; of an UNLABELLED
 * object, the pull request's comment said nothing of it (only the run's log did, and the collapsed stage table's
 * count): staff never learnt that a page lost its description. The comment says it once, naming each.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));

describe('fields withheld from the catalogue for their length', () => {
  it('are said once in the comment, with the object, the field and how it begins, labelled or not', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    // An unlabelled object's description and a title far too long, as the dataset stage says them.
    const pasted = object('DM-9001', 'images/DM-9001.png', {
      description: `Minutes of the board. ${'x'.repeat(30_000)}`,
    });
    const titled = object('DM-0002', 'images/DM-0002.png', { title: `Mask ${'y'.repeat(2_000)}` });
    const lineOf = new Map([
      ['DM-9001', 40],
      ['DM-0002', 3],
    ]);
    const { issues } = withoutOverlongFields({ objects: [pasted, titled], lineOf, name: 'data/objects.csv' });
    expect(issues).toHaveLength(2);
    const file = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8')) as Dataset;
    dataset.issues.push(...issues);
    await writeFile(file, JSON.stringify(dataset));
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const said = markdown.split('\n').filter((l) => /far too long/.test(l));
    expect(said.length).toBeGreaterThanOrEqual(1);
    const section = markdown.slice(markdown.indexOf(said[0]!));
    expect(section).toMatch(/2 fields of data\/objects\.csv are far too long/);
    expect(section).toMatch(/DM-9001.*line 40.*description.*Minutes of the board/);
    expect(section).toMatch(/DM-0002.*line 3.*title/);
    expect(section).toMatch(/import again/);
    // Once: not also a line per object elsewhere.
    expect(markdown.match(/Minutes of the board/g)).toHaveLength(1);
  });
});
