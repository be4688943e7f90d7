import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCommit } from '../../pipeline/git/history.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * An ordinary `git clone` (as the README walkthrough and any runner with a plain clone have it): it
 * has refs/remotes/origin/HEAD, pointing at origin's main. HEAD must still be this branch's commit,
 * as `git rev-parse HEAD` says, or the report compares main with itself and lists no label change.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const base: Record<string, string> = { ...correct, 'DM-0007': 'coin', 'DM-0008': 'vessel' };
const params = validateParams({ raw: { train: { epochs: 60 } } });
let tmp: string;
let clone: string;
let mainCommit: string;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@x',
    },
  }).trim();

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vitrine-report-clone-'));
  const repo = await makeRepo({ objects, base, head: base });
  mainCommit = repo.baseCommit;
  // The museum's repository has main checked out, so a clone's origin/HEAD is origin/main.
  git(repo.ws.root, 'symbolic-ref', 'HEAD', 'refs/heads/main');
  clone = path.join(tmp, 'clone');
  git(tmp, 'clone', '-q', repo.ws.root, clone);
  expect(git(clone, 'rev-parse', 'refs/remotes/origin/HEAD')).toBe(mainCommit);
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the report in a plain git clone, on a branch', () => {
  it('resolves HEAD and local names as git does, origin/<branch> only when there is no local branch', async () => {
    git(clone, 'checkout', '-q', '-b', 'fix-one');
    git(clone, 'commit', '-q', '--allow-empty', '-m', 'Empty');
    const head = git(clone, 'rev-parse', 'HEAD');
    expect(await resolveCommit({ dir: clone, ref: 'HEAD' })).toBe(head);
    expect(await resolveCommit({ dir: clone, ref: 'HEAD~1' })).toBe(mainCommit);
    expect(await resolveCommit({ dir: clone, ref: 'fix-one' })).toBe(head);
    expect(await resolveCommit({ dir: clone, ref: head })).toBe(head);
    expect(await resolveCommit({ dir: clone, ref: head.slice(0, 10) })).toBe(head);
    // No local fix-labels branch: the clone has it only as origin/fix-labels (as a CI checkout has its base).
    expect(await resolveCommit({ dir: clone, ref: 'fix-labels' })).toBe(git(clone, 'rev-parse', 'origin/fix-labels'));
    git(clone, 'checkout', '-q', 'main');
    git(clone, 'branch', '-q', '-D', 'fix-one');
  });

  it('lists the branch’s label change and names the branch’s commit', async () => {
    git(clone, 'checkout', '-q', '-b', 'fix-labels-local');
    const ws = workspace(clone);
    const labels = await readFile(ws.labels, 'utf8');
    await writeFile(ws.labels, labels.replace('DM-0007,coin', 'DM-0007,figurine'));
    git(clone, 'commit', '-qam', 'Correct DM-0007');
    const head = git(clone, 'rev-parse', 'HEAD');
    await writeStageOutputs({ ws, objects, head: { ...base, 'DM-0007': 'figurine' } });

    const log = memoryLogger();
    await reportStage.run({ ws, params, log, clock: { now: () => new Date('2026-01-03T00:00:00Z') }, env: {} });
    const json = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8')) as ReportJson;
    const md = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    expect(json.labels.baseCommit).toBe(mainCommit);
    expect(json.labels.headCommit).toBe(head);
    expect(json.labels.changes.map((c) => [c.id, c.before, c.after])).toEqual([['DM-0007', 'coin', 'figurine']]);
    expect(json.lineage.headCommit).toBe(head);
    expect(json.lineage.labelsCommit).toBe(head);
    expect(md).not.toContain('already part of main');
    expect(md).toContain(head.slice(0, 12));
  });
});
