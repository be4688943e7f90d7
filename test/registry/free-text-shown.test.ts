import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../pipeline/cli/command.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { registryCommands } from '../../pipeline/registry/commands.ts';
import { formatRollback } from '../../pipeline/registry/format.ts';
import { checkDatasetCurrent } from '../../pipeline/registry/rollback-dataset.ts';
import { type Fixture, promoteStandIn, repoPerTest, sh, steppingClock } from './helpers.ts';

/*
 * Free text that reaches the terminal or a workflow's log from the registry: a rollback's --reason (a dispatch input
 * of the rollback workflow), a version typed by hand, what another tool or person wrote in a model's tags. A line
 * break in it would start a line of its own (in GitHub Actions, "::error::…" or "::add-mask::…" is then a workflow
 * command); an escape sequence would recolour or rewrite the screen. Shown escaped, as names are (docs/data.md,
 * "File names on the terminal"; tester T4, F4).
 */

const newRepo = repoPerTest();
const REASON = 'misreads masks\n::error::injected <script>x</script>\u001b[31mred';
/** Control characters other than a message's own line breaks and tabs. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function command(name: string) {
  const found = registryCommands.find((c) => c.name === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

function ctx(f: Fixture): CommandContext & { printed: string[] } {
  const printed: string[] = [];
  return {
    ws: f.ws,
    log: memoryLogger(),
    clock: steppingClock(),
    env: {},
    json: false,
    out: (t) => printed.push(t),
    printed,
  };
}

/** What bash makes of a word of a command line, as one argument. */
function bashReads(word: string): string {
  return execFileSync('bash', ['-c', `printf %s ${word}`], { encoding: 'utf8' });
}

describe('a rollback’s reason with a line break or an escape sequence', () => {
  it('is shown escaped in the push command models rollback gives, which bash reads back as the same reason', () => {
    const text = formatRollback({
      result: { version: 'v1.1.0', from: 'v1.2.0', tag: 'collection-classifier#prod#6', annotated: 12 },
      reason: REASON,
    });
    expect(text).not.toMatch(CONTROL);
    expect(text.split('\n').filter((line) => /^\s*::/.test(line))).toEqual([]);
    const word = /--reason (\$'(?:[^'\\]|\\.)*')/.exec(text)?.[1];
    expect(word).toBe("$'misreads masks\\n::error::injected <script>x</script>\\u001b[31mred'");
    expect(bashReads(word!)).toBe(REASON);
    // A plain reason stays as it was.
    const plain = formatRollback({
      result: { version: 'v1.1.0', from: 'v1.2.0', tag: 'collection-classifier#prod#6', annotated: 12 },
      reason: "misreads masks; it's #12",
    });
    expect(plain).toContain(`--reason 'misreads masks; it'\\''s #12':`);
  });

  it('is shown escaped in the command a stale dataset’s refusal gives', async () => {
    const f = await newRepo();
    await promoteStandIn(f);
    // The dataset stage last ran on other labels than the ones here.
    const entry = { fingerprint: 'x', deps: { paths: { 'labels.csv': 'other' }, params: {}, stages: {}, extra: null } };
    const lock = {
      schema: 'vitrine.lock/1',
      stages: { dataset: { ...entry, outs: {}, ranAt: '', durationMs: 0, summary: '' } },
    };
    await writeFile(f.ws.lock, JSON.stringify(lock));
    const error = await checkDatasetCurrent({
      ws: f.ws,
      params: f.params,
      version: 'v1.0.0',
      prod: 'v1.0.0',
      reason: REASON,
    })
      .then(() => null)
      .catch((e: unknown) => e as Error);
    expect(error?.message).toContain("npx vitrine models rollback v1.0.0 --reason $'misreads masks\\n::error::");
    expect(error!.message).not.toMatch(/[\n\u001b]/);
  });
});

describe('a version or a tag’s words with control characters', () => {
  it('a version typed with a line break is named on one line', async () => {
    const f = await newRepo();
    await promoteStandIn(f);
    const error = await command('models show')
      .run(ctx(f), { values: {}, positionals: ['v9.9.9\n::error::forged\u001b[2J'] })
      .then(() => null)
      .catch((e: unknown) => e as Error);
    expect(error?.message).toContain('There is no model version "v9.9.9\\n::error::forged\\u001b[2J"');
    expect(error!.message).not.toMatch(/[\n\u001b]/);
  });

  it('models list and models show print a tagger’s name with an escape sequence escaped', async () => {
    const f = await newRepo();
    await promoteStandIn(f);
    const tag = 'collection-classifier@v1.0.0';
    const message = sh(f.root, 'for-each-ref', '--format=%(contents)', `refs/tags/${tag}`);
    const file = path.join(f.parent, 'tag-message.txt');
    await writeFile(file, message);
    const commit = sh(f.root, 'rev-list', '-n', '1', tag);
    execFileSync(
      'git',
      ['-c', 'user.name=Eve\u001b[2J\u001b[31m', '-c', 'user.email=e@x', 'tag', '-f', '-a', tag, commit, '-F', file],
      {
        cwd: f.root,
      },
    );
    for (const name of ['models show', 'models list']) {
      const c = ctx(f);
      await command(name).run(c, { values: {}, positionals: ['v1.0.0'] });
      const printed = c.printed.join('');
      expect(printed).toContain('v1.0.0');
      expect(printed, name).not.toMatch(CONTROL);
    }
    const c = ctx(f);
    await command('models show').run(c, { values: {}, positionals: ['v1.0.0'] });
    expect(c.printed.join('')).toContain('by Eve\\u001b[2J\\u001b[31m');
  });
});
