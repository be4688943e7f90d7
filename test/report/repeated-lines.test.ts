import { appendFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Finding 2 (task D3): an object on two lines of labels.csv with the same label was said only in the run log (on
 * GitHub, on its line of the diff). Staff read the report: it says so too, and what to do, and the run goes on (the
 * object keeps its label).
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const [first, second] = objects;
// makeRepo writes a header line, then one line per object in order.
const lineOf = (id: string) => objects.findIndex((o) => o.id === id) + 2;

describe('an object on two lines of labels.csv with the same label', () => {
  it('is said in the report with its lines and what to do, and changes nothing else', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const plain = await buildReport({ ws, params, base: 'main', log: silentLogger });
    await appendFile(ws.labels, `${first!.id},${first!.label}\n`);
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const extra = objects.length + 2;
    expect(markdown).toContain(
      `${first!.id} is on lines ${lineOf(first!.id)} and ${extra} of labels.csv with the same label ` +
        `(${first!.label}); remove one line.`,
    );
    expect(json.labels.repeatedLines).toEqual([
      { id: first!.id, label: first!.label, lines: [lineOf(first!.id), extra] },
    ]);
    // Not a warning: the object keeps its label, and the verdict and status are as without the line.
    expect(json.headline).toBe(plain.json.headline);
    expect(json.labels.changes).toEqual([]);
    expect(json.openingWarnings).toBeUndefined();
  });

  it('names several objects, one on three lines, and none when every object is on one line', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const none = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(none.json.labels.repeatedLines).toBeUndefined();
    expect(none.markdown).not.toContain('with the same label');
    const rows = [first, second, second].map((o) => `${o!.id},${o!.label}\n`).join('');
    await appendFile(ws.labels, rows);
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const end = objects.length + 2;
    expect(markdown).toContain('2 objects are on more than one line of labels.csv with the same label');
    expect(markdown).toContain(`${first!.id} (lines ${lineOf(first!.id)} and ${end}, ${first!.label})`);
    expect(markdown).toContain(
      `${second!.id} (lines ${lineOf(second!.id)}, ${end + 1} and ${end + 2}, ${second!.label})`,
    );
  });
});
