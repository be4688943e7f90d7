import { describe, expect, it } from 'vitest';
import { JSON_LIST_LIMIT, JSON_STRING_LIMIT, reportJsonToWrite } from '../../pipeline/report/json-limits.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';

/*
 * Tester T16 F4: report.json kept a 10 MB cell of data/objects.csv whole (10.5 MB), repeated a 300-character hint on
 * each of 100,000 rows (60 MB), and listed 100,001 label changes, more than the fork check takes ("labels.changes: Too
 * big" in the fork's comment, which reads like tampering). It is written within the fork check's limits, saying what
 * it cut.
 */

const HINT =
  'so many lines of this change name no object that they are most likely objects the last import left out: ' +
  'remove the lines of objects that have left the collection, or import the complete export again.';

const change = (i: number, hint = HINT) => ({
  id: `XX-${i}`,
  kind: 'added',
  before: null,
  after: 'coin',
  line: i + 2,
  title: '',
  split: null,
  candidate: null,
  baseline: null,
  thumbnailUrl: null,
  pageUrl: null,
  unknownId: { id: `XX-${i}`, line: i + 2, hint },
});

const report = (edit: (r: any) => void = () => {}): ReportJson => {
  const r: any = {
    schema: 'vitrine.report/1',
    headline: 'No detectable difference',
    labels: { changes: [], counts: { changed: 0, added: 0, removed: 0 } },
  };
  edit(r);
  return r as ReportJson;
};

describe('report.json as written', () => {
  it('keeps the beginning of a 10 MB cell of an edited object, ending it with an ellipsis, and says so', () => {
    const big = 'x'.repeat(10_000_000);
    const whole = report((r) => {
      r.objectsEdited = {
        columns: [],
        count: 1,
        photographs: 0,
        objects: [{ id: 'DM-0001', fields: [{ name: 'description', before: '', after: big }] }],
      };
    });
    const out = reportJsonToWrite(whole);
    const after = out.objectsEdited!.objects[0]!.fields[0]!.after;
    expect(after).toHaveLength(JSON_STRING_LIMIT);
    expect(after.endsWith('x…')).toBe(true);
    expect(JSON.stringify(out).length).toBeLessThan(10_000);
    expect(out.leftOut).toEqual([
      'report.json keeps the first 2,000 characters of 1 text longer than that, ending it with "…" ' +
        '(objectsEdited.objects.fields.after)',
    ]);
    // The report the comment was made from is left whole.
    expect(whole.objectsEdited!.objects[0]!.fields[0]!.after).toBe(big);
  });

  it('lists the first 100,000 of 100,001 label changes and says so, its counts whole', () => {
    const changes = Array.from({ length: JSON_LIST_LIMIT + 1 }, (_, i) => change(i));
    const whole = report((r) => {
      r.labels = { changes, counts: { changed: 0, added: changes.length, removed: 0, unknownIds: changes.length } };
    });
    const out = reportJsonToWrite(whole);
    expect(out.labels.changes).toHaveLength(100_000);
    expect(out.labels.changes.at(-1)!.id).toBe('XX-99999');
    expect(out.labels.counts.added).toBe(100_001);
    expect(out.leftOut).toEqual(['report.json lists the first 100,000 of 100,001 label changes']);
    // The hint the rows share is kept once: 100,000 copies of it made report.json 60 MB.
    expect(out.labels.unknownIdHint).toBe(HINT);
    expect(out.labels.changes[0]!.unknownId!.hint).toBe('');
    expect(JSON.stringify(out).length).toBeLessThan(JSON.stringify(whole).length - 99_999 * HINT.length);
  });

  it('keeps a hint on its row when no other row shares it', () => {
    const out = reportJsonToWrite(
      report((r) => {
        r.labels.changes = [change(0), change(1), change(2, 'check the id for a typo.')];
      }),
    );
    expect(out.labels.unknownIdHint).toBe(HINT);
    expect(out.labels.changes.map((c) => c.unknownId!.hint)).toEqual(['', '', 'check the id for a typo.']);
    expect(out.leftOut).toBeUndefined();
    const one = reportJsonToWrite(report((r) => (r.labels.changes = [change(0)])));
    expect(one.labels.unknownIdHint).toBeUndefined();
    expect(one.labels.changes[0]!.unknownId!.hint).toBe(HINT);
  });

  it('is the report itself when nothing is over a limit', () => {
    const whole = report((r) => {
      r.objectsEdited = { columns: [], count: 1, photographs: 0, objects: [{ id: 'a', fields: [] }] };
    });
    expect(reportJsonToWrite(whole)).toEqual(whole);
  });
});
