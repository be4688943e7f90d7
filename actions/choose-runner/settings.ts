import { listInput, stringInput, type GetInput } from '../lib/inputs.ts';

export const INPUTS = { selfHosted: 'self-hosted-runner', hosted: 'hosted-runner', approvalLabel: 'approval-label' } as const;
export const OUTPUTS = { runsOn: 'runs-on', trusted: 'trusted', reason: 'reason' } as const;

/** The choose-runner action's inputs, validated. */
export interface RunnerSettings {
  /** Labels of the self-hosted runner for trusted runs (default self-hosted, gpu). */
  selfHosted: string[];
  /** Labels of the hosted runner for untrusted runs (default ubuntu-latest). */
  hosted: string[];
  /** Label a maintainer adds to a fork's pull request after review to allow the self-hosted runner. */
  approvalLabel: string;
}

export function readSettings({ get }: { get: GetInput }): RunnerSettings {
  return {
    selfHosted: listInput({ get, name: INPUTS.selfHosted, fallback: ['self-hosted', 'gpu'] }),
    hosted: listInput({ get, name: INPUTS.hosted, fallback: ['ubuntu-latest'] }),
    approvalLabel: stringInput({ get, name: INPUTS.approvalLabel, fallback: 'safe to run' }),
  };
}
