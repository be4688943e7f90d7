import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { isVitrineError, messageOf, VitrineError } from '../../pipeline/errors.ts';
import { type PublishResult, publishReport, withGateChanges } from '../../pipeline/github/publish.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { reportCommand } from '../../pipeline/init/invocation.ts';
import type { Logger } from '../../pipeline/log.ts';
import { parseParamsFile } from '../../pipeline/params.ts';
// types.ts only: the bundle does not need the report builder.
import { FAILURE_FILES, type FailureNote, missingReportNote } from '../../pipeline/report/failure.ts';
import { REPORT_MARKER, type ReportJson } from '../../pipeline/report/types.ts';
import { readEvent } from '../lib/event.ts';
import { inputsFromEnv } from '../lib/inputs.ts';
import { actionsLogger } from '../lib/logger.ts';
import { FORK_REPORT_MARKER, forkReport, forkStopped } from './fork.ts';
import { OUTPUTS, readSettings } from './settings.ts';

/**
 * The report action: put `.vitrine/report/report.md` in the job summary, then on the pull request
 * (one comment, edited in place) and set the gate's commit status. The summary is written first so
 * the report survives when GitHub cannot be reached.
 */
export async function run({
  env = process.env,
  fetch = globalThis.fetch,
}: {
  env?: Record<string, string | undefined>;
  fetch?: typeof globalThis.fetch;
} = {}): Promise<void> {
  const log = actionsLogger();
  try {
    const event = await readEvent({ env });
    const settings = readSettings({ get: inputsFromEnv(env), env, event });
    let markdown: string;
    let report: ReportJson | null;
    let failure: { markdown: string; note: FailureNote } | null = null;
    if (settings.fromFork) {
      // The fork's report.md is never read: its text is the fork's, not ours.
      // The artifact holds report/ and evaluate/metrics.json side by side; either may be missing or broken.
      const reportText = await readFile(path.join(settings.reportDir, 'report.json'), 'utf8').catch(() => null);
      const metricsText = await readFile(path.join(settings.reportDir, '..', 'evaluate', 'metrics.json'), 'utf8').catch(
        () => null,
      );
      const server = env.GITHUB_SERVER_URL || 'https://github.com';
      const runUrlPrefix = `${server}/${settings.owner}/${settings.repo}/actions/runs/`;
      // The commands it suggests as the trusted run's report says them: judged from the museum's checkout (its
      // package.json at the root, which report-from-fork.yml's sparse checkout keeps), never from the fork's files.
      const vitrine = await reportCommand({ root: settings.workspace });
      // The collection's name likewise: the museum's params.yaml (at the checkout's root), not the fork's report.json.
      const collectionName = await museumName({ root: settings.workspace, log });
      // The run that ended (GitHub's workflow_run event, not the fork's files): whether it failed, and its log.
      const ended = forkRunOf(event);
      const failureText = await readFile(path.join(settings.reportDir, FAILURE_FILES.json), 'utf8').catch(() => null);
      if (failureText !== null || (reportText === null && ended.conclusion === 'failure')) {
        log.warn("The fork's run stopped before its report: a comment says so and links its log.");
        const runUrl = ended.id === null ? null : `${runUrlPrefix}${ended.id}`;
        markdown = forkStopped({ failureJson: failureText, runUrl });
        report = null;
      } else {
        const fork = forkReport({
          reportJson: reportText,
          metricsJson: metricsText,
          runUrlPrefix,
          vitrine,
          collectionName,
        });
        if (!fork.rebuilt) log.warn(`The fork's report cannot be shown: ${fork.reason} A short comment says so.`);
        markdown = fork.markdown;
        report = fork.report;
      }
    } else if (
      (failure =
        (await readFailure(settings.reportDir)) ??
        (await noReport({ dir: settings.reportDir, onMain: settings.pullRequest === null && pushToMain(event) })))
    ) {
      // The run stopped before its report: staff get the reason on the pull request, not only a red cross.
      markdown = failure.markdown;
      report = null;
    } else {
      markdown = await readReportFile(settings.reportDir, 'report.md');
      report = parseReport(
        await readReportFile(settings.reportDir, 'report.json'),
        path.join(settings.reportDir, 'report.json'),
      );
    }
    // The trusted run judged a pull request that changes the gate by the base branch's gate: say so.
    let headline = report?.headline ?? failure?.note.headline ?? '';
    if (report && !settings.fromFork)
      ({ markdown, headline } = withGateChanges({ markdown, headline, changes: settings.gateChanges }));
    if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
    if (report) {
      core.setOutput(OUTPUTS.verdict, report.verdict);
      core.setOutput(OUTPUTS.gate, report.gate.passed ? 'pass' : 'fail');
    }
    core.setSecret(settings.token);
    const forge = githubForge({ apiUrl: settings.apiUrl, token: settings.token, fetch, log });
    const result = await publishReport({
      forge,
      owner: settings.owner,
      repo: settings.repo,
      issue: settings.comment ? settings.pullRequest : null,
      // A fork's report.json could claim anything: its gate does not become a status.
      sha: settings.status && !settings.fromFork && (report || failure) ? settings.sha : null,
      markdown,
      gatePassed: report?.gate.passed ?? false,
      headline,
      // A fork's report has a comment of its own: it never replaces the report the museum's runner wrote.
      marker: settings.fromFork ? FORK_REPORT_MARKER : REPORT_MARKER,
      context: settings.statusContext || report?.statusContext || 'vitrine/gate',
      targetUrl: settings.runUrl ?? undefined,
      author: settings.commentAuthor,
      checkName:
        settings.checkRun && settings.status && !settings.fromFork && (report || failure) ? settings.checkName : null,
      log,
    }).catch((error: unknown) => {
      // Part of it may have gone through (the comment, when only the check run was refused): its outputs still hold.
      if (isVitrineError(error, 'REPORT_NOT_POSTED')) setCommentOutputs((error.data as Partial<PublishResult>).comment);
      throw error;
    });
    if (settings.comment && settings.pullRequest === null)
      log.info('This run is not for a pull request, so no comment was posted.');
    setCommentOutputs(result.comment);
    if (settings.failOnGate && report && !report.gate.passed) core.setFailed(`${report.headline} (fail-on-gate is on)`);
    if (failure)
      core.setFailed(
        failure.note.code === 'REPORT_MISSING'
          ? failure.note.message
          : `The run stopped before its report: ${failure.note.message}`,
      );
  } catch (error) {
    core.setFailed(messageOf(error));
  }
}

function setCommentOutputs(comment: PublishResult['comment'] | undefined): void {
  if (!comment) return;
  core.setOutput(OUTPUTS.commentId, String(comment.id));
  core.setOutput(OUTPUTS.commentUrl, comment.url);
  core.setOutput(OUTPUTS.commentAction, comment.action);
}

/**
 * The collection's name in the museum's params.yaml at `root` (report-from-fork.yml's checkout of the default branch);
 * undefined when there is none there, or it cannot be read (said in the log), so the fork's name is shown.
 */
async function museumName({ root, log }: { root: string; log: Logger }): Promise<string | undefined> {
  const file = path.join(root, 'params.yaml');
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return undefined;
  try {
    return parseParamsFile({ text, name: 'params.yaml' }).collection.name;
  } catch (error) {
    log.warn(
      `The collection's name is the fork's own: this repository's params.yaml cannot be read: ${messageOf(error)}`,
    );
    return undefined;
  }
}

/** The note a run leaves when it stops before its report (pipeline/report/failure.ts), if any. */
async function readFailure(dir: string): Promise<{ markdown: string; note: FailureNote } | null> {
  const markdown = await readFile(path.join(dir, FAILURE_FILES.markdown), 'utf8').catch(() => null);
  const json = await readFile(path.join(dir, FAILURE_FILES.json), 'utf8').catch(() => null);
  if (markdown === null || json === null) return null;
  try {
    return { markdown, note: JSON.parse(json) as FailureNote };
  } catch {
    return null;
  }
}

/**
 * Neither a report nor a note: an earlier step failed before the stages ran (the drift check on a
 * merge conflict, the image pull). The pull request still hears that its checks stopped, and where to look.
 */
async function noReport({
  dir,
  onMain,
}: {
  dir: string;
  /** A push to the default branch: said in words of main, with no pull request. */
  onMain: boolean;
}): Promise<{ markdown: string; note: FailureNote } | null> {
  const file = path.join(dir, 'report.md');
  if (
    await readFile(file, 'utf8').then(
      () => true,
      () => false,
    )
  )
    return null;
  return missingReportNote({ message: missingReport(file), onMain });
}

/** The fork's run a workflow_run event is about: its id (null: none) and how it ended. */
function forkRunOf(event: unknown): { id: number | null; conclusion: string } {
  const run = (event as { workflow_run?: { id?: unknown; conclusion?: unknown } } | null)?.workflow_run;
  const id = typeof run?.id === 'number' && Number.isSafeInteger(run.id) && run.id > 0 ? run.id : null;
  return { id, conclusion: typeof run?.conclusion === 'string' ? run.conclusion : '' };
}

/** The event is a push to the repository's default branch (a merge to main). */
function pushToMain(event: unknown): boolean {
  const push = (event ?? {}) as { ref?: unknown; repository?: { default_branch?: unknown } };
  const main = push.repository?.default_branch;
  return typeof main === 'string' && push.ref === `refs/heads/${main}`;
}

/** report.json of this repository's own run; a broken file is named rather than crashing the step. */
function parseReport(text: string, file: string): ReportJson {
  try {
    return JSON.parse(text) as ReportJson;
  } catch (error) {
    const why = `${file} is not valid JSON (${(error as Error).message}): run the report stage again (npx vitrine run report --force).`;
    throw new VitrineError('REPORT_INVALID', why, { file });
  }
}

async function readReportFile(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new VitrineError('REPORT_MISSING', missingReport(file), { file });
    throw error;
  }
}

function missingReport(file: string): string {
  return (
    `${file} does not exist: run the pipeline's report stage (npx vitrine run report) before this action ` +
    '(if an earlier step failed, its log says why).'
  );
}
