import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * A --shard run ends by saying what the final job runs (docs/scale.md): the same stages, with
 * --pull-caches. Without them, `run --pull-caches` on main would run every stage, promote included.
 */

let base: string | undefined;
afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

describe('the end of a --shard run', () => {
  it('names the final job with the stages the shard was given', async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-shard-hint-'));
    const root = path.join(base, 'museum');
    await mkdir(root, { recursive: true });
    await writeFile(
      path.join(root, 'params.yaml'),
      'demo:\n  per_type: 2\n  unlabelled_per_type: 0\n  image_size: 64\ndataset:\n  thumbnails:\n    widths: [32]\n',
    );
    const run = async (...args: string[]) => {
      const log = memoryLogger();
      const code = await main(args, { cwd: base!, env: {}, stdout: () => {}, log });
      const said = log.lines.map((l) => l.message).join('\n');
      expect(code, said).toBe(0);
      return said;
    };
    await run('-C', 'museum', 'demo');
    expect(await run('-C', 'museum', 'run', 'report', '--shard', '1/2')).toContain(
      'The final job runs "npx vitrine -C museum run report --pull-caches".',
    );
    expect(await run('-C', 'museum', 'run', 'dataset', 'train', '--shard', '2/2')).toContain(
      'The final job runs "npx vitrine -C museum run dataset train --pull-caches".',
    );
    // A stage's own command: the same stage.
    expect(await run('-C', 'museum', 'dataset', '--shard', '1/2')).toContain(
      'The final job runs "npx vitrine -C museum run dataset --pull-caches".',
    );
    // No stage named: every stage, as the merge workflow's final job runs them.
    expect(await run('-C', 'museum', 'run', '--shard', '2/2')).toContain(
      'The final job runs "npx vitrine -C museum run --pull-caches".',
    );
  }, 120_000);
});
