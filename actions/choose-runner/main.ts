import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { messageOf } from '../../pipeline/errors.ts';
import { chooseRunner } from '../../pipeline/github/runner.ts';
import { inputsFromEnv } from '../lib/inputs.ts';
import { OUTPUTS, readSettings } from './settings.ts';

/** The choose-runner action: decide from the event whether the pipeline may use the self-hosted runner. */
export async function run({ env = process.env }: { env?: Record<string, string | undefined> } = {}): Promise<void> {
  try {
    const settings = readSettings({ get: inputsFromEnv(env) });
    const event = env.GITHUB_EVENT_PATH ? JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) : {};
    const choice = chooseRunner({ eventName: env.GITHUB_EVENT_NAME ?? '', event, selfHosted: settings.selfHosted, hosted: settings.hosted });
    core.setOutput(OUTPUTS.runsOn, JSON.stringify(choice.runsOn));
    core.setOutput(OUTPUTS.trusted, String(choice.trusted));
    core.setOutput(OUTPUTS.reason, choice.reason);
    core.info(`Runner: ${choice.runsOn.join(', ')} because ${choice.reason}.`);
    if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(`Runner: \`${choice.runsOn.join(', ')}\`, because ${choice.reason}.\n`, true).write();
  } catch (error) {
    core.setFailed(messageOf(error));
  }
}
