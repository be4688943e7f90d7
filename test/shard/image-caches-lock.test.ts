import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analysisSettings } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { addImageCaches } from '../../pipeline/shard/image-caches.ts';
import { holdLockInChild } from '../fixtures/lock-holder.ts';

/*
 * Shard runs sharing a checkout add to the image caches under a short lock (images.lock). A run that waited
 * for it said nothing, however long: it looked hung. It now says who holds the lock and that it waits, once
 * the wait is no longer short, then every few minutes.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('adding to the image caches while another run holds their lock', () => {
  it('says who holds it and that it waits, once the wait is no longer short', async () => {
    const ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-caches-lock-')));
    dirs.push(ws.root);
    await mkdir(ws.dataset, { recursive: true });
    const other = await holdLockInChild({ file: path.join(ws.dataset, 'images.lock'), what: 'a shard run' });
    const log = memoryLogger();
    const settings = analysisSettings(defaultParams());
    const adding = addImageCaches({
      ws,
      settings,
      analyses: new Map(),
      failures: new Map([['0123456789abcdef0123456789abcdef', { code: 'DECODE', reason: 'cut short' }]]),
      replace: false,
      log,
    });
    // A short wait (the other run reads and writes for a moment) is said nowhere.
    await sleep(2_000);
    expect(log.lines).toEqual([]);
    await sleep(5_000);
    const said = log.lines.filter((l) => l.level === 'info').map((l) => l.message);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`Another run adding to the image caches (process ${other.pid} on this machine, since `);
    expect(said[0]).toContain(`holds ${path.join('.vitrine', 'dataset', 'images.lock')}: this one waits for it`);
    // Killed (kill -9): its lock is taken over at once, and the entry added.
    other.kill('SIGKILL');
    expect((await adding).added).toBe(1);
    expect(
      log.lines.some((l) => l.level === 'warn' && /images\.lock was left by .* that is gone/.test(l.message)),
    ).toBe(true);
    expect(await readFile(path.join(ws.dataset, 'unreadable.json'), 'utf8')).toContain('cut short');
  });
});
