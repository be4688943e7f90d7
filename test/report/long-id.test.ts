import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forkReport } from '../../actions/report/fork.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Outside tester T3 (F9): a labels.csv line whose object id was a 5 MB paste (the dataset stage: "the object id on this
 * line is 5,000,000 characters long … at most 200 … the line is skipped") was counted in the report as an object newly
 * labelled, explained only as "not in the dataset", its 5 MB row put in report-full.md and report.json, and real label
 * changes pushed out of the comment ("…and 7 more (the comment has room for the first 7 …)"). The report now says
 * what the dataset stage said, with the id cut to its beginning, and no cell of it is more than a few lines long.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const text = (lines: [string, string][]) =>
  `object_id,label\n${lines.map(([id, label]) => `${id},${label}\n`).join('')}`;
// A row of the table, its Markdown escapes (`\(`) taken out.
const row = (markdown: string, start: string) =>
  (markdown.split('\n').find((l) => l.startsWith(`| ${start}`)) ?? '').replace(/\\(.)/g, '$1');

async function run(headText: string, head: Record<string, string>) {
  const { ws } = await makeRepo({ objects, base: labels, head, headText });
  const { summary } = await reportStage.run({
    ws,
    params,
    log: silentLogger,
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    env: { GITHUB_BASE_REF: 'main' },
  });
  const read = (name: string) => readFile(path.join(ws.report, name), 'utf8').catch(() => null);
  return {
    ws,
    summary,
    markdown: (await read('report.md'))!,
    full: await read('report-full.md'),
    jsonSize: (await stat(path.join(ws.report, 'report.json'))).size,
    json: JSON.parse((await read('report.json'))!),
  };
}

describe('a labels.csv line whose object id is a text pasted by mistake', () => {
  it('is said as the dataset stage says it, not counted as newly labelled, and crowds no change out', async () => {
    // Six real changes (every coin is now a mask), then a 5 MB id and a 300-character id, as the tester added them.
    const head = { ...labels };
    for (const o of objects) if (o.label === 'coin') head[o.id] = 'mask';
    const headText = text([...Object.entries(head), ['A'.repeat(5_000_000), 'mask'], ['B'.repeat(300), 'mask']]);
    const { ws, markdown, full, json, jsonSize, summary } = await run(headText, head);
    const changed = objects.filter((o) => o.label === 'coin').map((o) => o.id);
    // Every real change in the comment, none left to report-full.md.
    for (const id of changed) expect(row(markdown, id)).toContain('| coin | mask |');
    expect(markdown).not.toContain('room for the first');
    expect(markdown).not.toContain('newly labelled');
    expect(markdown).not.toContain('not in the dataset');
    expect(markdown).toContain('6 labels changed');
    expect(markdown).toContain(
      '2 lines have an object id far too long (a text pasted into the cell by mistake), so they are skipped',
    );
    // The dataset stage's words, the id cut to its beginning as its warning cuts it.
    const a = row(markdown, `${'A'.repeat(40)}…`);
    expect(a).toContain(`${'A'.repeat(40)}… (line 38)`);
    expect(a).toContain(
      'the object id on this line is 5,000,000 characters long (5,000,000 bytes in UTF-8; at most 200), longer ' +
        'than an id may be (it names the object’s image file and web address). A text pasted into the cell by ' +
        `mistake? It begins "${'A'.repeat(40)}…". Correct it on this line; until then the line is skipped.`,
    );
    expect(a.length).toBeLessThan(1000);
    expect(row(markdown, `${'B'.repeat(40)}…`)).toContain('(line 39)');
    expect(row(markdown, `${'B'.repeat(40)}…`)).toContain('300 characters long (300 bytes in UTF-8; at most 200)');
    // Nothing of the paste beyond its beginning, anywhere.
    expect(markdown).not.toContain('A'.repeat(41));
    expect(markdown).not.toContain('B'.repeat(41));
    expect(full === null || !full.includes('A'.repeat(41))).toBe(true);
    expect(jsonSize).toBeLessThan(100_000);
    expect(JSON.stringify(json)).not.toContain('A'.repeat(41));
    const line38 = json.labels.changes.find((c: { line: number }) => c.line === 38);
    expect(line38.id).toBe(`${'A'.repeat(40)}…`);
    expect(line38.unknownId).toMatchObject({ id: `${'A'.repeat(40)}…`, line: 38, tooLong: 'id' });
    expect(summary).not.toContain('newly labelled');
    expect(summary).toContain('2 lines have an object id far too long');
    // A fork's comment, made again from its report.json, says the same.
    const fork = forkReport({
      reportJson: JSON.stringify(json),
      metricsJson: await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8'),
    });
    expect(fork.reason).toBeNull();
    expect(fork.markdown).toContain('2 lines have an object id far too long');
    expect(fork.markdown).not.toContain('newly labelled');
    expect(fork.markdown).toContain('the line is skipped');
  });

  it('alone, is said as a line skipped, not as an object newly labelled', async () => {
    const headText = text([...Object.entries(labels), ['Z'.repeat(250), 'coin']]);
    const { markdown } = await run(headText, labels);
    expect(markdown).toContain(
      '1 line has an object id far too long (a text pasted into the cell by mistake), so it is skipped',
    );
    expect(markdown).not.toContain('newly labelled');
    expect(row(markdown, `${'Z'.repeat(40)}…`)).toContain('250 characters long');
  });

  it('already on the base’s line is no change of this pull request', async () => {
    const { ws } = await makeRepo({
      objects,
      base: labels,
      head: labels,
      baseText: text([...Object.entries(labels), ['Z'.repeat(250), 'coin']]),
      headText: text([...Object.entries(labels), ['Z'.repeat(250), 'coin']]),
    });
    await reportStage.run({
      ws,
      params,
      log: silentLogger,
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      env: { GITHUB_BASE_REF: 'main' },
    });
    const markdown = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    expect(markdown).toContain('No label in labels.csv changed.');
  });

  it('taken out by the pull request is no label removed', async () => {
    const { ws } = await makeRepo({
      objects,
      base: labels,
      head: labels,
      baseText: text([...Object.entries(labels), ['Z'.repeat(250), 'coin']]),
    });
    await reportStage.run({
      ws,
      params,
      log: silentLogger,
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      env: { GITHUB_BASE_REF: 'main' },
    });
    const markdown = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    expect(markdown).not.toContain('Z'.repeat(41));
    expect(markdown).not.toContain('label removed');
  });
});

describe('an object on hundreds of lines of labels.csv', () => {
  it('has a row of a few lines in the comment, naming its first lines and counting the others', async () => {
    // DM-0001 on 300 lines that disagree, DM-0002 on 300 lines with the label cell empty (a paste gone wrong).
    const { 'DM-0001': _, 'DM-0002': __, ...head } = labels;
    const pasted: [string, string][] = Array.from({ length: 300 }, (_, i) => ['DM-0001', i % 2 ? 'mask' : 'coin']);
    const emptied: [string, string][] = Array.from({ length: 300 }, () => ['DM-0002', '']);
    const { markdown, full } = await run(text([...Object.entries(head), ...pasted, ...emptied]), head);
    const one = row(markdown, 'DM-0001');
    const two = row(markdown, 'DM-0002');
    expect(one).toContain('on 300 lines with different labels (line 36 "coin", line 37 "mask"');
    expect(one).toContain('and 290 more');
    expect(two).toContain('and 290 more');
    for (const report of [markdown, full ?? ''])
      for (const line of report.split('\n')) expect(line.length).toBeLessThan(2000);
  });
});

describe('a line of an id not in the collection with a label far too long', () => {
  it('is said as the dataset stage says it, not counted as an object newly labelled', async () => {
    const { markdown, json } = await run(text([...Object.entries(labels), ['NEWX-1', 'x'.repeat(3000)]]), labels);
    expect(markdown).not.toContain('newly labelled');
    expect(markdown).not.toContain('not in the dataset');
    expect(markdown).toContain(
      '1 line has a label far too long (a text pasted into the cell by mistake), so it is skipped',
    );
    expect(row(markdown, 'NEWX-1')).toContain('the label of object "NEWX-1" is 3,000 characters long');
    expect(json.labels.changes[0].unknownId).toMatchObject({ id: 'NEWX-1', line: 38, tooLong: 'label' });
  });
});
