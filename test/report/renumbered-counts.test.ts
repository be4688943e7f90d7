import { describe, expect, it } from 'vitest';
import { openingLines } from '../../pipeline/report/opening.ts';
import type { LabelChange, RemovedObject, ReportJson } from '../../pipeline/report/types.ts';
import { labelsLogWords } from '../../pipeline/stages/report.ts';

/*
 * Task F1: an object renumbered (the same photograph under a new number) is told once in the report's label table,
 * but its old number's label still counted as a label taken out in the opening's warning, and as two label changes
 * in the run's log. A registrar renumbering 25 objects in one pull request was warned that their labels were taken
 * out. Plain data: the report.json the report stage writes, as much of it as these words read.
 */

const id = (n: number) => `DM-${String(n).padStart(4, '0')}`;

function change(c: Pick<LabelChange, 'id' | 'kind'> & { before?: string; after?: string; emptyLines?: number[] }) {
  const none = { before: null, after: null, thumbnailUrl: null, pageUrl: null, split: null };
  return { ...none, candidate: null, baseline: null, line: 2, title: '', ...c } as LabelChange;
}

/**
 * 300 objects labelled at the base; `renumbered` of them come back under a new number with their label (`relabel`:
 * another label), `emptied` others have their label cell emptied.
 */
function report({ renumbered = 0, emptied = 0, relabel = false }): ReportJson {
  const changes: LabelChange[] = [];
  const removed: RemovedObject[] = [];
  for (let i = 1; i <= renumbered; i++) {
    changes.push(change({ id: id(i), kind: 'removed', before: 'coin' }));
    changes.push(change({ id: id(1000 + i), kind: 'added', after: relabel ? 'bowl' : 'coin' }));
    removed.push({ id: id(i), title: '', labelled: false, renumbered: id(1000 + i) });
  }
  for (let i = 101; i <= 100 + emptied; i++)
    changes.push(change({ id: id(i), kind: 'removed', before: 'coin', emptyLines: [i + 1] }));
  const count = (kind: LabelChange['kind']) => changes.filter((c) => c.kind === kind).length;
  const counts = { changed: count('changed'), added: count('added'), removed: count('removed') };
  return {
    verdict: 'no detectable difference',
    gate: { passed: true },
    labels: { baseCommit: 'a'.repeat(40), changes, counts, labelledAtBase: 300 },
    objectsRemoved: { objects: removed },
    lineage: { params: [] },
  } as unknown as ReportJson;
}

const warning = (r: ReportJson) => openingLines({ report: r }).warnings.find((w) => w.includes('takes the labels'));

describe('objects renumbered in a pull request, in the opening warning of labels taken out', () => {
  it('25 objects renumbered with their labels are no labels taken out: no warning', () => {
    expect(warning(report({ renumbered: 25 }))).toBeUndefined();
    expect(warning(report({ renumbered: 25, relabel: true }))).toBeUndefined();
  });

  it('20 label cells really emptied still warn, counted without the objects renumbered', () => {
    expect(warning(report({ emptied: 20 }))).toMatch(/takes the labels of 20 of the 300 labelled objects out/);
    expect(warning(report({ renumbered: 25, emptied: 20 }))).toBe(
      'This pull request takes the labels of 20 of the 300 labelled objects out (20 label cells emptied in ' +
        'labels.csv): once merged, no model learns from them or is scored on them. If that was not meant (a filter ' +
        'left on in a spreadsheet, say), restore their labels in labels.csv.',
    );
  });
});

describe('objects renumbered in a pull request, in the report stage log', () => {
  it('counts the label of an object renumbered once, as the report says it', () => {
    expect(labelsLogWords(report({ renumbered: 1 }))).toBe(', 1 label kept by an object renumbered');
    expect(labelsLogWords(report({ renumbered: 2, emptied: 1 }))).toBe(
      ', 2 labels kept by objects renumbered and 1 label removed',
    );
    expect(labelsLogWords(report({ renumbered: 1, relabel: true }))).toBe(', 1 object renumbered and relabelled');
  });
});
