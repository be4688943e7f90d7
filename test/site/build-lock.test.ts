import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { holdBuildLock } from '../../pipeline/catalogue/site.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * The lock a catalogue build holds (site sources, workspace). A build killed mid-run leaves its lock
 * behind: the next build takes it over at once when the process that wrote it is gone on this machine.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tmp(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-lock-'));
  dirs.push(dir);
  return dir;
}

/** The id of a process that has exited. */
function deadPid(): number {
  const ran = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(ran.stdout);
}

describe('the catalogue build lock', () => {
  it('takes over at once, with a warning, a lock left by a process that is gone', async () => {
    const file = path.join(await tmp(), 'build.lock');
    await writeFile(file, `${deadPid()}\n${os.hostname()}\n`);
    const log = memoryLogger();
    const waited: number[] = [];
    const release = await holdBuildLock({
      file,
      log,
      wait: async (ms) => {
        waited.push(ms);
        if (waited.length > 3) throw new Error('still waiting for a dead process');
      },
    });
    expect(waited).toEqual([]);
    expect((await readFile(file, 'utf8')).split('\n')[0]).toBe(String(process.pid));
    expect(log.lines.some((l) => l.level === 'warn' && /gone/.test(l.message))).toBe(true);
    await release();
    expect(await stat(file).catch(() => null)).toBeNull();
  });

  it('waits for a live process, and for a lock written on another machine', async () => {
    for (const owner of [`${process.pid}\n${os.hostname()}\n`, `${deadPid()}\nanother-runner\n`]) {
      const file = path.join(await tmp(), 'build.lock');
      await writeFile(file, owner);
      const log = memoryLogger();
      let waits = 0;
      const release = await holdBuildLock({
        file,
        log,
        // The other build finishes after two waits.
        wait: async () => {
          if (++waits === 2) await rm(file);
        },
      });
      expect(waits).toBe(2);
      expect(log.lines.some((l) => l.level === 'warn')).toBe(false);
      await release();
    }
  });
});
