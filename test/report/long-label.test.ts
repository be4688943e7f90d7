import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forkReport } from '../../actions/report/fork.ts';
import { MAX_LABEL_BYTES } from '../../pipeline/collection/value-limits.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * An outside tester (F8): a label of 3,000 characters pasted into one cell of labels.csv was printed in full, twice,
 * in the row of the label-changes table (6,121 characters: "Label now", then `"xxx…" is not one of the collection's
 * labels`), costing the comment room for other rows; and a fork's report.json holding it (over the 2,000 characters
 * a string of it may have) was refused whole: "The report of this fork's run cannot be shown … Too big". Labels are cut
 * as titles are: to LABEL_SHOWN_MAX characters with "…", which no label of the vocabulary (at most MAX_LABEL_BYTES
 * bytes) reaches, in the comment and in report.json.
 */

describe('a label pasted by mistake, thousands of characters long', () => {
  it('is cut in the comment’s rows and in report.json, and a fork’s report with it is shown', async () => {
    const long = 'x'.repeat(3000);
    const objects = demoObjects();
    const base = Object.fromEntries(objects.map((o) => [o.id, o.label]));
    // Beside a change to a label of the vocabulary, kept whole.
    const head = { ...base, 'DM-0007': long, 'DM-0008': 'coin' };
    const { ws } = await makeRepo({ objects, base, head });
    await reportStage.run({
      ws,
      params: validateParams({ raw: {} }),
      log: silentLogger,
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      env: { GITHUB_BASE_REF: 'main' },
    });
    const markdown = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    const reportJson = await readFile(path.join(ws.report, 'report.json'), 'utf8');
    const metricsJson = await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8');
    const row = markdown.split('\n').find((l) => l.startsWith('| DM-0007'))!;
    expect(row).toBeDefined();
    expect(row.length).toBeLessThan(600);
    expect(row).toContain(`${'x'.repeat(MAX_LABEL_BYTES - 1)}…`);
    expect(markdown).not.toContain('x'.repeat(MAX_LABEL_BYTES));
    const report = JSON.parse(reportJson);
    const change = report.labels.changes.find((c: { id: string }) => c.id === 'DM-0007');
    expect(change.after).toBe(`${'x'.repeat(MAX_LABEL_BYTES - 1)}…`);
    // A label of the vocabulary is kept whole.
    expect(report.labels.changes.find((c: { id: string }) => c.id === 'DM-0008').after).toBe('coin');
    const fork = forkReport({ reportJson, metricsJson });
    expect(fork.reason).toBeNull();
    expect(fork.rebuilt).toBe(true);
    expect(fork.markdown).not.toContain('x'.repeat(MAX_LABEL_BYTES));
  });

  it('is cut in a fork’s comment when the fork’s report.json holds it whole', async () => {
    const objects = demoObjects();
    const base = Object.fromEntries(objects.map((o) => [o.id, o.label]));
    const { ws } = await makeRepo({ objects, base, head: { ...base, 'DM-0007': 'mask' } });
    await reportStage.run({
      ws,
      params: validateParams({ raw: {} }),
      log: silentLogger,
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      env: { GITHUB_BASE_REF: 'main' },
    });
    const report = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8'));
    const metricsJson = await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8');
    const change = report.labels.changes.find((c: { id: string }) => c.id === 'DM-0007');
    change.after = 'y'.repeat(1500);
    change.before = 'z'.repeat(1500);
    const fork = forkReport({ reportJson: JSON.stringify(report), metricsJson });
    expect(fork.rebuilt).toBe(true);
    expect(fork.markdown).not.toContain('y'.repeat(MAX_LABEL_BYTES));
    expect(fork.markdown).not.toContain('z'.repeat(MAX_LABEL_BYTES));
    expect(fork.markdown).toContain(`${'y'.repeat(MAX_LABEL_BYTES - 1)}…`);
  });
});
