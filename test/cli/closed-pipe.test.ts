import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../../bin/vitrine.js');
let dir: string;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('vitrine writing into a pipe its reader closed (`vitrine … | head -1`)', () => {
  it('goes on to the end of the command without output instead of dying half-way with exit 1', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vitrine-pipe-'));
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const child = spawn(process.execPath, [bin, '-C', dir, 'demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Like `head -1`: read the first output, then close both pipes while the command still has lines to print.
    const firstOutput = new Promise<void>((resolve) => {
      for (const stream of [child.stdout, child.stderr]) stream.once('data', () => resolve());
    });
    await firstOutput;
    child.stdout.destroy();
    child.stderr.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(0);
    // The demo's last step records data/ in data.dvc: the work was finished, not cut off.
    expect(existsSync(path.join(dir, 'data.dvc'))).toBe(true);
  }, 120_000);
});
