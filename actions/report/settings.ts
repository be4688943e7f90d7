import path from 'node:path';
import { VitrineError } from '../../pipeline/errors.ts';
import type { GateChange } from '../../pipeline/evaluate/gate.ts';
import {
  booleanInput,
  type GetInput,
  integerInput,
  invalid,
  pathInput,
  repositoryInput,
  stringInput,
} from '../lib/inputs.ts';

/** The report action's inputs, as named in action.yml (tests and the docs read these too). */
export const INPUTS = {
  token: 'github-token',
  reportDir: 'report-dir',
  repository: 'repository',
  pullRequest: 'pull-request',
  sha: 'sha',
  comment: 'comment',
  status: 'status',
  statusContext: 'status-context',
  failOnGate: 'fail-on-gate',
  apiUrl: 'api-url',
  fromFork: 'from-fork',
  commentAuthor: 'comment-author',
  checkRun: 'check-run',
  checkName: 'check-name',
  gateChanges: 'gate-changes',
} as const;

export const OUTPUTS = {
  commentId: 'comment-id',
  commentUrl: 'comment-url',
  commentAction: 'comment-action',
  verdict: 'verdict',
  gate: 'gate',
} as const;

/** Everything the report action needs, validated once. */
export interface ReportSettings {
  /** Token for the REST API (needs pull-requests: write and statuses: write). */
  token: string;
  /** The repository's checkout the action runs in (GITHUB_WORKSPACE). */
  workspace: string;
  /** Absolute folder holding report.md and report.json (inside the workspace). */
  reportDir: string;
  owner: string;
  repo: string;
  /** Pull request to comment on; null: none (no comment, status only). */
  pullRequest: number | null;
  /** Commit for the status; null: no status. */
  sha: string | null;
  comment: boolean;
  status: boolean;
  /** Commit status name; empty: the one report.json names (params report.status_context). */
  statusContext: string;
  /** Fail the step when the gate does not pass (the status always shows it). */
  failOnGate: boolean;
  apiUrl: string;
  /**
   * The report was made by a fork's pull request (downloaded from its run): its content is not
   * trusted, so mentions are neutralised, a note says where it comes from and no status is set.
   */
  fromFork: boolean;
  /** Link for the status and the comment: the run's page. */
  runUrl: string | null;
  /** Login the token posts as; only a marked comment by this login is edited. */
  commentAuthor: string;
  /** Create a check run with the verdict next to the status (needs "checks: write"). */
  checkRun: boolean;
  checkName: string;
  /**
   * Settings that decide the verdict which the pull request changes (the gate-changes output of choose-runner or of
   * the pipeline action): it was judged by the base branch's values of them.
   */
  gateChanges: GateChange[];
}

interface EventPayload {
  pull_request?: { number?: number; head?: { sha?: string } };
  number?: number;
  /** issue_comment: the issue or pull request commented on (pull_request set for a pull request). */
  issue?: { number?: number; pull_request?: unknown };
}

/** Read and check the inputs, filling defaults from the event and the GITHUB_* environment. */
export function readSettings({
  get,
  env,
  event,
}: {
  get: GetInput;
  env: Record<string, string | undefined>;
  event: unknown;
}): ReportSettings {
  const payload = (event ?? {}) as EventPayload;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const { owner, repo } = repositoryInput({ get, name: INPUTS.repository, fallback: env.GITHUB_REPOSITORY ?? '' });
  const pullRequest = integerInput({
    get,
    name: INPUTS.pullRequest,
    fallback: payload.pull_request?.number ?? (payload.issue?.pull_request ? (payload.issue.number ?? null) : null),
    min: 1,
  });
  // A comment's event names no commit, and GITHUB_SHA is then the default branch's: never the gate's commit.
  const onComment = env.GITHUB_EVENT_NAME === 'issue_comment';
  const sha = stringInput({
    get,
    name: INPUTS.sha,
    fallback: payload.pull_request?.head?.sha ?? (onComment ? '' : (env.GITHUB_SHA ?? '')),
  });
  if (sha && !/^[0-9a-f]{40}$/i.test(sha)) throw invalid(INPUTS.sha, sha, 'a full 40-character commit hash');
  const status = booleanInput({ get, name: INPUTS.status, fallback: true });
  if (onComment && status && !sha)
    throw new VitrineError(
      'ACTION_INPUT_MISSING',
      `On a comment (the issue_comment event) GitHub names no commit, so the gate status would land on the default ` +
        `branch's. Give the report step the input "${INPUTS.sha}" (the pull request's head commit, with ` +
        `"${INPUTS.pullRequest}" its number), or set "${INPUTS.status}: false" to post the comment only.`,
      { input: INPUTS.sha },
    );
  const apiUrl = stringInput({ get, name: INPUTS.apiUrl, fallback: env.GITHUB_API_URL || 'https://api.github.com' });
  try {
    const url = new URL(apiUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http');
  } catch {
    throw invalid(INPUTS.apiUrl, apiUrl, 'an http(s) URL like https://api.github.com');
  }
  const server = env.GITHUB_SERVER_URL;
  return {
    token: stringInput({ get, name: INPUTS.token, required: true }),
    workspace: path.resolve(workspace),
    reportDir: pathInput({ get, name: INPUTS.reportDir, workspace, fallback: '.vitrine/report' }),
    owner,
    repo,
    pullRequest,
    sha: sha || null,
    comment: booleanInput({ get, name: INPUTS.comment, fallback: true }),
    status,
    statusContext: stringInput({ get, name: INPUTS.statusContext }),
    failOnGate: booleanInput({ get, name: INPUTS.failOnGate, fallback: false }),
    apiUrl,
    fromFork: booleanInput({ get, name: INPUTS.fromFork, fallback: false }),
    commentAuthor: loginInput(get),
    checkRun: booleanInput({ get, name: INPUTS.checkRun, fallback: true }),
    checkName: stringInput({ get, name: INPUTS.checkName, fallback: 'Vitrine model report' }),
    gateChanges: gateChangesInput(get),
    runUrl:
      server && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : null,
  };
}

/** The gate-changes output of choose-runner or of the pipeline action: a JSON array of {key, base, head}; empty: none. */
function gateChangesInput(get: GetInput): GateChange[] {
  const value = stringInput({ get, name: INPUTS.gateChanges });
  if (!value) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = null;
  }
  const isChange = (c: unknown) =>
    !!c && typeof c === 'object' && typeof (c as GateChange).key === 'string' && 'base' in c && 'head' in c;
  if (!Array.isArray(parsed) || !parsed.every(isChange))
    throw invalid(
      INPUTS.gateChanges,
      value,
      'a JSON array like [{"key": "gate.min_macro_f1", "base": 0.5, "head": 0}] (the gate-changes output of ' +
        'choose-runner or of the pipeline action)',
    );
  return parsed as GateChange[];
}

/** A GitHub login: letters, digits and dashes, with "[bot]" at the end for an app. */
function loginInput(get: GetInput): string {
  const login = stringInput({ get, name: INPUTS.commentAuthor, fallback: 'github-actions[bot]' });
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(login))
    throw invalid(INPUTS.commentAuthor, login, 'a GitHub login like github-actions[bot] or museum-bot');
  return login;
}
