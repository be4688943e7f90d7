// The pipeline action's first step, run by node (which strips the types; setup-data installed the packages):
// params.yaml gets back the base branch's settings that decide the verdict (pipeline/github/base-gate.ts), and
// the gate-changes output lists what the pull request proposes, for the report action.
import * as core from '@actions/core';
import { messageOf } from '../../pipeline/errors.ts';
import { keepBaseGate } from '../../pipeline/github/base-gate.ts';
import { actionsLogger } from '../lib/logger.ts';

const env = process.env;
try {
  const { changes } = await keepBaseGate({
    root: env.GITHUB_WORKSPACE || process.cwd(),
    // The base's commit when the workflow gives it: a name could be shadowed by a tag of the same name.
    baseRef: env.BASE_SHA || env.BASE_REF || '',
    baseName: env.BASE_REF || undefined,
    token: env.VITRINE_GIT_TOKEN || env.GITHUB_TOKEN || undefined,
    log: actionsLogger(),
  });
  core.setOutput('gate-changes', JSON.stringify(changes));
} catch (error) {
  core.setFailed(messageOf(error));
}
