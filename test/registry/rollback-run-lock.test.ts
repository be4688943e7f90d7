import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { holdLockInChild } from '../fixtures/lock-holder.ts';
import { repoPerTest } from './helpers.ts';

/*
 * An outside tester ran `vitrine models rollback v1.0.0` while `vitrine run` was promoting: both exited 0, and the
 * run's catalogue showed v1.1.0's figures while production had become v1.0.0. A rollback rewrites what a run writes
 * (.vitrine/registry, the prod tag): it waits for a run, as import and data pull do.
 */

const newRepo = repoPerTest();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('vitrine models rollback while a run holds .vitrine/run.lock', () => {
  it('waits for the run to finish before it changes anything', async () => {
    const f = await newRepo();
    const other = await holdLockInChild({ file: path.join(f.root, '.vitrine', 'run.lock') });
    const log = memoryLogger();
    let finished = false;
    const command = main(['models', 'rollback', 'v1.0.0'], {
      cwd: f.root,
      env: {},
      stdout: () => {},
      log,
      interactive: false,
    }).finally(() => (finished = true));
    const said = () => log.lines.map((l) => l.message).join('\n');
    // Until it says it waits (or ends): a fixed sleep ended before the command reached the lock on a loaded machine.
    while (!finished && !/^Another Vitrine run /m.test(said())) await sleep(100);
    expect(finished, 'the rollback did not wait for the run').toBe(false);
    other.kill('SIGINT');
    // Then it goes on: here, to say there is no such version (nothing was registered in this repository).
    expect(await command).toBe(1);
    expect(said()).toMatch(/^Another Vitrine run .* this one waits for it to finish/m);
    expect(said()).toContain('v1.0.0');
  });
});
