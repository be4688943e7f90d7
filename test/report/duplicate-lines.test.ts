import { appendFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * The report must say of labels.csv what the dataset stage does: an object on two lines that disagree
 * (another label, or a label cell left empty) is unlabelled until one line is left, so that is a change.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const [first, second] = objects;

describe('label changes when an object is on two lines', () => {
  it('a second line with the label cell empty unlabels the object: listed as removed', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    await appendFile(ws.labels, `${first!.id},\n`);
    const { json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind, c.before, c.after])).toEqual([
      [first!.id, 'removed', first!.label, null],
    ]);
  });

  it('two lines with different labels unlabel the object; the same label twice changes nothing', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const other = objects.find((o) => o.label !== first!.label)!.label;
    await appendFile(ws.labels, `${first!.id},${other}\n${second!.id},${second!.label}\n`);
    const { json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind])).toEqual([[first!.id, 'removed']]);
  });

  it('a line whose label is not in the vocabulary disagrees with nothing, as in the dataset stage', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    // "Coin" for "coin": the dataset stage sets the line aside (did you mean) and keeps the object's label.
    await appendFile(ws.labels, `${first!.id},${first!.label.toUpperCase()}\n`);
    const { json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes).toEqual([]);
  });
});
