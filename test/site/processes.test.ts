import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childPids, descendantPids } from './processes.ts';

/*
 * The tests that kill a build and the scale benchmark find a process's children in Linux's /proc.
 * `/proc/<pid>/task/<tid>/children` is missing on kernels built without it (and in some sandboxes):
 * there the children are found by their parent's id in `/proc/<pid>/stat`, or the tests would find
 * none and the benchmark would see the CPU of a step's child only once the step had ended.
 */
describe.runIf(process.platform === 'linux')('a process’s children', () => {
  it('are found, whether or not the kernel lists them under the parent', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect(await childPids(process.pid)).toContain(child.pid);
      expect(await childPids(child.pid!)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('and their own children in turn', async () => {
    // A child that starts a grandchild and prints its id.
    const script =
      "const c = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], " +
      "{ stdio: 'ignore' }); console.log(c.pid); setTimeout(() => c.kill('SIGKILL'), 30_000);";
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const grandchild = Number(
        await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(`${d}`))),
      );
      expect(await descendantPids(process.pid)).toEqual(expect.arrayContaining([child.pid, grandchild]));
      process.kill(grandchild, 'SIGKILL');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
