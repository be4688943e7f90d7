import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * An outside tester: after a merge, `vitrine run` on main logged "Model version v1.1.0 is now in production" while
 * its report.md said "0.719 for the model in production (v1.0.0)": the report is written before the run promotes.
 * On the main branch itself the model compared with is the one in production before this run.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const plain = (markdown: string) => markdown.replace(/\\([()[\]_*.])/g, '$1');

describe('the model compared with, named in the report', () => {
  it('on the main branch itself, is the one in production before this run', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const onMain = await buildReport({
      ws,
      params,
      noBase: { code: 'on-branch', reason: 'this run is on main itself' },
      log: silentLogger,
    });
    expect(plain(onMain.fullMarkdown)).toContain('for the model in production before this run (v1.0.0)');
    expect(plain(onMain.fullMarkdown)).not.toContain('for the model in production (v1.0.0)');
    // A pull request: merging has not happened, the model in production is the one named.
    const branch = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(plain(branch.fullMarkdown)).toContain('for the model in production (v1.0.0)');
  });
});
