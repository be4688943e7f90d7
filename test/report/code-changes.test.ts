import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * A pull request of the repository runs its own workflow and pipeline (pull_request): one that changes them can
 * change how it is judged. The report names those files, so that reviewers read them before trusting the verdict.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));

describe('a pull request that changes the code that judges it', () => {
  it('is named in the report; one that changes only data is not', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const plain = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(plain.markdown).not.toContain('changes the code that judges it');

    const dir = ws.root;
    for (const file of ['pipeline/evaluate/gate.ts', '.github/workflows/pull-request.yml', 'docs/readme.md']) {
      await mkdir(path.join(dir, path.dirname(file)), { recursive: true });
      await writeFile(path.join(dir, file), 'changed\n');
      await git.add({ fs, dir, filepath: file });
    }
    await git.commit({ fs, dir, message: 'code', author: { name: 't', email: 't@t', timestamp: 1_700_000_000 } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.codeChanged).toEqual(['.github/workflows/pull-request.yml', 'pipeline/evaluate/gate.ts']);
    expect(markdown).toContain(
      '⚠️ **This pull request also changes the code that judges it:** `.github/workflows/pull-request.yml`, ' +
        '`pipeline/evaluate/gate.ts` — review those changes before trusting this verdict.',
    );
  });

  it('is not named when only the base branch changed code since the pull request left it', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const dir = ws.root;
    const sh = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, stdio: 'pipe' });
    // main moves on (a code change merged elsewhere) after this branch left it.
    sh('checkout', '-q', 'main');
    await mkdir(path.join(dir, 'pipeline'), { recursive: true });
    await writeFile(path.join(dir, 'pipeline', 'gate.ts'), 'newer\n');
    sh('add', 'pipeline/gate.ts');
    sh('commit', '-qm', 'code on main');
    sh('checkout', '-q', 'fix-labels');
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.codeChanged).toBeUndefined();
    expect(markdown).not.toContain('changes the code that judges it');
  });
});
