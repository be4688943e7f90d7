import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * An outside tester: in a clone whose .git is a file naming its git folder (git clone --separate-git-dir, a
 * submodule), the report said "this copy of the repository has no branch main to compare with" and listed no label
 * change. That folder is a whole repository, and is read as one.
 */

const objects = demoObjects();
const base: Record<string, string> = { ...Object.fromEntries(objects.map((o) => [o.id, o.label])), 'DM-0007': 'coin' };
const params = validateParams({ raw: { train: { epochs: 60 } } });
let tmp: string | undefined;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@x', ...args], { cwd, encoding: 'utf8' }).trim();

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the report in a clone made with --separate-git-dir, on a branch', () => {
  it('compares with main and lists the branch’s label change', async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'vitrine-report-separate-'));
    const repo = await makeRepo({ objects, base, head: base });
    git(repo.ws.root, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    const clone = path.join(tmp, 'clone');
    git(tmp, 'clone', '-q', `--separate-git-dir=${path.join(tmp, 'history.git')}`, repo.ws.root, clone);
    expect(await readFile(path.join(clone, '.git'), 'utf8')).toMatch(/^gitdir: /);
    git(clone, 'checkout', '-q', '-b', 'fix');
    const ws = workspace(clone);
    await writeFile(ws.labels, (await readFile(ws.labels, 'utf8')).replace('DM-0007,coin', 'DM-0007,figurine'));
    git(clone, 'commit', '-qam', 'Correct DM-0007');
    const head = git(clone, 'rev-parse', 'HEAD');
    await writeStageOutputs({ ws, objects, head: { ...base, 'DM-0007': 'figurine' } });

    await reportStage.run({ ws, params, log: memoryLogger(), clock: { now: () => new Date('2026-01-03') }, env: {} });
    const json = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8')) as ReportJson;
    expect(json.labels.baseCommit).toBe(git(clone, 'rev-parse', 'main'));
    expect(json.labels.headCommit).toBe(head);
    expect(json.labels.changes.map((c) => [c.id, c.after])).toEqual([['DM-0007', 'figurine']]);
  });
});
