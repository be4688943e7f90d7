import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { messageOf, VitrineError } from '../../pipeline/errors.ts';
import { ACTIONS_BOT_LOGIN, upsertComment } from '../../pipeline/github/forge.ts';
import {
  DATA_FILES,
  GUARD_MARKER,
  type GuardResult,
  guardComment,
  guardGateStatus,
  guardPullRequest,
  OBJECTS_FILE,
} from '../../pipeline/github/guard.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { chooseRunner } from '../../pipeline/github/runner.ts';
import { code, text } from '../../pipeline/report/markdown.ts';
import { readEvent } from '../lib/event.ts';
import { inputsFromEnv } from '../lib/inputs.ts';
import { actionsLogger } from '../lib/logger.ts';
import { INPUTS, OUTPUTS, readSettings } from './settings.ts';

/**
 * The choose-runner action: decide from the event whether the pipeline may use the self-hosted
 * runner. With a token on pull_request_target it is the trusted workflow's guard: it records a
 * maintainer's approval, checks the changed paths and params.yaml, writes the head's data files to
 * `data-dir`, and says on the pull request why a run stays off the runner.
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
    const settings = readSettings({ get: inputsFromEnv(env), env });
    const event = await readEvent({ env });
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    const guarded = eventName === 'pull_request_target' || eventName === 'issue_comment';
    // Without a token the guard cannot check paths, read approvals or set the gate: an empty input (a secret that
    // is missing, a typo in its name) must not switch it off without a word.
    if (guarded && !settings.token)
      throw new VitrineError(
        'GUARD_NO_TOKEN',
        `The input "${INPUTS.token}" is empty, and on a ${eventName} event choose-runner is the guard: without a ` +
          "token it cannot check the pull request's files, read approvals or set the gate. Give it " +
          '`github-token: ${{ github.token }}` (with the permissions "pull-requests: write" and "statuses: write"), ' +
          'or, if it names a secret, check that the secret exists.',
      );
    let choice = chooseRunner({ eventName, event, selfHosted: settings.selfHosted, hosted: settings.hosted });
    let dataDir = '';
    let stopped: unknown;
    let pullRequest: GuardResult['pullRequest'] = null;
    let gateChanges: GuardResult['gateChanges'] = [];
    if (guarded) {
      core.setSecret(settings.token);
      const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
      const forge = githubForge({ apiUrl: settings.apiUrl, token: settings.token, fetch, log });
      const allowed = settings.allowObjects ? [...DATA_FILES, OBJECTS_FILE] : [...DATA_FILES];
      let result = await guardPullRequest({
        forge,
        owner,
        repo,
        eventName,
        event,
        selfHosted: settings.selfHosted,
        hosted: settings.hosted,
        approvalLabel: settings.approvalLabel,
        approver: ACTIONS_BOT_LOGIN,
        allowObjects: settings.allowObjects,
        baseCommit: env.GITHUB_SHA || null,
        log,
      });
      choice = result.choice;
      pullRequest = result.pullRequest;
      gateChanges = result.gateChanges;
      if (result.files.length > 0 && pullRequest) {
        // The runner jobs check out this run's commit (the base branch's): the merge base is read against it.
        const base = pullRequest.baseSha;
        if (!base)
          throw new VitrineError(
            'GUARD_NO_BASE',
            "Neither the run nor the event names the base branch's commit, so the data files cannot be merged into it.",
          );
        try {
          dataDir = await writeDataFiles({
            forge,
            owner,
            repo,
            files: result.files,
            base,
            head: pullRequest.headSha,
            temp: env.RUNNER_TEMP || os.tmpdir(),
          });
        } catch (error) {
          // Said on the pull request, as a failed gate, and the job fails: stopped here, the required gate waited
          // at "Expected" with no comment to say why (a reviewer: GitHub's compare API answered no merge base).
          const why = `its data files could not be read where its branch left the base: ${messageOf(error)}`;
          result = {
            ...result,
            choice: { runsOn: settings.hosted, trusted: false, reason: `the pull request is not trained: ${why}` },
            files: [],
            problems: [...result.problems, `${why}. Run the workflow again; if it fails again, tell the maintainers`],
          };
          choice = result.choice;
          stopped = error;
        }
      }
      if (pullRequest) await tellThePullRequest({ forge, owner, repo, pullRequest, result, settings, allowed, log });
    }
    core.setOutput(OUTPUTS.runsOn, JSON.stringify(choice.runsOn));
    core.setOutput(OUTPUTS.trusted, String(choice.trusted));
    core.setOutput(OUTPUTS.reason, choice.reason);
    core.setOutput(OUTPUTS.dataDir, dataDir);
    core.setOutput(OUTPUTS.pullRequest, pullRequest ? String(pullRequest.number) : '');
    core.setOutput(OUTPUTS.headSha, pullRequest?.headSha ?? '');
    core.setOutput(OUTPUTS.baseRef, pullRequest?.baseRef ?? '');
    core.setOutput(OUTPUTS.baseSha, pullRequest?.baseSha ?? '');
    core.setOutput(OUTPUTS.gateChanges, JSON.stringify(gateChanges));
    // The reason can quote a fork's file names: on one line, so none of it can start a workflow command.
    core.info(`Runner: ${choice.runsOn.join(', ')} because ${choice.reason.replace(/[\u0000-\u001f\u007f]+/g, ' ')}.`);
    if (env.GITHUB_STEP_SUMMARY)
      // The reason can quote a fork's params.yaml or file names: plain text in the summary.
      await core.summary
        .addRaw(`Runner: \`${choice.runsOn.join(', ')}\`, because ${text(choice.reason)}.\n`, true)
        .write();
    if (stopped !== undefined) throw stopped;
  } catch (error) {
    core.setFailed(messageOf(error));
  }
}

/** Folder in data-dir with the merge base's version of each data file, and the merge base's commit. */
const MERGE_BASE_DIR = 'merge-base';

/**
 * The head's data files under a fresh folder, by their repository paths (only allow-listed names get here), and
 * under merge-base/ the same files at the commit where the pull request's branch left the base (none when a file
 * was not there yet), with that commit in merge-base/commit. The workflow merges each file three ways into its
 * checkout of the base, as GitHub's merge would: copying the head's whole file over it undid every change the base
 * got after the branch was made (another member of staff's corrections merged meanwhile).
 */
async function writeDataFiles({
  forge,
  owner,
  repo,
  files,
  base,
  head,
  temp,
}: {
  forge: ReturnType<typeof githubForge>;
  owner: string;
  repo: string;
  files: GuardResult['files'];
  base: string;
  head: string;
  temp: string;
}): Promise<string> {
  const dir = path.join(temp, 'vitrine-pull-request-data');
  const write = async (file: string, data: string | Uint8Array) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, data);
  };
  const mergeBase = await forge.mergeBase({ owner, repo, base, head });
  for (const f of files) {
    await write(path.join(dir, f.path), f.text);
    // An ancestor of the base branch: its files are the base's own history. Anything but a file is as if missing.
    const at = await forge.readFileAt({ owner, repo, path: f.path, ref: mergeBase });
    if (at.kind === 'file') await write(path.join(dir, MERGE_BASE_DIR, f.path), at.bytes);
  }
  await write(path.join(dir, MERGE_BASE_DIR, 'commit'), `${mergeBase}\n`);
  return dir;
}

/**
 * The guard's comment (created, or edited when a run already left one) and the gate status when no other run sets it
 * (guardGateStatus): vitrine/gate is required on main, so every pull request into it gets one.
 */
async function tellThePullRequest({
  forge,
  owner,
  repo,
  pullRequest,
  result,
  settings,
  allowed,
  log,
}: {
  forge: ReturnType<typeof githubForge>;
  owner: string;
  repo: string;
  pullRequest: NonNullable<GuardResult['pullRequest']>;
  result: GuardResult;
  settings: ReturnType<typeof readSettings>;
  allowed: readonly string[];
  log: ReturnType<typeof actionsLogger>;
}): Promise<void> {
  const { headSha: sha, number } = pullRequest;
  const text = guardComment({ result, sha, approvalLabel: settings.approvalLabel, allowed });
  if (text) await upsertComment({ forge, owner, repo, issue: number, marker: GUARD_MARKER, body: text, log });
  else {
    // Trusted now: an earlier refusal or wait notice on the pull request says so instead.
    const comments = await forge.listComments({ owner, repo, issue: number });
    const ours = comments.find((c) => c.body.startsWith(GUARD_MARKER) && c.author?.toLowerCase() === ACTIONS_BOT_LOGIN);
    // The pull request's own data files (allow-listed names), not the list of those a pull request may change.
    const data = (result.changedData ?? []).map(code);
    const trained = data.length > 0 ? `${data.join(', ')} of` : 'the data files of';
    const body = result.noData
      ? `${GUARD_MARKER}\nNothing to train on the museum's runner: commit \`${sha.slice(0, 12)}\` changes no data file.`
      : `${GUARD_MARKER}\nChecked: ${trained} commit \`${sha.slice(0, 12)}\` ${data.length === 1 ? 'is' : 'are'} trained ` +
        "on the museum's runner; the report follows.";
    if (ours) await upsertComment({ forge, owner, repo, issue: number, marker: GUARD_MARKER, body, log });
  }
  const status = guardGateStatus(result);
  if (status?.state === 'pending') {
    // "Waiting for the Model report" only while it has not answered: a later guard run (a label, a comment) starts no
    // new Model report, and put a pass back to pending (a reviewer). Newest first: the gate as it stands.
    const now = (await forge.listStatuses({ owner, repo, sha })).find((s) => s.context === settings.statusContext);
    if (now && now.state !== 'pending') {
      log.info(`${settings.statusContext} already says ${now.state} for commit ${sha.slice(0, 12)}: left as it is.`);
      return;
    }
  }
  if (status) await forge.setStatus({ owner, repo, sha, context: settings.statusContext, ...status });
}
