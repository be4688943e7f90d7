import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { holdLockInChild } from '../fixtures/lock-holder.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Reviewer: a shard run adds to images.json under images.lock (pipeline/shard/image-caches.ts), but the whole
 * dataset stage wrote images.json without it: a shard run that had read images.json before the whole stage
 * wrote it wrote its older copy over the whole stage's, and the last writer won until the next run. The whole
 * stage now writes its image caches holding the same lock. The shard run here is a real process holding it.
 */

afterAll(removeTempDirs);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const objects = ['a1', 'a2', 'a3'].map((id) => object(id));
const labels = [
  { objectId: 'a1', label: 'coin' },
  { objectId: 'a2', label: 'mask' },
  { objectId: 'a3', label: 'vessel' },
];

describe('the whole dataset stage while a shard run holds images.lock', () => {
  it('waits for it before writing images.json, says so, and writes once the shard run ends', async () => {
    const ws = await makeCollection({ objects, labels });
    const params = testParams();
    await mkdir(ws.dataset, { recursive: true });
    const lock = path.join(ws.dataset, 'images.lock');
    const shard = await holdLockInChild({ file: lock, what: 'a shard run' });
    const log = memoryLogger();
    let finished = false;
    const building = buildDataset({ ws, params, log }).finally(() => (finished = true));
    const waits = () => log.lines.filter((l) => l.level === 'info' && l.message.startsWith('Another run'));
    while (!finished && waits().length === 0) await sleep(100);
    expect(finished, 'the whole stage wrote its image caches while a shard run held images.lock').toBe(false);
    expect(await stat(path.join(ws.dataset, 'images.json')).catch(() => null)).toBeNull();
    expect(waits()[0]!.message).toContain(`(process ${shard.pid} on this machine, since `);
    expect(waits()[0]!.message).toContain(`holds ${path.join('.vitrine', 'dataset', 'images.lock')}: this one waits`);
    // The shard run ends as Ctrl-C ends it (its lock removed): the whole stage writes.
    shard.kill('SIGINT');
    const dataset = await building;
    const images = JSON.parse(await readFile(path.join(ws.dataset, 'images.json'), 'utf8')).images;
    expect(Object.keys(images).sort()).toEqual(dataset.objects.map((o) => o.imageMd5).sort());
    await expect(stat(lock)).rejects.toThrow(/ENOENT/);

    // Nothing to write (every image unchanged): the lock is not waited for.
    const again = await holdLockInChild({ file: lock, what: 'a shard run' });
    const quiet = memoryLogger();
    await buildDataset({ ws, params, log: quiet });
    expect(quiet.lines.filter((l) => l.message.startsWith('Another run'))).toEqual([]);
    again.kill('SIGINT');
  });
});
