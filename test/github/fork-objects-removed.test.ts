import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forkReport } from '../../actions/report/fork.ts';
import { reportJsonToWrite } from '../../pipeline/report/json-limits.ts';
import { renderMarkdown } from '../../pipeline/report/render.ts';
import { forkRunRepository } from './fork-run.ts';

/*
 * A fork's comment is rendered again from its validated report.json: the objects its change takes out of the
 * catalogue and the objects on lines of labels.csv that disagree are said there too, from the validated fields only
 * (the schema dropped them before), every value escaped.
 */

let reportJson = '';
let metricsJson = '';

beforeAll(async () => {
  const ws = await forkRunRepository();
  reportJson = await readFile(path.join(ws.report, 'report.json'), 'utf8');
  metricsJson = await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8');
});

const edited = (edit: (r: any) => void) => {
  const r = JSON.parse(reportJson);
  edit(r);
  return forkReport({ reportJson: JSON.stringify(r), metricsJson });
};

describe("a fork's comment", () => {
  it('says which objects leave the catalogue, escaped', () => {
    const out = edited((r) => {
      r.objectsRemoved = {
        objects: [{ id: 'DM-0010', title: 'Bowl @octocat <script>x</script>', labelled: true }],
      };
    });
    expect(out.rebuilt).toBe(true);
    const line = out.markdown.split('\n').find((l) => l.includes('leaves the catalogue'))!;
    expect(line).toContain('**1 object leaves the catalogue:** DM-0010 “Bowl @\u200boctocat &lt;script&gt;');
    expect(line).toContain('its label stays in labels.csv');
    expect(out.markdown).not.toContain('<script>');
    expect(out.markdown.indexOf(line)).toBeLessThan(out.markdown.indexOf('### Promotion gate'));
    expect(out.report?.objectsRemoved?.objects).toHaveLength(1);
  });

  it('is refused when the objects removed do not have the shape Vitrine writes', () => {
    const out = edited((r) => {
      r.objectsRemoved = { objects: [{ id: 'DM-0010', title: 'Bowl', labelled: 'yes' }] };
    });
    expect(out.rebuilt).toBe(false);
    expect(out.reason).toMatch(/objectsRemoved/);
  });

  it('says an object is on lines that disagree, from the validated lines', () => {
    const out = edited((r) => {
      const c = r.labels.changes[0];
      Object.assign(c, {
        kind: 'removed',
        after: null,
        disagreeing: [
          { line: 8, label: 'coin' },
          { line: 40, label: 'figurine <b>@x</b>' },
        ],
      });
      r.labels.counts = { ...r.labels.counts, removed: 1, disagreeing: 1 };
    });
    expect(out.rebuilt).toBe(true);
    expect(out.report?.labels.changes[0]?.disagreeing).toHaveLength(2);
    const row = out.markdown.split('\n').find((l) => l.includes('(lines 8 and 40)'))!;
    expect(row).toContain('on 2 lines with different labels (line 8 "coin" and line 40 "figurine &lt;b&gt;@\u200bx');
    expect(row).toContain('neither is used until one line is removed');
    expect(out.markdown).toContain('1 object is on lines with different labels');
  });

  it('says a line names an id near an object, from the validated fields, escaped', () => {
    const out = edited((r) => {
      const c = r.labels.changes.find((x: any) => x.id === 'DM-0007');
      Object.assign(c, {
        kind: 'removed',
        after: null,
        unknownId: {
          id: 'dm-0007 <b>@x</b>',
          line: 8,
          hint: 'it differs from an id in the collection only in capitals. Did you mean "DM-0007"?',
        },
      });
      r.labels.counts = { ...r.labels.counts, unknownIds: 1 };
    });
    expect(out.rebuilt).toBe(true);
    expect(out.report?.labels.changes.find((c) => c.id === 'DM-0007')?.unknownId?.line).toBe(8);
    const row = out.markdown.split('\n').find((l) => l.startsWith('| DM-0007 '))!;
    expect(row).toContain('DM-0007 (line 8)');
    expect(row).toContain('line 8 now names "dm-0007 &lt;b&gt;@\u200bx');
    expect(row).toContain('only in capitals. Did you mean "DM-0007"? Until it is corrected, the label is not used');
    expect(out.markdown).not.toContain('<b>');
    expect(out.markdown).toContain('1 line names an object id that is not in the collection');
  });

  it('says a label cell was emptied on its line', () => {
    const out = edited((r) => {
      Object.assign(
        r.labels.changes.find((x: any) => x.id === 'DM-0007'),
        { kind: 'removed', after: null, emptyLines: [8] },
      );
    });
    expect(out.rebuilt).toBe(true);
    const row = out.markdown.split('\n').find((l) => l.startsWith('| DM-0007 '))!;
    expect(row).toContain('DM-0007 (line 8)');
    expect(row).not.toContain('was line');
    expect(row).toContain('line 8 with the label cell empty: the label is no longer used for training');
  });

  it('is refused when an unknown id does not have the shape Vitrine writes', () => {
    const out = edited((r) => {
      r.labels.changes[0].unknownId = { id: 'dm-0007', line: 'eight', hint: 'x' };
    });
    expect(out.rebuilt).toBe(false);
  });

  // Tester T16 F4: 100,001 label changes were "labels.changes: Too big" in the fork's comment, read as tampering.
  it('is rebuilt from a report.json of 100,001 label changes as Vitrine writes it, the hint they share said', () => {
    const hint =
      'so many lines of this change name no object that they are most likely objects the last import left out';
    const r = JSON.parse(reportJson);
    const c = r.labels.changes[0];
    r.labels.changes = Array.from({ length: 100_001 }, (_, i) => ({
      ...c,
      id: `XX-${i}`,
      kind: 'added',
      before: null,
      after: 'coin',
      line: i + 2,
      unknownId: { id: `XX-${i}`, line: i + 2, hint },
    }));
    r.labels.counts = { changed: 0, added: 100_001, removed: 0, unknownIds: 100_001 };
    const out = forkReport({ reportJson: JSON.stringify(reportJsonToWrite(r)), metricsJson });
    expect(out.rebuilt).toBe(true);
    expect(out.report?.leftOut).toEqual(['report.json lists the first 100,000 of 100,001 label changes']);
    const row = out.markdown.split('\n').find((l) => l.startsWith('| XX-0 '))!;
    expect(row).toContain(`"XX-0", which is not an object id in the collection: ${hint}`);
  });

  it('says report.json lists the first 100,000 label changes when there are more, not all of them', () => {
    const report = JSON.parse(reportJson);
    const c = report.labels.changes[0];
    report.labels.changes = Array.from({ length: 100_001 }, (_, i) => ({ ...c, id: `XX-${i}`, line: i + 2 }));
    report.labels.counts = { changed: 100_001, added: 0, removed: 0 };
    const input = { report, metrics: JSON.parse(metricsJson), model: null, dataset: null, drift: null };
    const md = (labelRowsForRoom?: number) =>
      renderMarkdown({ ...input, collectionName: 'c', maxLabelChanges: 50, labelRowsForRoom, limit: Infinity });
    expect(md(10)).toContain("report-full.md among the run's files lists 50, report.json the first 100,000).");
    expect(md(10)).not.toContain('all of them');
    expect(md()).toContain("…and 99,951 more (report.json in the run's files lists the first 100,000).");
  });
});
