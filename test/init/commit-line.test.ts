import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { shellMessage } from '../../pipeline/init/invocation.ts';
import { tempDir } from '../fixtures/temp.ts';

const run = promisify(execFile);

/*
 * `vitrine init` ends with the commit line to paste: `git commit -m "Start Vitrine for <name>"`. A collection's name
 * (or its folder's) with a quote, `$`, a backtick, a backslash or `!` lost characters when pasted, failed ("event not
 * found" for "!Kung"), or ran a command ("$(…)"). Each name is pasted here into bash as the line says.
 */
const names = [
  'Hostile <b>Museum</b> @octocat',
  'The "Old" Museum $(touch pwned) `touch pwned2`',
  "O'Neill's \\Gallery",
];

describe('the commit line init prints', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('keeps the usual name in plain double quotes', () => {
    expect(shellMessage('Start Vitrine for The Egyptian Collection')).toBe(
      '"Start Vitrine for The Egyptian Collection"',
    );
    // In double quotes an interactive shell would expand "!Kung" from its history.
    expect(shellMessage('Start Vitrine for !Kung Heritage')).toBe("'Start Vitrine for !Kung Heritage'");
  });

  it.each(names)('pasted into bash, commits with the message as written, and runs nothing: %s', async (name) => {
    const root = await tempDir('commit-line-');
    dirs.push(root);
    const repo = path.join(root, 'museum');
    await mkdir(repo);
    const git = ['-C', repo, '-c', 'user.name=Registrar', '-c', 'user.email=r@example.org'];
    await run('git', ['init', '-q', repo]);
    const message = `Start Vitrine for ${name}`;
    const line = `git ${git.map((w) => `'${w}'`).join(' ')} commit -q --allow-empty -m ${shellMessage(message)}`;
    await run('bash', ['-c', line], { cwd: root });
    const { stdout } = await run('git', ['-C', repo, 'log', '-1', '--format=%B']);
    expect(stdout.trimEnd()).toBe(message);
    const { stdout: made } = await run('ls', [root]);
    expect(made.trim().split('\n')).toEqual(['museum']);
  });
});
