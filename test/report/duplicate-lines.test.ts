import { appendFile, readFile } from 'node:fs/promises';
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

describe('an object on two lines with different labels, in the comment', () => {
  /*
   * Outside tester: appending `DM-0005,coin` while another line still said `DM-0005,textile` was listed as
   * "label removed: no longer used for training", while the run log said rightly that the object is on two lines
   * with different labels. The comment now says what the log says.
   */
  it('is said to be on two lines with different labels, neither used until one is removed', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const other = objects.find((o) => o.label !== first!.label)!.label;
    await appendFile(ws.labels, `${first!.id},${other}\n`);
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const change = json.labels.changes.find((c) => c.id === first!.id)!;
    const last = objects.length + 2;
    expect(change).toMatchObject({ kind: 'removed', before: first!.label, after: null });
    expect(change.disagreeing).toEqual([
      { line: 2, label: first!.label },
      { line: last, label: other },
    ]);
    expect(json.labels.counts).toMatchObject({ removed: 1, disagreeing: 1 });
    const row = markdown.split('\n').find((l) => l.startsWith(`| ${first!.id}`))!;
    expect(row).not.toContain('label removed');
    expect(row).toContain(`${first!.id} (lines 2 and ${last})`);
    expect(row).toContain(
      `on 2 lines with different labels (line 2 "${first!.label}" and line ${last} "${other}"): ` +
        'neither is used until one line is removed',
    );
    expect(markdown).not.toContain('1 label removed');
    expect(markdown).toContain('1 object is on lines with different labels');
  });

  it('with a label cell left empty: the lines disagree, and the empty cell is said as such', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    await appendFile(ws.labels, `${first!.id},\n`);
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const last = objects.length + 2;
    expect(json.labels.changes[0]!.disagreeing).toEqual([
      { line: 2, label: first!.label },
      { line: last, label: '' },
    ]);
    const row = markdown.split('\n').find((l) => l.startsWith(`| ${first!.id}`))!;
    expect(row).toContain(
      `on 2 lines that disagree (line 2 "${first!.label}" and line ${last} with the label cell empty): ` +
        'neither is used until one line is removed',
    );
  });

  it('a label removed for good is still said to be removed', async () => {
    const { id, label } = first!;
    const { [id]: _, ...rest } = labels;
    const { ws } = await makeRepo({ objects, base: labels, head: rest });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes[0]).toMatchObject({ id, kind: 'removed', before: label });
    expect(json.labels.changes[0]!.disagreeing).toBeUndefined();
    expect(markdown).toContain('1 label removed');
    expect(markdown).toContain('label removed: no longer used for training');
  });
});

describe('objects a pull request leaves unlabelled on lines that disagree, in the first line', () => {
  /*
   * Outside tester (session 49): a branch appending `NHM.2019.1.1,Fossil` and `Z-ENT-000003 ,Fossil` while other
   * lines still said "Mineral" got "✅ No detectable difference … The promotion gate passes." Only far down, under
   * "Label changes", did it say the 2 objects are on lines with different labels and not used: merged, both would
   * lose their staff labels. Said first now, with a ⚠️ as for the other labels a pull request loses.
   */
  it('warns under a ⚠️ before the scores, naming the objects, their lines and what to do', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const clean = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(clean.markdown.split('\n')[0]).toMatch(/^✅ /);
    const other = (label: string) => objects.find((o) => o.label !== label)!.label;
    // The second with a space after the id, as the tester typed it: the dataset stage reads it as the object.
    await appendFile(ws.labels, `${first!.id},${other(first!.label)}\n${second!.id} ,${other(second!.label)}\n`);
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const top = markdown.split('\n')[0]!;
    const last = objects.length + 2;
    expect(top).toMatch(/^⚠️ /);
    expect(top).toContain(
      '⚠️ **2 objects would lose their staff labels: each is on lines of labels.csv with different labels, so ' +
        `none is used:** ${first!.id} on line 2 "${first!.label}" and line ${last} "${other(first!.label)}"; ` +
        `${second!.id} on line 3 "${second!.label}" and line ${last + 1} "${other(second!.label)}".`,
    );
    expect(top).toContain('Keep one line per object, with the right label, and delete the others.');
    // Before the scores: the first paragraph, not the table far below.
    expect(markdown.indexOf('would lose their staff labels')).toBeLessThan(markdown.indexOf('### '));
  });

  it('one object, and the same label twice, which loses nothing and keeps the tick', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    await appendFile(ws.labels, `${second!.id},${second!.label}\n`);
    const same = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(same.markdown.split('\n')[0]).toMatch(/^✅ /);
    expect(same.markdown).not.toContain('would lose');
    await appendFile(ws.labels, `${first!.id},\n`);
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const top = markdown.split('\n')[0]!;
    expect(top).toMatch(/^⚠️ /);
    expect(top).toContain(
      '⚠️ **An object would lose its staff label: it is on lines of labels.csv that disagree, so none is used:** ' +
        `${first!.id} on line 2 "${first!.label}" and line ${objects.length + 3} with the label cell empty.`,
    );
  });
});

describe('an object on two lines whose ids differ only in how an accent is encoded', () => {
  /*
   * Outside tester: "Café-1,coin" and the same id saved on a Mac (NFD) with another label on a second line were two
   * objects to the report: the object kept a label, with no word of the lines, while the dataset stage said the
   * object is on 2 lines with different labels and left it unlabelled. One id to anyone reading it: the same rule.
   */
  it('is said to lose its staff label in the first line, as for two lines with the id written alike', async () => {
    const NFC = 'Caf\u00e9-1';
    const accented = objects.map((o, i) => (i === 0 ? { ...o, id: NFC } : o));
    const byId = Object.fromEntries(accented.map((o) => [o.id, o.label]));
    const { ws } = await makeRepo({ objects: accented, base: byId, head: byId });
    const other = accented.find((o) => o.label !== first!.label)!.label;
    await appendFile(ws.labels, `${NFC.normalize('NFD')},${other}\n`);
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const line = (await readFile(ws.labels, 'utf8')).split('\n').findIndex((l) => l.startsWith(NFC)) + 1;
    const last = objects.length + 2;
    expect(json.labels.changes.map((c) => [c.id, c.kind, c.before, c.after])).toEqual([
      [NFC, 'removed', first!.label, null],
    ]);
    expect(json.labels.changes[0]!.disagreeing).toEqual([
      { line, label: first!.label },
      { line: last, label: other },
    ]);
    expect(markdown.split('\n')[0]).toContain(
      `⚠️ **An object would lose its staff label: it is on lines of labels.csv with different labels, so none is ` +
        `used:** ${NFC} on line ${line} "${first!.label}" and line ${last} "${other}".`,
    );
  });
});
