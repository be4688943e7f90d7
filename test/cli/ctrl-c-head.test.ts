import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * Ctrl-C during the train step's head fit (up to a minute of synchronous work on a large collection):
 * Node runs a signal's handlers only when the work lets the event loop run, so the terminal showed "^C"
 * and nothing else until the whole fit had ended. The fit now lets them in between fits, and the run
 * says at once that it is stopping; its lock is still removed. A real process, stopped by a real signal.
 */

const NODE = path.resolve('node_modules/.bin/node');
const CHILD = path.resolve('test/cli/ctrl-c-child.ts');
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('Ctrl-C while the head is fitted', () => {
  it('says it is stopping, stops before the fit ends, as Ctrl-C does, and removes the run lock', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-ctrl-c-'));
    dirs.push(root);
    await mkdir(path.join(root, '.vitrine'));
    const child = spawn(NODE, [CHILD, root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let sent = false;
    const seen = (d: Buffer) => {
      output += d;
      if (output.includes('training') && !sent) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, s) => resolve(s)));
    expect(output).toContain('Stopping: Ctrl-C pressed.');
    expect(output).not.toContain('trained');
    expect(signal).toBe('SIGINT');
    const lock = await stat(path.join(root, '.vitrine', 'run.lock')).catch(() => null);
    expect(lock).toBeNull();
  }, 300_000);
});
