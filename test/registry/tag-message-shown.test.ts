import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../pipeline/cli/command.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { registryCommands } from '../../pipeline/registry/commands.ts';
import { type Fixture, promoteStandIn, repoPerTest, sh, steppingClock } from './helpers.ts';

/*
 * A version tagged by hand (`git tag -a -m …`, `gto register --message …`): what its tag says is anyone's words. Its
 * message is the reason the person gave; a line break in it would start a line of its own (in a workflow's log,
 * "::error::…" is a workflow command), an escape sequence would recolour the screen. `models show` shows it on one
 * line, escaped as names are (task F3: the message was not shown, and a reason in a hand-written JSON block was
 * printed with its line breaks).
 */

const newRepo = repoPerTest();
/** Control characters, a line break included. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

async function run(f: Fixture, name: 'models show' | 'models list', version: string): Promise<string> {
  const printed: string[] = [];
  const ctx: CommandContext = {
    ws: f.ws,
    log: memoryLogger(),
    clock: steppingClock(),
    env: {},
    json: false,
    out: (t) => printed.push(t),
  };
  const command = registryCommands.find((c) => c.name === name)!;
  await command.run(ctx, { values: {}, positionals: [version] });
  return printed.join('');
}

/** A commit of its own for the version tagged by hand: a commit holds one version. */
function newCommit(f: Fixture): string {
  sh(f.root, 'commit', '-q', '--allow-empty', '-m', 'retrained by hand');
  return sh(f.root, 'rev-parse', 'HEAD');
}

describe('a version tagged by hand', () => {
  it('shows its tag’s message with a line break and an escape sequence escaped, on one line', async () => {
    const f = await newRepo();
    await promoteStandIn(f);
    const commit = newCommit(f);
    // As a maintainer types it in bash.
    execFileSync(
      'bash',
      [
        '-c',
        `git -c user.name=Eve -c user.email=e@x tag -a collection-classifier@v1.1.0 ${commit} -m $'line1\\nline2\\x1b[31m'`,
      ],
      { cwd: f.root },
    );
    const printed = await run(f, 'models show', 'v1.1.0');
    const lines = printed.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('  message   line1\\nline2\\u001b[31m');
    for (const line of lines) expect(line).not.toMatch(CONTROL);
  });

  it('shows what a JSON block written by hand says on one line, in models show and models list', async () => {
    const f = await newRepo();
    await promoteStandIn(f);
    const message = sh(f.root, 'for-each-ref', '--format=%(contents)', 'refs/tags/collection-classifier@v1.0.0');
    const json = JSON.parse(message.slice(message.indexOf('\n{') + 1)) as Record<string, unknown>;
    const lineage = { ...(json.lineage as object), pullRequest: { number: '7\n::error::forged' } };
    const edited = {
      ...json,
      version: 'v1.1.0',
      previous: 'v1.0.0',
      bump: 'minor',
      reason: 'line1\nline2\u001b[31m',
      lineage,
    };
    const file = path.join(f.parent, 'tag-message.txt');
    await writeFile(file, `Registering artifact collection-classifier version v1.1.0\n\n${JSON.stringify(edited)}\n`);
    sh(f.root, 'tag', '-a', 'collection-classifier@v1.1.0', newCommit(f), '-F', file);
    const printed = await run(f, 'models show', 'v1.1.0');
    expect(printed).toContain('\n  change    minor from v1.0.0: line1\\nline2\\u001b[31m\n');
    expect(printed.split('\n').filter((l) => l.startsWith('line2'))).toEqual([]);
    expect(printed.replaceAll('\n', '')).not.toMatch(CONTROL);
    expect(printed).toContain('\n  pull req. #7\\n::error::forged\n');
    const list = await run(f, 'models list', '');
    expect(list.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
    expect(list).toMatch(/^v1\.1\.0 .* #7\\n::error::forged /m);
  });

  it('does not show GTO’s own message, which says nothing more than the tag', async () => {
    const f = await newRepo();
    await promoteStandIn(f);
    const commit = newCommit(f);
    const gto = 'Registering artifact collection-classifier version v1.1.0';
    sh(f.root, 'tag', '-a', 'collection-classifier@v1.1.0', commit, '-m', gto);
    const printed = await run(f, 'models show', 'v1.1.0');
    expect(printed).toContain('(registered by another tool: no Vitrine lineage)');
    expect(printed).not.toContain('message');
  });
});
