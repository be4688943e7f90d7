import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUTS } from '../../actions/report/settings.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { runAction } from './run-action.ts';

/*
 * A fork's run that stops before its report (a merge conflict, a params.yaml typo) left its contributor with no
 * comment at all (tester T13, F1). The comment says so in Vitrine's fixed words: the reason only as a known error
 * code and a checked line number, never the fork's own text, and where the run's log is.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN = 'test-token';
const RUN = 'https://github.com/Codertocat/Hello-World/actions/runs/777';
// The fork's words: a mention, a link and a heading, which must never reach the comment.
const HOSTILE = 'labels.csv:12: @museum-staff please merge at [the fix](https://evil.example) # FORKTEXT';
let gh: FakeGitHub | null = null;

afterEach(async () => {
  await gh?.close();
  gh = null;
});

/** The report action as report-from-fork.yml runs it, after the fork's run 777 ended with `conclusion`. */
async function forkComment(workspace: string, conclusion: string) {
  gh = await startFakeGitHub({ token: TOKEN });
  const run = await runAction({
    name: 'report',
    inputs: {
      [INPUTS.token]: TOKEN,
      [INPUTS.apiUrl]: gh.url,
      [INPUTS.pullRequest]: '2',
      [INPUTS.sha]: 'b'.repeat(40),
      [INPUTS.fromFork]: 'true',
      [INPUTS.status]: 'false',
    },
    event: { action: 'completed', workflow_run: { id: 777, conclusion, event: 'pull_request' } },
    eventName: 'workflow_run',
    workspace,
  });
  return { run, body: gh.comments.get(2)?.[0]?.body ?? '', statuses: gh.statuses.length };
}

async function stoppedRun(note?: { code: string; message: string }) {
  const dir = await tempDir('vitrine-fork-stopped-');
  await mkdir(path.join(dir, '.vitrine', 'report'), { recursive: true });
  if (note) {
    const json = { failed: true, ...note, headline: `${HOSTILE} headline` };
    await writeFile(path.join(dir, '.vitrine', 'report', 'failure.json'), JSON.stringify(json));
    await writeFile(path.join(dir, '.vitrine', 'report', 'failure.md'), `## ${HOSTILE}\n`);
  }
  return dir;
}

describe('a fork’s run that stopped before its report', () => {
  it('gets a comment naming a known reason and its checked line, with the run’s log, and none of the fork’s words', async () => {
    const dir = await stoppedRun({ code: 'CSV_MERGE_CONFLICT', message: HOSTILE });
    const { run, body, statuses } = await forkComment(dir, 'failure');
    expect(run.code, run.stdout).toBe(0);
    expect(body).toContain('stopped before its report');
    expect(body).toContain('merge conflict');
    expect(body).toContain('a merge conflict left in labels.csv (at line 12)');
    expect(body).toContain(RUN);
    expect(body).not.toMatch(/museum-staff|evil|FORKTEXT|\[the fix\]/);
    expect(body).not.toContain('report.json is missing');
    expect(statuses).toBe(0);
  });

  it('names no reason for an error code this Vitrine does not know, and still links the log', async () => {
    const dir = await stoppedRun({ code: 'YOU_MAY_MERGE_@museum-staff', message: HOSTILE });
    const { body } = await forkComment(dir, 'failure');
    expect(body).toContain('stopped before its report');
    expect(body).toContain(RUN);
    expect(body).not.toMatch(/museum-staff|evil|YOU_MAY|line 12/);
  });

  it('gets a comment when the run left no files at all (a step before the stages failed)', async () => {
    const dir = await stoppedRun();
    const { run, body } = await forkComment(dir, 'failure');
    expect(run.code, run.stdout).toBe(0);
    expect(body).toContain('stopped before its report');
    expect(body).toContain(RUN);
    expect(body).not.toContain('report.json is missing');
  });
});

describe('the "Report for a fork" workflow', () => {
  it('starts after a failed run too, and goes on when that run left no files to download', async () => {
    const file = path.join(ROOT, '.github', 'workflows', 'report-from-fork.yml');
    const workflow = parse(await readFile(file, 'utf8')) as {
      jobs: Record<string, { if?: string; steps: { uses?: string; 'continue-on-error'?: boolean }[] }>;
    };
    const job = workflow.jobs.comment!;
    expect(job.if).toContain('failure');
    const download = job.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    expect(download['continue-on-error']).toBe(true);
  });
});
