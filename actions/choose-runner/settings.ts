import { booleanInput, type GetInput, invalid, listInput, stringInput } from '../lib/inputs.ts';

export const INPUTS = {
  selfHosted: 'self-hosted-runner',
  hosted: 'hosted-runner',
  approvalLabel: 'approval-label',
  token: 'github-token',
  allowObjects: 'allow-objects',
  statusContext: 'status-context',
  apiUrl: 'api-url',
} as const;
export const OUTPUTS = {
  runsOn: 'runs-on',
  trusted: 'trusted',
  reason: 'reason',
  dataDir: 'data-dir',
  pullRequest: 'pull-request',
  headSha: 'head-sha',
  baseRef: 'base-ref',
  baseSha: 'base-sha',
  gateChanges: 'gate-changes',
} as const;

/** The choose-runner action's inputs, validated. */
export interface RunnerSettings {
  /** Labels of the self-hosted runner for trusted runs (default self-hosted, gpu). */
  selfHosted: string[];
  /** Labels of the hosted runner for untrusted runs (default ubuntu-latest). */
  hosted: string[];
  /** Label a maintainer adds to a fork's pull request to approve its head commit (pull_request_target). */
  approvalLabel: string;
  /** Token for the API; required on pull_request_target and issue_comment (the guard), else unused. */
  token: string;
  /** data/objects.csv may change too (only when it is kept in git rather than in the data remote). */
  allowObjects: boolean;
  /** Commit status that carries the gate, set by the guard when no other run sets it (guardGateStatus). */
  statusContext: string;
  apiUrl: string;
}

export function readSettings({ get, env }: { get: GetInput; env: Record<string, string | undefined> }): RunnerSettings {
  const apiUrl = stringInput({ get, name: INPUTS.apiUrl, fallback: env.GITHUB_API_URL || 'https://api.github.com' });
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl))
    throw invalid(INPUTS.apiUrl, apiUrl, 'an http(s) URL like https://api.github.com');
  return {
    selfHosted: listInput({ get, name: INPUTS.selfHosted, fallback: ['self-hosted', 'gpu'] }),
    hosted: listInput({ get, name: INPUTS.hosted, fallback: ['ubuntu-latest'] }),
    approvalLabel: stringInput({ get, name: INPUTS.approvalLabel, fallback: 'safe to run' }),
    token: stringInput({ get, name: INPUTS.token }),
    allowObjects: booleanInput({ get, name: INPUTS.allowObjects, fallback: false }),
    statusContext: stringInput({ get, name: INPUTS.statusContext, fallback: 'vitrine/gate' }),
    apiUrl,
  };
}
