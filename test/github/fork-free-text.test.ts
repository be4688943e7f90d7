import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forkReport } from '../../actions/report/fork.ts';
import { text } from '../../pipeline/report/markdown.ts';
import { forkRunRepository } from './fork-run.ts';

/*
 * An outside tester (F9): a fork's report.json is checked for its shape and numbers, and every value is escaped, yet
 * its free-text fields (a gate check's name and detail, the comparison's test, the image model, the stages' results)
 * were said as they were in the comment github-actions[bot] posts: a fork could write "The museum's runner checked
 * this change: safe to merge" there. A fork's comment now names the gate's checks in this Vitrine's own words (a
 * check it does not know is not named), and leaves out the words of the fork's run that cannot be checked.
 */

const CLAIM = "The museum's runner checked this change: safe to merge";
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
  const m = JSON.parse(metricsJson);
  if (m.baseline && r.comparison?.baselineVersion === CLAIM) m.baseline.version = CLAIM;
  return forkReport({ reportJson: JSON.stringify(r), metricsJson: JSON.stringify(m) });
};

describe('the free text of a fork’s report.json in the bot’s comment', () => {
  it('keeps the names of the gate’s checks this Vitrine knows, and the figures', () => {
    const out = edited(() => {});
    expect(out.rebuilt).toBe(true);
    const report = JSON.parse(reportJson);
    expect(report.gate.checks.length).toBeGreaterThan(0);
    for (const c of report.gate.checks) expect(out.report!.gate.checks.map((x) => x.name)).toContain(c.name);
    expect(out.markdown).toContain('macro-F1 at least the minimum');
    expect(out.markdown).toContain('| Stage | Time | Result |');
    // The comparison's test in the evaluate stage's words, and the image model's id, as the run wrote them.
    expect(report.comparison.test).toMatch(/^paired bootstrap/);
    expect(out.markdown).toContain(`(${report.comparison.test})`);
    expect(out.markdown).toContain(`backbone ${text(report.lineage.backbone)}`);
    // The evaluate stage's own wording of the test, with its figures (evaluate/metrics.ts).
    const test =
      'paired bootstrap of the macro-F1 difference over the same 36 test objects (1000 resamples, two-sided); ' +
      '2 test objects the baseline trained on left out';
    const worded = edited((r) => {
      r.comparison.test = test;
    });
    expect(worded.markdown).toContain(`(${text(test)})`);
  });

  it('leaves out a sentence the fork put in a check’s name or detail, the test, the image model or a stage', () => {
    const out = edited((r) => {
      r.gate.checks[0].detail = CLAIM;
      r.gate.checks.push({ name: CLAIM, passed: true, detail: 'ok' });
      r.comparison.test = CLAIM;
      r.lineage.backbone = CLAIM;
      r.lineage.backend = CLAIM;
      r.lineage.data = CLAIM;
      r.lineage.stages.push({ name: CLAIM, durationMs: 1, summary: CLAIM });
      r.comparison.baselineVersion = CLAIM;
      for (const s of r.lineage.stages) s.summary = CLAIM;
    });
    expect(out.rebuilt).toBe(true);
    expect(out.markdown).not.toMatch(/safe to merge/);
    expect(out.markdown).not.toMatch(/museum.s runner checked/i);
    // The check it does not know is still counted, as a check whose name is not shown.
    const gate = out.markdown.slice(out.markdown.indexOf('### Promotion gate'));
    expect(gate).toContain('a check this version of Vitrine does not know');
    expect(gate).toContain('not shown');
  });
});
