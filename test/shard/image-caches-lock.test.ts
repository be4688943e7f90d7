import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { analysisSettings } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { addImageCaches } from '../../pipeline/shard/image-caches.ts';

/*
 * Shard runs sharing a checkout add to the image caches under a short lock (images.lock). A run that waited
 * for it said nothing, however long: it looked hung. It now says who holds the lock and that it waits, once
 * the wait is no longer short, then every few minutes.
 */

const LOCK = pathToFileURL(path.resolve('pipeline/lock.ts')).href;
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Another shard run holding `file` (a real process), until killed. */
async function holder(file: string): Promise<ChildProcess> {
  const script =
    `const { holdLock } = await import(${JSON.stringify(LOCK)});` +
    `const log = { info() {}, warn() {}, error() {}, debug() {}, progress: () => ({ tick() {}, done() {} }) };` +
    `await holdLock({ file: ${JSON.stringify(file)}, what: 'a shard run', log });` +
    `process.stdout.write('held\\n'); setInterval(() => {}, 1e6);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
    child.on('exit', (code) => reject(new Error(`the holder exited (${code})`)));
  });
  return child;
}

describe('adding to the image caches while another run holds their lock', () => {
  it('says who holds it and that it waits, once the wait is no longer short', async () => {
    const ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-caches-lock-')));
    dirs.push(ws.root);
    await mkdir(ws.dataset, { recursive: true });
    const other = await holder(path.join(ws.dataset, 'images.lock'));
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
