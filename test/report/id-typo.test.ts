import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Outside tester: `DM-0006,coin` changed to `dm-0006,coin` was listed as DM-0006's label removed plus a new object
 * dm-0006 "newly labelled", while the dataset stage rightly said the id differs only in capitals. And an emptied
 * label cell (`DM-0016,`, the line still there) was said as "was line 16 … label removed". The comment now says
 * what happened to the line.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
// Written as staff leave it: in the order given, not sorted again.
const text = (lines: [string, string][]) =>
  `object_id,label\n${lines.map(([id, label]) => `${id},${label}\n`).join('')}`;
const row = (markdown: string, id: string) => markdown.split('\n').find((l) => l.startsWith(`| ${id} `)) ?? '';

describe('an object id retyped in other capitals', () => {
  it('is one change of the object, with the dataset stage\'s "Did you mean", and no object newly labelled', async () => {
    const { 'DM-0006': label, ...head } = labels;
    const headText = text(Object.entries(labels).map(([id, l]) => [id === 'DM-0006' ? 'dm-0006' : id, l]));
    const { ws } = await makeRepo({ objects, base: labels, head, headText });
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind, c.before, c.after])).toEqual([
      ['DM-0006', 'removed', label, null],
    ]);
    expect(json.labels.changes[0]!.unknownId).toEqual({
      id: 'dm-0006',
      line: 7,
      hint: 'it differs from an id in the collection only in capitals. Did you mean "DM-0006"?',
    });
    expect(json.labels.counts).toMatchObject({ added: 0, removed: 1, unknownIds: 1 });
    expect(markdown).not.toContain('newly labelled');
    expect(markdown).not.toContain('label removed');
    expect(row(markdown, 'dm-0006')).toBe('');
    const cells = row(markdown, 'DM-0006');
    expect(cells).toContain('DM-0006 (line 7)');
    expect(cells).toContain(
      'line 7 now names "dm-0006", which is not an object id in the collection: it differs from an id in the ' +
        'collection only in capitals. Did you mean "DM-0006"? Until it is corrected, the label is not used',
    );
    expect(markdown).toContain('1 line names an object id that is not in the collection, so its label is not used');
  });

  it("an id a spreadsheet rewrote (leading zeros dropped) is that object's row too, in the dataset stage's words", async () => {
    const { 'DM-0006': _, ...head } = labels;
    const headText = text(Object.entries(labels).map(([id, l]) => [id === 'DM-0006' ? 'DM-6' : id, l]));
    const { ws } = await makeRepo({ objects, base: labels, head, headText });
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind])).toEqual([['DM-0006', 'removed']]);
    expect(json.labels.changes[0]!.unknownId).toMatchObject({ id: 'DM-6', line: 7 });
    expect(json.labels.changes[0]!.unknownId!.hint).toMatch(/leading zeros.*Did you mean "DM-0006"\?$/);
    expect(row(markdown, 'DM-0006')).toContain('line 7 now names "DM-6"');
  });

  it('a new line for an unknown id that is near one object keeps the hint on its row', async () => {
    // DM-0006 keeps its line; the new "dm-0006" line is a second, unknown id the dataset stage sets aside.
    const headText = text([...Object.entries(labels), ['dm-0006', 'mask']]);
    const { ws } = await makeRepo({ objects, base: labels, head: labels, headText });
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind])).toEqual([['dm-0006', 'added']]);
    expect(json.labels.changes[0]!.unknownId?.hint).toContain('Did you mean "DM-0006"?');
    expect(markdown).not.toContain('newly labelled');
    expect(row(markdown, 'dm-0006')).toContain('Did you mean "DM-0006"?');
  });

  // Outside tester 4 (F5): `NOPE-1,print` was "1 object newly labelled" with a row "not in the dataset", while the
  // dataset stage said there is no object "NOPE-1" in the collection.
  it('an id near no object is said to be no object of the collection, not counted as newly labelled', async () => {
    const headText = text([...Object.entries(labels), ['NOPE-1', 'print']]);
    const { ws } = await makeRepo({ objects, base: labels, head: labels, headText });
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind])).toEqual([['NOPE-1', 'added']]);
    expect(json.labels.changes[0]!.unknownId).toEqual({ id: 'NOPE-1', line: 38, hint: 'check the id for a typo.' });
    expect(json.labels.counts).toMatchObject({ added: 1, unknownIds: 1 });
    expect(markdown).not.toContain('newly labelled');
    expect(markdown).toContain('1 line names an object id that is not in the collection, so its label is not used.');
    const cells = row(markdown, 'NOPE-1');
    expect(cells).toContain('NOPE-1 (line 38)');
    expect(cells).toContain(
      'the line names "NOPE-1", which is not an object id in the collection: check the id for a typo. Until it is ' +
        'corrected, the line is not used',
    );
    expect(cells).not.toContain('not in the dataset');
  });

  it('many ids near no object are said as objects an import left out, not as typos', async () => {
    const gone = Array.from({ length: 6 }, (_, i): [string, string] => [`GONE-${i + 1}`, 'print']);
    const headText = text([...Object.entries(labels), ...gone]);
    const { ws } = await makeRepo({ objects, base: labels, head: labels, headText });
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    // report.json says the hint the 6 lines share once (json-limits.ts).
    expect(json.labels.unknownIdHint).toContain('the last import left out');
    expect(json.labels.changes.every((c) => c.unknownId?.hint === '')).toBe(true);
    expect(markdown).not.toContain('typo');
    expect(markdown).not.toContain('newly labelled');
    expect(markdown).toContain('6 lines name an object id that is not in the collection, so their labels are not used');
  });
});

describe('a label cell emptied, the line still there', () => {
  it('is said to be that line with the label cell empty', async () => {
    const { 'DM-0016': label, ...head } = labels;
    const headText = text(Object.entries(labels).map(([id, l]) => [id, id === 'DM-0016' ? '' : l]));
    const { ws } = await makeRepo({ objects, base: labels, head, headText });
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind, c.before, c.after])).toEqual([
      ['DM-0016', 'removed', label, null],
    ]);
    expect(json.labels.changes[0]!.emptyLines).toEqual([17]);
    const cells = row(markdown, 'DM-0016');
    expect(cells).toContain('DM-0016 (line 17)');
    expect(cells).not.toContain('was line');
    expect(cells).toContain('line 17 with the label cell empty: the label is no longer used for training');
    expect(markdown).toContain('1 label removed');
  });
});

describe('an object both on lines with different labels and retyped', () => {
  it('is counted once: not a label removed, and the labels really removed are counted', async () => {
    // DM-0006 on two lines that disagree and a third as "dm-0006"; DM-0016's line taken out.
    const { 'DM-0006': _, 'DM-0016': __, ...head } = labels;
    const lines = Object.entries(labels).filter(([id]) => id !== 'DM-0016');
    const headText = text([...lines, ['DM-0006', 'mask'], ['dm-0006', labels['DM-0006']!]]);
    const { ws } = await makeRepo({ objects, base: labels, head, headText });
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind])).toEqual([
      ['DM-0006', 'removed'],
      ['DM-0016', 'removed'],
    ]);
    expect(json.labels.changes[0]).toMatchObject({ disagreeing: [{}, {}], unknownId: { id: 'dm-0006' } });
    expect(markdown).toContain('1 label removed');
    expect(markdown).toContain('1 object is on lines with different labels');
    expect(markdown).toContain('1 line names an object id that is not in the collection');
  });
});

describe('an object id written with its accents encoded another way (as a Mac saves labels.csv)', () => {
  it('is the object’s own line: a file saved again that way changes no label, and a change keeps its title', async () => {
    // A reviewer: the dataset stage reads such a line as the object's, and the report lost the object's title.
    const accented = objects.map((o, i) => (i === 5 ? { ...o, id: 'É-0006', title: 'Scarab of Élise' } : o));
    const base = Object.fromEntries(accented.map((o) => [o.id, o.label]));
    const decomposed = (lines: [string, string][]) => text(lines.map(([id, l]) => [id.normalize('NFD'), l]));
    const same = await makeRepo({ objects: accented, base, head: base, headText: decomposed(Object.entries(base)) });
    const unchanged = await buildReport({ ws: same.ws, params, base: 'main', log: silentLogger });
    expect(unchanged.json.labels.changes).toEqual([]);
    const head = { ...base, 'É-0006': base['É-0006'] === 'coin' ? 'mask' : 'coin' };
    const changed = await makeRepo({ objects: accented, base, head, headText: decomposed(Object.entries(head)) });
    const { json } = await buildReport({ ws: changed.ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.map((c) => [c.id, c.kind, c.title, c.unknownId])).toEqual([
      ['É-0006', 'changed', 'Scarab of Élise', undefined],
    ]);
  });
});

/** The run's one-line summary of the report stage, compared with main. */
function reportSummary(ws: Awaited<ReturnType<typeof makeRepo>>['ws']) {
  return reportStage.run({
    ws,
    params,
    log: silentLogger,
    clock: { now: () => new Date('2026-01-03T00:00:00Z') },
    env: { GITHUB_BASE_REF: 'main' },
  });
}

// An outside tester: `GONE-1,Statuary` (no such object) added to labels.csv made the run's line say "1 object newly
// labelled", where the report's table said the line names no object of the collection and is not used.
describe('a line naming no object of the collection, in the run’s one-line summary', () => {
  it('is said as such, not as an object newly labelled', async () => {
    const headText = text([...Object.entries(labels), ['GONE-1', 'coin']] as [string, string][]);
    const { ws } = await makeRepo({ objects, base: labels, head: labels, headText });
    const result = await reportSummary(ws);
    expect(result.summary).toMatch(/, no label changes, 1 line names an object not in the collection$/);
    expect(result.summary).not.toContain('newly labelled');
  });

  // The reviewer: an object on two lines with different labels fell out of that line ("no label changes").
  it('an object on lines with different labels is said too', async () => {
    const [first] = Object.keys(labels);
    const other = labels[first!] === 'mask' ? 'coin' : 'mask';
    const headText = text([...Object.entries(labels), [first!, other]] as [string, string][]);
    const { ws } = await makeRepo({ objects, base: labels, head: labels, headText });
    const result = await reportSummary(ws);
    expect(result.summary).toMatch(/, 1 object on lines with different labels$/);
  });
});
