import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * GitHub gives a Dependabot pull request only the Dependabot secrets: its Model report run has no key of the data
 * remote, and failed on "needs an access key" with no word of why (tester T13, F2). The key check says so.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function keyCheck(env: Record<string, string>) {
  const file = path.join(ROOT, '.github', 'workflows', 'pull-request.yml');
  const yaml = parse(await readFile(file, 'utf8')) as {
    jobs: { pipeline: { steps: { name?: string; run?: string }[] } };
  };
  const step = yaml.jobs.pipeline.steps.find((s) => s.name === 'Check which key of the data remote this run holds')!;
  const run = spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', step.run!], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('the key check of the Model report', () => {
  it('tells a Dependabot pull request without a key to add the read-only key as Dependabot secrets', async () => {
    const { out } = await keyCheck({ PR_AUTHOR: 'dependabot[bot]', READ_KEY: '', WRITE_KEY: '' });
    expect(out).toContain('Dependabot');
    expect(out).toContain('VITRINE_REMOTE_READ_ACCESS_KEY_ID');
    expect(out).toContain('Keys of the data remote');
  });

  it('says nothing of Dependabot to a person, or to Dependabot when the key is there', async () => {
    expect((await keyCheck({ PR_AUTHOR: 'octocat', READ_KEY: '', WRITE_KEY: '' })).out).not.toContain('Dependabot');
    const given = await keyCheck({ PR_AUTHOR: 'dependabot[bot]', READ_KEY: 'AKIA', WRITE_KEY: '' });
    expect(given.out).not.toContain('Dependabot');
    expect(given.code).toBe(0);
  });
});
