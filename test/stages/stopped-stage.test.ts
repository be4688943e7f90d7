import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeInputs } from './copy-stages.ts';

/*
 * A run stopped while the catalogue stage wrote .vitrine/catalogue, then run again, said the folder "was changed since
 * the last run (by a command such as vitrine models rollback, or by hand)": nobody had touched it, the run had been
 * stopped. The stage graph runs in a child process (stopped-child.ts), killed with SIGKILL in the middle of the
 * stage, in a real git repository; the next run says the stage’s last run did not finish, and runs it to the end.
 */

const NODE = path.resolve('node_modules/.bin/node');
const CHILD = path.resolve('test/stages/stopped-child.ts');

interface Outcome {
  name: string;
  status: string;
  reason: string;
}

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-stopped-'));
  await writeInputs({ root });
  execFileSync('git', ['init', '-q', '-b', 'main', root]);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Run the graph to the end in a child process: each stage’s outcome. */
function finish(): Outcome[] {
  const out = execFileSync(NODE, [CHILD, root, 'finish'], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Outcome[];
}

/** Run the catalogue stage again in a child process and SIGKILL it once it says `when`. */
async function stopWhen(when: 'started' | 'writing'): Promise<void> {
  const mode = when === 'started' ? 'stop-before-writing' : 'stop-while-writing';
  const child = spawn(NODE, [CHILD, root, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    let said = '';
    child.stdout.on('data', (d: Buffer) => {
      said += d.toString();
      if (said.includes(when)) resolve();
    });
    child.once('exit', () => reject(new Error(`the run ended before it said "${when}":\n${err}`)));
  });
  child.kill('SIGKILL');
  expect(await ended).toBe('SIGKILL');
}

const catalogueOf = (outcomes: Outcome[]) => outcomes.find((o) => o.name === 'catalogue')!;

describe('a stage whose last run was stopped', () => {
  it('says the last run did not finish, not that someone changed its output, and runs it again', async () => {
    expect(catalogueOf(finish()).status).toBe('ran');
    await stopWhen('writing');

    const again = catalogueOf(finish());
    expect(again.status).toBe('ran');
    expect(again.reason).not.toMatch(/by hand|rollback/);
    expect(again.reason).toBe(
      '.vitrine/catalogue is not as its last finished run left it: the last run of the catalogue stage did not ' +
        'finish (it was stopped, or it failed, part-way)',
    );
    // Run to the end, it is recorded and its mark is gone: the next run has nothing to do.
    const lock = JSON.parse(await readFile(path.join(root, '.vitrine', 'lock.json'), 'utf8')) as object;
    expect(lock).not.toHaveProperty('unfinished');
    expect(catalogueOf(finish()).status).toBe('skipped');
  }, 60_000);

  it('still says an output was changed by hand once a run has finished since', async () => {
    finish();
    // Stopped before it wrote anything: the output is as recorded, so the next run has nothing to redo.
    await stopWhen('started');
    expect(catalogueOf(finish()).status).toBe('skipped');
    await writeFile(path.join(root, '.vitrine', 'catalogue', 'out.txt'), 'edited');
    expect(catalogueOf(finish()).reason).toBe(
      '.vitrine/catalogue was changed since the last run (by a command such as vitrine models rollback, or by hand)',
    );
  }, 60_000);
});
