import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLabels, spreadsheetLosses } from '../../pipeline/dataset/validate.ts';
import { checkGate, withSpreadsheetIdsCheck } from '../../pipeline/evaluate/gate.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { evaluateSummary } from '../../pipeline/stages/evaluate.ts';
import { reportStage } from '../../pipeline/stages/report.ts';

import type { Metrics } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

/*
 * An outside tester: labels.csv saved from Excel dropped the leading zeros of object ids ("00001" became "1"). The
 * pull request's report began "✅ No detectable difference … The promotion gate passes.", the label section said only
 * "15 lines name an object id that is not in the collection", and merging it published those objects without their
 * staff label. Ids Excel turned into dates (2019/4/3 as 03/04/2019) were listed as objects newly labelled.
 */

const params = validateParams({ raw: { train: { epochs: 60 } } });
const numbered = demoObjects().map((o, i) => ({ ...o, id: String(i + 1).padStart(5, '0') }));
const row = (markdown: string, id: string) => markdown.split('\n').find((l) => l.startsWith(`| ${id} `)) ?? '';

/** labels.csv as Excel saves it (a byte-order mark, CRLF), each id through `excel`. */
function excelText(labels: Record<string, string>, excel: (id: string) => string): string {
  const lines = Object.entries(labels).map(([id, label]) => `${excel(id)},${label}`);
  return `\ufeffobject_id,label\r\n${lines.join('\r\n')}\r\n`;
}

/** A pull request whose labels.csv went through `excel`, with metrics.json's gate as the evaluate stage checks it. */
async function excelPullRequest(objects: typeof numbered, excel: (id: string) => string) {
  const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
  const headText = excelText(labels, excel);
  const head = Object.fromEntries(Object.entries(labels).filter(([id]) => excel(id) === id));
  const { ws } = await makeRepo({ objects, base: labels, head, headText });
  // The dataset stage's issues and the evaluate stage's gate, from the same labels.csv.
  const lines = Object.entries(labels).map(([id, label], i) => ({ objectId: excel(id), label, line: i + 2 }));
  const { issues } = checkLabels({
    labels: lines,
    objectIds: new Set(Object.keys(labels)),
    vocabulary: VOCABULARY,
    name: 'labels.csv',
  });
  const losses = spreadsheetLosses({ issues, labelled: (id) => head[id] !== undefined });
  const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
  const gate = withSpreadsheetIdsCheck({
    gate: checkGate({ candidate: metrics, baseline: metrics.baseline, gate: params.gate }),
    losses,
  });
  await writeStageOutputs({ ws, objects, head, metrics: { gate } });
  const datasetFile = path.join(ws.dataset, 'dataset.json');
  const dataset = JSON.parse(await readFile(datasetFile, 'utf8'));
  await import('node:fs/promises').then((fs) => fs.writeFile(datasetFile, JSON.stringify({ ...dataset, issues })));
  return { ws, losses, gate };
}

describe('labels.csv saved from a spreadsheet that dropped the leading zeros of 15 ids', () => {
  const excel = (id: string) => (Number(id) <= 15 ? String(Number(id)) : id);

  it('says first, and in the commit status, that 15 staff labels would be lost, and the gate does not pass', async () => {
    const { ws, losses, gate } = await excelPullRequest(numbered, excel);
    expect(losses.map((l) => [l.id, l.meant])).toContainEqual(['1', '00001']);
    expect(losses).toHaveLength(15);
    expect(gate.passed).toBe(false);
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const first = markdown.split('\n')[0]!;
    expect(first).not.toContain('✅');
    expect(first).toMatch(/^(⚠️|❌) \*\*15 labels would be lost/);
    expect(first).toContain('"1" for "00001"');
    expect(first).toContain('text editor');
    expect(first).toContain('The promotion gate does not pass.');
    expect(json.headline).toMatch(/^15 labels would be lost/);
    expect(json.headline).toContain('The promotion gate does not pass.');
    expect(json.headline.length).toBeLessThanOrEqual(140);
  });

  it('counts the labels lost once: the label section’s summary says as many as its table has rows', async () => {
    const { ws } = await excelPullRequest(numbered, excel);
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const rows = numbered.filter((o) => row(markdown, o.id).includes('Did you mean'));
    expect(rows).toHaveLength(15);
    expect(json.labels.spreadsheetIds).toHaveLength(15);
    expect(markdown).toContain('15 labels lost to ids a spreadsheet changed');
    expect(markdown).not.toMatch(/\d+ labels? removed/);
  });
});

describe('the count of labels lost to ids a spreadsheet changed', () => {
  it('is the same in the evaluate stage’s line, the report stage’s line and the report’s first line', async () => {
    const excel = (id: string) => (Number(id) <= 15 ? String(Number(id)) : id);
    const { ws, losses } = await excelPullRequest(numbered, excel);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    const evaluated = evaluateSummary({
      metrics,
      unread: 0,
      leftOut: 0,
      mayBeWrong: null,
      spreadsheetLost: losses.length,
    });
    expect(evaluated).toContain('15 labels lost to ids a spreadsheet changed in labels.csv; gate failed');
    const { summary } = await reportStage.run({
      ws,
      params,
      log: silentLogger,
      clock: { now: () => new Date('2026-01-03T00:00:00Z') },
      env: { GITHUB_BASE_REF: 'main' },
    });
    expect(summary).toContain('gate fails');
    expect(summary).toContain('15 labels lost to ids a spreadsheet changed');
    expect(summary).not.toMatch(/labels? removed|not in the collection/);
  });
});

describe('labels.csv saved from a spreadsheet that turned date-like ids into dates', () => {
  // Ids such as 2019/4/3 (a collection that numbers by the date of entry), saved by Excel as 03/04/2019.
  const dated = numbered.map((o, i) => ({ ...o, id: `2019/4/${i + 1}` }));
  const excel = (id: string) => {
    const day = Number(id.split('/')[2]);
    return day <= 9 ? `${String(day).padStart(2, '0')}/04/2019` : id;
  };

  it('names the object each line was meant for, and lists no object as newly labelled', async () => {
    const { ws } = await excelPullRequest(dated, excel);
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes.filter((c) => c.kind === 'added')).toEqual([]);
    expect(markdown).not.toContain('newly labelled');
    expect(row(markdown, '2019/4/3')).toContain('Did you mean "2019/4/3"?');
    expect(markdown.split('\n')[0]).toMatch(/9 labels would be lost.*"03\/04\/2019" for "2019\/4\/3"/);
  });
});

// Reviewer: a labels.csv line naming "2019.10" beside an unlabelled object "2019.1", or "2020.1.5" beside "2020.5.1",
// failed the gate as "1 label would be lost … ("2019.10" for "2019.1")": a spreadsheet drops zeros, never adds them,
// and takes no dotted accession number for a date. Such a line names an object not in the collection, no more.
describe('labels.csv ids no spreadsheet can have made from an unlabelled object', () => {
  const accessions = numbered.map((o, i) => ({ ...o, id: ['2019.1', '2020.5.1'][i] ?? `2021.${i}` }));
  const edited = (id: string) => ({ '2019.1': '2019.10', '2020.5.1': '2020.1.5' })[id] ?? id;

  it('are no labels lost: the gate passes and the first line says nothing of a spreadsheet', async () => {
    const { ws, losses, gate } = await excelPullRequest(accessions, edited);
    expect(losses).toEqual([]);
    expect(gate.passed).toBe(true);
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown.split('\n')[0]).not.toContain('would be lost');
    expect(json.labels.spreadsheetIds ?? []).toEqual([]);
    expect(markdown).not.toContain('Did you mean');
  });
});
