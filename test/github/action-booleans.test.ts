import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * A tester: `push-tags: 'yes'` on the promote action was read as false (GitHub compares `inputs.push-tags == 'true'`),
 * so the model was promoted on the runner and its tags never pushed, the job green; `pull: 'yes'` and
 * `save-cache: 'yes'` the same. Every true-or-false input of a composite action is checked by a step that stops on any
 * other word, naming the input.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Action {
  inputs?: Record<string, { default?: string }>;
  runs: { using: string; steps?: Step[] };
}

async function composites(): Promise<{ name: string; action: Action }[]> {
  const out: { name: string; action: Action }[] = [];
  for (const name of (await readdir(path.join(ROOT, 'actions'))).sort()) {
    const text = await readFile(path.join(ROOT, 'actions', name, 'action.yml'), 'utf8').catch(() => null);
    const action = text === null ? null : (parse(text) as Action);
    if (action?.runs.using === 'composite') out.push({ name, action });
  }
  return out;
}

/** The step that checks input `input` (its env variable and the variable's name), if any. */
function checkOf(steps: Step[], input: string): { step: Step; variable: string } | undefined {
  for (const step of steps)
    for (const [variable, value] of Object.entries(step.env ?? {}))
      if (value.replace(/\s/g, '') === `\${{inputs.${input}}}` && step.run?.includes(`case "$${variable}" in`))
        if (step.run.includes(`The input \\"${input}\\"`)) return { step, variable };
  return undefined;
}

describe('true-or-false inputs of the composite actions', () => {
  it('are each checked, and any other word stops the job naming the input', async () => {
    const checked: string[] = [];
    for (const { name, action } of await composites()) {
      const steps = action.runs.steps ?? [];
      for (const [input, spec] of Object.entries(action.inputs ?? {})) {
        if (!['true', 'false'].includes(String(spec.default))) continue;
        const check = checkOf(steps, input);
        expect(check, `${name}: ${input}`).toBeDefined();
        checked.push(`${name}.${input}`);
        if (check!.step.name !== 'Check the true-or-false inputs') continue;
        const run = (value: string) =>
          spawnSync('bash', ['-c', check!.step.run!], {
            encoding: 'utf8',
            env: { PATH: process.env.PATH, [check!.variable]: value },
          });
        const yes = run('yes');
        expect(yes.status, `${name}: ${input}`).toBe(1);
        expect(yes.stdout).toContain(`::error::The input "${input}" is "yes", expected true or false.`);
        expect(run('True').status).toBe(0);
        expect(run('false').status).toBe(0);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining(['promote.push-tags', 'setup-data.pull', 'catalogue.save-cache', 'pipeline.save-cache']),
    );
  });
});
