import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { VitrineError, messageOf } from '../../pipeline/errors.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { publishReport } from '../../pipeline/github/publish.ts';
// types.ts only: the bundle does not need the report builder.
import { REPORT_MARKER, type ReportJson } from '../../pipeline/report/types.ts';
import { inputsFromEnv } from '../lib/inputs.ts';
import { actionsLogger } from '../lib/logger.ts';
import { forkReport } from './fork.ts';
import { OUTPUTS, readSettings } from './settings.ts';


/**
 * The report action: put `.vitrine/report/report.md` in the job summary, then on the pull request
 * (one comment, edited in place) and set the gate's commit status. The summary is written first so
 * the report survives when GitHub cannot be reached.
 */
export async function run({ env = process.env, fetch = globalThis.fetch }: { env?: Record<string, string | undefined>; fetch?: typeof globalThis.fetch } = {}): Promise<void> {
  const log = actionsLogger();
  try {
    const event = env.GITHUB_EVENT_PATH ? JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) : {};
    const settings = readSettings({ get: inputsFromEnv(env), env, event });
    const written = await readReportFile(settings.reportDir, 'report.md');
    const reportText = await readReportFile(settings.reportDir, 'report.json');
    let markdown = written;
    if (settings.fromFork) {
      // The artifact holds report/ and evaluate/metrics.json side by side.
      const metricsText = await readFile(path.join(settings.reportDir, '..', 'evaluate', 'metrics.json'), 'utf8').catch(() => null);
      const server = env.GITHUB_SERVER_URL || 'https://github.com';
      const fork = forkReport({ markdown: written, reportJson: reportText, metricsJson: metricsText, runUrlPrefix: `${server}/${settings.owner}/${settings.repo}/actions/runs/` });
      if (!fork.rebuilt) log.warn(`The fork's report could not be rebuilt from its data (${fork.reason}); its report.md is posted with every mention, reference and HTML tag but a few removed.`);
      markdown = fork.markdown;
    }
    const report = JSON.parse(reportText) as ReportJson;
    if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
    core.setOutput(OUTPUTS.verdict, report.verdict);
    core.setOutput(OUTPUTS.gate, report.gate.passed ? 'pass' : 'fail');
    core.setSecret(settings.token);
    const forge = githubForge({ apiUrl: settings.apiUrl, token: settings.token, fetch, log });
    const result = await publishReport({
      forge,
      owner: settings.owner,
      repo: settings.repo,
      issue: settings.comment ? settings.pullRequest : null,
      // A fork's report.json could claim anything: its gate does not become a status.
      sha: settings.status && !settings.fromFork ? settings.sha : null,
      markdown,
      gatePassed: report.gate.passed,
      headline: report.headline,
      marker: REPORT_MARKER,
      context: settings.statusContext || report.statusContext || 'vitrine/gate',
      targetUrl: settings.runUrl ?? undefined,
      author: settings.commentAuthor,
      log,
    });
    if (settings.comment && settings.pullRequest === null) log.info('This run is not for a pull request, so no comment was posted.');
    if (result.comment) {
      core.setOutput(OUTPUTS.commentId, String(result.comment.id));
      core.setOutput(OUTPUTS.commentUrl, result.comment.url);
      core.setOutput(OUTPUTS.commentAction, result.comment.action);
    }
    if (settings.failOnGate && !report.gate.passed) core.setFailed(`${report.headline} (fail-on-gate is on)`);
  } catch (error) {
    core.setFailed(messageOf(error));
  }
}

async function readReportFile(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new VitrineError('REPORT_MISSING', `${file} does not exist: run the pipeline's report stage (npx vitrine run report) before this action.`, { file });
    throw error;
  }
}
