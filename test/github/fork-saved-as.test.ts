import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forkReport } from '../../actions/report/fork.ts';
import { forkRunRepository } from './fork-run.ts';

/*
 * A fork's comment is rendered again from its validated report.json, whose schema dropped two notes the museum's own
 * comment gives: labels.csv saved by Excel (every line shown as changed) and labels.csv edited after the dataset stage
 * read it. Both are plain enums and booleans, safe to take from a fork (helper L6's finding).
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

describe('a fork’s comment on labels.csv', () => {
  it('says that Excel’s line ends make every line show as changed', () => {
    const out = edited((r) => {
      r.labels.savedDifferently = {
        base: { lineEnds: 'unix', bom: false },
        head: { lineEnds: 'windows', bom: true },
        everyLine: true,
      };
    });
    expect(out.rebuilt).toBe(true);
    expect(out.markdown).toContain('labels.csv was saved with Windows line ends and a byte-order mark');
    expect(out.markdown).toContain('shows every line as changed');
  });

  it('says labels.csv changed after the dataset stage read it', () => {
    const out = edited((r) => {
      r.labels.changedSinceRead = true;
    });
    expect(out.rebuilt).toBe(true);
    expect(out.markdown).toContain('labels.csv changed after the dataset stage read it');
  });

  it('is refused when the note does not have the shape Vitrine writes', () => {
    const out = edited((r) => {
      r.labels.savedDifferently = { base: { lineEnds: 'dos <b>', bom: false }, head: 'x', everyLine: true };
    });
    expect(out.rebuilt).toBe(false);
    expect(out.reason).toMatch(/savedDifferently/);
  });
});
