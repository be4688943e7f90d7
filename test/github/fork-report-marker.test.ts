import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FORK_CLAIM, FORK_REPORT_MARKER, forkReport } from '../../actions/report/fork.ts';
import { INPUTS } from '../../actions/report/settings.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { REPORT_MARKER } from '../../pipeline/report/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { forkRunRepository } from './fork-run.ts';

/*
 * Security finding 6: "Report for a fork" edited the comment the trusted run wrote (the same marker), and
 * headed it "✅ Better… The promotion gate passes." from the fork's own report.json. A fork's report now has
 * a comment of its own, headed as the fork's claim. The report action runs its bundle (dist/index.mjs, as the
 * runner does; test/github/build.test.ts checks that it is built from the current source), against GitHub's REST
 * API on 127.0.0.1.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN = 'test-token';
const TRUSTED = `${REPORT_MARKER}\n❌ **Worse: this change makes the model worse.** **The promotion gate does not pass.**`;
let ws: Workspace;
let gh: FakeGitHub | null = null;

beforeAll(async () => {
  ws = await forkRunRepository();
});

afterEach(async () => {
  await gh?.close();
  gh = null;
});

/** The fork's run's files as report-from-fork.yml downloads them (.vitrine/report and .vitrine/evaluate). */
async function forkArtifact(): Promise<string> {
  const dir = await tempDir('vitrine-fork-marker-');
  await mkdir(path.join(dir, '.vitrine'), { recursive: true });
  await cp(ws.report, path.join(dir, '.vitrine', 'report'), { recursive: true });
  await cp(ws.evaluate, path.join(dir, '.vitrine', 'evaluate'), { recursive: true });
  return dir;
}

/** The report action's bundle, with the inputs report-from-fork.yml gives it. */
async function runForkReport(url: string, workspace: string): Promise<{ code: number; stdout: string }> {
  const temp = await tempDir('vitrine-fork-run-');
  await writeFile(path.join(temp, 'event.json'), '{}');
  await writeFile(path.join(temp, 'output'), '');
  const inputs: Record<string, string> = {
    [INPUTS.token]: TOKEN,
    [INPUTS.apiUrl]: url,
    [INPUTS.pullRequest]: '2',
    [INPUTS.sha]: 'b'.repeat(40),
    [INPUTS.fromFork]: 'true',
    [INPUTS.status]: 'false',
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? temp,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_EVENT_PATH: path.join(temp, 'event.json'),
    GITHUB_OUTPUT: path.join(temp, 'output'),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4243',
    RUNNER_TEMP: temp,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const child = spawn(process.execPath, [path.join(ROOT, 'actions', 'report', 'dist', 'index.mjs')], {
    cwd: workspace,
    env,
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stdout += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout };
}

describe("a fork's report", () => {
  it("leaves the trusted run's report comment as it is and keeps one comment of its own", async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const trusted = gh.addComment(2, TRUSTED, 'github-actions[bot]');
    const dir = await forkArtifact();
    const first = await runForkReport(gh.url, dir);
    expect(first.code, first.stdout).toBe(0);
    const comments = () => gh!.comments.get(2)!;
    expect(comments().find((c) => c.id === trusted.id)!.body).toBe(TRUSTED);
    const fork = comments().filter((c) => c.body.startsWith(FORK_REPORT_MARKER));
    expect(fork).toHaveLength(1);
    expect(comments().filter((c) => c.body.startsWith(REPORT_MARKER))).toHaveLength(1);
    // A later run of the fork edits its own comment, never the trusted one.
    const second = await runForkReport(gh.url, dir);
    expect(second.code, second.stdout).toBe(0);
    expect(comments()).toHaveLength(2);
    expect(comments().find((c) => c.id === trusted.id)!.body).toBe(TRUSTED);
    expect(gh.statuses).toEqual([]);
    expect(gh.checkRuns).toEqual([]);
  });

  it("is headed as the fork's claim, without the trusted run's check mark", async () => {
    const result = forkReport({
      reportJson: await readFile(path.join(ws.report, 'report.json'), 'utf8'),
      metricsJson: await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8'),
    });
    expect(result.rebuilt).toBe(true);
    const first = result.markdown.split('\n')[0]!;
    expect(FORK_CLAIM).toBe("reported by the pull request's own run, not checked by the museum's runner");
    expect(first).toContain(FORK_CLAIM);
    expect(first).toContain('Better: the labels and the photographs agree better. The promotion gate passes.');
    expect(first).not.toMatch(/[✅❌]/u);
    expect(result.report!.headline).toMatch(
      /^Reported by the pull request's own run, not checked by the museum's runner: Better/,
    );
    // The rest of the report follows as the trusted run renders it.
    expect(result.markdown).toContain('### Promotion gate');
  });

  it('keeps a fork’s “check label changes” and how many objects pointed to their old label', async () => {
    const report = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8'));
    const labelsToCheck = {
      relabelled: 25,
      old: 24,
      objects: [{ id: 'CLE_100079', title: 'Petal-Shaped Bead', old: 'coin', new: 'vessel' }],
    };
    const result = forkReport({
      reportJson: JSON.stringify({ ...report, verdict: 'check label changes', labelsToCheck }),
      metricsJson: await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8'),
    });
    expect(result.rebuilt).toBe(true);
    expect(result.report!.headline).toContain('Check label changes: 24 of 25 relabelled look like their old label.');
    // Said as the fork's claim, with the count.
    const first = result.markdown.split('\n')[0]!;
    expect(first).toContain('**Check label changes: 24 of 25 relabelled look like their old label.');
    expect(first).toContain(FORK_CLAIM);
    expect(first).not.toMatch(/[✅❌]/u);
  });
});
