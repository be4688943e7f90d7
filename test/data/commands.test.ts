import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../pipeline/cli/command.ts';
import { dataCommands } from '../../pipeline/data/commands.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-cmd-');
  repo = path.join(base, 'repo');
  await mkdir(repo);
});
afterEach(async () => {
  await cleanup(base);
});

function context(
  json = false,
): CommandContext & { printed: string[]; lines: ReturnType<typeof memoryLogger>['lines'] } {
  const log = memoryLogger();
  const printed: string[] = [];
  return {
    ws: workspace(repo),
    log,
    clock: systemClock,
    env: {},
    json,
    out: (t) => printed.push(t),
    printed,
    lines: log.lines,
  };
}

async function run(
  name: string,
  ctx: CommandContext,
  values: Record<string, unknown> = {},
  positionals: string[] = [],
) {
  const command = dataCommands.find((c) => c.name === name);
  if (!command) throw new Error(`no command ${name}`);
  return command.run(ctx, { values, positionals });
}

describe('vitrine data commands', () => {
  it('registers init, add, status, push, pull, verify, checkout, restore, merge and gc', () => {
    expect(dataCommands.map((c) => c.name)).toEqual([
      'data init',
      'data add',
      'data status',
      'data push',
      'data pull',
      'data verify',
      'data checkout',
      'data restore',
      'data merge',
      'data gc',
    ]);
  });

  it('init, add, status (plain and --json), push', async () => {
    await run('data init', context(), {}, ['../storage']);
    expect(await readFile(path.join(repo, '.dvc', 'config'), 'utf8')).toContain('url = ../../storage');
    await writeTree(path.join(repo, 'data'), SAMPLE);
    const before = context();
    await run('data status', before);
    expect(before.printed.join('')).toContain('not versioned yet (4 files)');
    await run('data add', context());
    const plain = context();
    expect(await run('data status', plain)).toBe(0);
    expect(plain.printed.join('')).toContain('data/ matches data.dvc (4 files');
    const json = context(true);
    await run('data status', json, { remote: true });
    const report = JSON.parse(json.printed.join(''));
    expect(report.clean).toBe(true);
    expect(report.remote).toMatchObject({ name: 'local', missing: 4 });
    const push = context(true);
    await run('data push', push, { jobs: '2' });
    expect(JSON.parse(push.printed.join(''))).toEqual({ transferred: 3, skipped: 0 });
    await expect(run('data push', context(), { jobs: 'many' })).rejects.toMatchObject({ code: 'CLI_USAGE' });
    expect(dataCommands.find((c) => c.name === 'data push')?.options).toHaveProperty('verify');
    const verified = context(true);
    await run('data push', verified, { verify: true });
    expect(JSON.parse(verified.printed.join(''))).toEqual({ transferred: 0, skipped: 3, repaired: 0 });
    const fsck = context(true);
    await run('data verify', fsck, { remote: true, repair: true });
    expect(JSON.parse(fsck.printed.join(''))).toMatchObject({
      cache: { checked: 4, damaged: [] },
      remote: { name: 'local', checked: 4, damaged: [] },
    });
  });

  it('gc says what it would free, then frees it', async () => {
    await run('data init', context(), {}, ['../storage']);
    await writeTree(path.join(repo, 'data'), { ...SAMPLE, 'images/gone.png': 'taken down' });
    await run('data add', context());
    // Pushed: gc removes only what the storage remote holds a copy of.
    await run('data push', context());
    await rm(path.join(repo, 'data', 'images', 'gone.png'));
    await run('data add', context());
    const dry = context(true);
    await run('data gc', dry, { 'dry-run': true });
    expect(JSON.parse(dry.printed.join(''))).toMatchObject({ removed: 2, kept: 4, dryRun: true });
    const gc = context();
    await run('data gc', gc);
    expect(gc.lines.find((l) => l.level === 'info')?.message).toMatch(/^Freed .* removed 2 objects/);
    const status = context();
    await run('data status', status);
    expect(status.printed.join('')).toContain('data/ matches data.dvc (4 files');
  });

  it('init without a location explains what to give', async () => {
    const ctx = context();
    expect(await run('data init', ctx)).toBe(2);
    expect(ctx.lines[0].message).toContain('vitrine data init ../museum-storage');
  });
});
