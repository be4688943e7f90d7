import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INPUTS, OUTPUTS } from '../../actions/report/settings.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { examplePayload, runAction } from './run-action.ts';

/*
 * A personal token (comment-author set) may comment and set statuses, but GitHub creates check runs for the
 * workflow's token or an App only: it answers 403 "You must authenticate via a GitHub App." The step failed saying
 * give the job "checks: write", which a personal token can never have (tester T13, F3).
 */

const TOKEN = 'personal-token';
const APP_ONLY = 'You must authenticate via a GitHub App.';
let gh: FakeGitHub | null = null;

afterEach(async () => {
  await gh?.close();
  gh = null;
});

/** A run's report, as small as the report action reads it. */
async function reportWorkspace(): Promise<string> {
  const dir = await tempDir('vitrine-app-only-');
  const report = path.join(dir, '.vitrine', 'report');
  await mkdir(report, { recursive: true });
  await writeFile(path.join(report, 'report.md'), '✅ **Better**\n');
  const json = { verdict: 'better', headline: 'Better.', gate: { passed: true, checks: [] }, statusContext: 'x' };
  await writeFile(path.join(report, 'report.json'), JSON.stringify(json));
  return dir;
}

describe('a check run refused to a personal token', () => {
  it('is a warning that says check runs need the workflow token or an App and check-run: false, once posted', async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    gh.fail({ method: 'POST', path: /check-runs$/, status: 403, message: APP_ONLY, times: 9 });
    const run = await runAction({
      name: 'report',
      inputs: { [INPUTS.token]: TOKEN, [INPUTS.apiUrl]: gh.url, [INPUTS.commentAuthor]: 'museum-bot' },
      event: examplePayload('opened'),
      workspace: await reportWorkspace(),
    });
    expect(run.code, run.stdout).toBe(0);
    expect(gh.comments.get(2)).toHaveLength(1);
    expect(gh.statuses).toHaveLength(1);
    expect(run.outputs[OUTPUTS.commentAction]).toBe('created');
    const warning = run.stdout.split('\n').find((line) => line.includes(APP_ONLY))!;
    expect(warning).toMatch(/^::warning::/);
    expect(warning).toContain('check-run: false');
    expect(warning).toContain('GitHub App');
    expect(warning).not.toContain('"checks: write"');
  });
});
