import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { holdRunLock } from '../../pipeline/cli/run-lock.ts';
import { main } from '../../pipeline/cli.ts';
import { initData } from '../../pipeline/data/index.ts';
import { holdLock } from '../../pipeline/lock.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs } from '../dataset/fixtures.ts';

/*
 * Two `vitrine run dataset --force` at once (two terminals, two jobs on one runner) wrote the same
 * outputs and lock.json together. The second waits for the first and says which run holds the lock;
 * a lock left by a killed run does not stop the next one.
 */

afterAll(removeTempDirs);

const BIN = path.resolve('bin/vitrine.js');
// The project's Node, which any user may run (the test runner's may be in root's home).
const NODE = path.resolve('node_modules/.bin/node');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log });
  return { code, lines: log.lines };
}

async function repo() {
  const ws = await makeCollection({
    objects: ['a1', 'a2', 'a3', 'a4'].map((id) => object(id)),
    labels: [
      { objectId: 'a1', label: 'coin' },
      { objectId: 'a2', label: 'mask' },
    ],
  });
  await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
  return ws;
}

/** The id of a process that has exited. */
function deadPid(): number {
  const ran = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(ran.stdout);
}

describe('two runs of the same repository at once', () => {
  it('the second waits for the first, naming the process that holds the lock', async () => {
    const ws = await repo();
    const [first, second] = await Promise.all([
      vitrine(['run', 'dataset', '--force'], ws.root),
      vitrine(['run', 'dataset', '--force'], ws.root),
    ]);
    expect([first.code, second.code]).toEqual([0, 0]);
    const waited = [first, second].map((r) =>
      r.lines.filter((l) => l.level === 'info' && /^Another Vitrine run/.test(l.message)),
    );
    // Exactly one of them waited, and it named this process (both run in it) and the lock file.
    expect(waited.map((w) => w.length).sort()).toEqual([0, 1]);
    const line = waited.flat()[0]!.message;
    expect(line).toContain(`(process ${process.pid} on this machine, since `);
    expect(line).toContain('this one waits for it to finish');
    expect(line).toContain(path.join('.vitrine', 'run.lock'));
    expect(line).not.toMatch(/catalogue/);
    // Each ran the stage whole, one after the other: lock.json names it, and no lock is left behind.
    const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
    expect(lock.stages.dataset.summary).toMatch(/^4 objects/);
    expect(await stat(path.join(ws.work, 'run.lock')).catch(() => null)).toBeNull();
  });

  it('a lock left by a run that was killed is taken over at once, with a warning', async () => {
    const ws = await repo();
    await mkdir(ws.work, { recursive: true });
    await writeFile(path.join(ws.work, 'run.lock'), `${deadPid()}\n${os.hostname()}\n`);
    const started = Date.now();
    const result = await vitrine(['run', 'dataset'], ws.root);
    expect(result.code).toBe(0);
    expect(
      result.lines.some(
        (l) => l.level === 'warn' && /run\.lock was left by a Vitrine run that is gone/.test(l.message),
      ),
    ).toBe(true);
    expect(result.lines.some((l) => /^Another Vitrine run/.test(l.message))).toBe(false);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await stat(path.join(ws.work, 'run.lock')).catch(() => null)).toBeNull();
  });

  it('`vitrine monitor` brings the dataset up to date under the same lock', async () => {
    const ws = await repo();
    const release = await holdRunLock({ ws, log: memoryLogger() });
    let finished = false;
    const monitor = vitrine(['monitor'], ws.root).finally(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // It waits for the run holding the lock, and has not built the dataset meanwhile.
    expect(finished).toBe(false);
    expect(await stat(ws.lock).catch(() => null)).toBeNull();
    await release();
    const result = await monitor;
    expect(result.lines.some((l) => /^Another Vitrine run/.test(l.message))).toBe(true);
    const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
    expect(lock.stages.dataset.summary).toMatch(/^4 objects/);
  });
});

/** `vitrine <args>` in a process of its own; `user`: another user's (root starts it as "nobody"). */
function vitrineProcess(args: string[], cwd: string, user?: { uid: number; gid: number }) {
  const child = spawn(NODE, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...user });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited, output: () => output };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('a run stopped by Ctrl-C, SIGTERM or a closed terminal', () => {
  // SIGHUP: the terminal it ran in was closed.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const code = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[signal];
    it(`removes its lock on ${signal} and stops as ${signal} does (${code} in a shell)`, async () => {
      const ws = await repo();
      expect((await vitrine(['run', 'dataset'], ws.root)).code).toBe(0);
      // This process holds the catalogue's build lock: the run waits for it, holding the run lock, until stopped.
      const build = await holdLock({
        file: path.join(ws.catalogue, 'site-build.lock'),
        what: 'a catalogue build',
        log: memoryLogger(),
      });
      try {
        const lock = path.join(ws.work, 'run.lock');
        // Started from the folder above, naming the repository with -C, as a tester did.
        const run = vitrineProcess(['-C', ws.root, 'run', 'catalogue', '--single'], path.dirname(ws.root));
        for (let i = 0; i < 1200 && !run.output().includes('Another catalogue build'); i++)
          await new Promise((r) => setTimeout(r, 100));
        expect((await readFile(lock, 'utf8')).split('\n')[0]).toBe(String(run.child.pid));
        run.child.kill(signal);
        const { signal: stoppedBy, output } = await run.exited;
        expect(stoppedBy).toBe(signal);
        // Ctrl-C is answered at once in words (the terminal shows only "^C"); the others need none.
        expect(output.includes('Stopping: Ctrl-C pressed.')).toBe(signal === 'SIGINT');
        // The command to run again is the one stopped, as typed: plain "run" is another (it stops at evaluate
        // when the model fails the gate, and never builds the catalogue).
        if (signal === 'SIGINT')
          expect(output).toContain(`\`npx vitrine -C ${ws.root} run catalogue --single\` carries on from there.`);
        expect(await exists(lock)).toBe(false);
      } finally {
        await build();
      }
      // The next run starts at once, told of no other run.
      const next = await vitrine(['run', 'dataset'], ws.root);
      expect(next.code).toBe(0);
      expect(next.lines.some((l) => /Another Vitrine run|taking it over/.test(l.message))).toBe(false);
    });
  }
});

describe('Ctrl-C during a stage’s command', () => {
  it('names that command to run again, without --force (which would run again the stages that finished)', async () => {
    const ws = await repo();
    // This process holds the run lock: the command waits for it until stopped.
    const release = await holdRunLock({ ws, log: memoryLogger() });
    try {
      const run = vitrineProcess(['-C', ws.root, 'dataset', '--force'], path.dirname(ws.root));
      for (let i = 0; i < 1200 && !run.output().includes('Another Vitrine run'); i++)
        await new Promise((r) => setTimeout(r, 100));
      run.child.kill('SIGINT');
      const { signal, output } = await run.exited;
      expect(signal).toBe('SIGINT');
      expect(output).toContain(
        `Stages that finished are kept; \`npx vitrine -C ${ws.root} dataset\` carries on from there.`,
      );
    } finally {
      await release();
    }
  });
});

// Review V6 (L5): a shard run stopped by Ctrl-C said nothing (and before, plain `vitrine run`, another command: it
// does every stage here, not this runner’s share of the images). The command as typed carries on.
describe('Ctrl-C during a shard run', () => {
  it('names the shard run as typed, --shard included', async () => {
    const ws = await repo();
    await initData({ root: ws.root, remoteName: 'storage', remoteUrl: `${ws.root}-remote` });
    // This process holds the image caches’ lock: the shard waits for it once its images are read, until stopped.
    await mkdir(ws.dataset, { recursive: true });
    const caches = await holdLock({
      file: path.join(ws.dataset, 'images.lock'),
      what: 'a shard run',
      log: memoryLogger(),
    });
    try {
      const run = vitrineProcess(['-C', ws.root, 'run', 'dataset', '--shard', '1/2'], path.dirname(ws.root));
      for (let i = 0; i < 1200 && !/Reading \d+ new image/.test(run.output()); i++)
        await new Promise((r) => setTimeout(r, 100));
      run.child.kill('SIGINT');
      const { signal, output } = await run.exited;
      expect(signal).toBe('SIGINT');
      expect(output).toContain(`\`npx vitrine -C ${ws.root} run dataset --shard 1/2\` carries on from there.`);
    } finally {
      await caches();
      await rm(`${ws.root}-remote`, { recursive: true, force: true });
    }
  });
});

describe('a checkout this user may not write', () => {
  // Root may write anywhere: as root, the run is started as "nobody", for whom the folders are read-only.
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? { uid: 65534, gid: 65534 } : undefined;

  /** The repository readable by all, its `readOnly` folders writable by no one but root. */
  async function readOnlyRepo(readOnly: (ws: Awaited<ReturnType<typeof repo>>) => string[]) {
    const ws = await repo();
    await mkdir(ws.work, { recursive: true });
    spawnSync('chmod', ['-R', 'a+rX', ws.root]);
    for (const dir of readOnly(ws)) await chmod(dir, 0o555);
    return ws;
  }

  it('says plainly that the .vitrine folder is read-only, and what to do', async () => {
    const ws = await readOnlyRepo((w) => [w.work]);
    const { code, output } = await vitrineProcess(['run', 'dataset'], ws.root, user).exited;
    expect(code).toBe(1);
    expect(output).toContain('A Vitrine run cannot start: .vitrine is read-only for this user (permission denied)');
    expect(output).toContain('.vitrine/run.lock');
    expect(output).toContain('chmod -R u+w .vitrine');
    expect(output).not.toMatch(/could not open/);
    expect(output).toMatch(/^error: A Vitrine run cannot start: /m);
  });

  it('names the repository folder when .vitrine is not there and cannot be made', async () => {
    const ws = await readOnlyRepo((w) => [w.root]);
    await rm(ws.work, { recursive: true });
    const { code, output } = await vitrineProcess(['run', 'dataset'], ws.root, user).exited;
    expect(code).toBe(1);
    expect(output).toContain('the repository folder is read-only for this user (permission denied)');
    expect(output).toContain('chmod -R u+w .');
  });
});

describe('the lock file, as a waiter reads it', () => {
  // Created first and written after, a waiter could read it empty and name its holder "a process that has not
  // named itself yet" (the first test here failed so once in CI).
  it('is never seen empty: it is made whole with its holder named, not created first and written after', async () => {
    const ws = await repo();
    await mkdir(ws.work, { recursive: true });
    const file = path.join(ws.work, 'run.lock');
    // Another process reads the lock as fast as it can, as a waiter would, while this one takes and releases it. It
    // says "." every 1,000 reads and stops when its input closes: counted in reads, not seconds, on a loaded machine.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs'); let reads = 0, empty = 0, open = true;` +
          `process.stdin.on('end', () => (open = false)).resume();` +
          `const loop = () => { for (let i = 0; i < 1000; i++) { try { reads++;` +
          ` if (fs.readFileSync(${JSON.stringify(file)}, 'utf8') === '') empty++; } catch {} }` +
          ` if (open) { process.stdout.write('.'); setImmediate(loop); }` +
          ` else process.stdout.write(JSON.stringify({ reads, empty })); }; loop();`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    children.push(reader);
    let output = '';
    reader.stdout!.on('data', (d: Buffer) => (output += d));
    const done = new Promise<void>((resolve) => reader.on('exit', () => resolve()));
    let taken = 0;
    const thousands = () => output.replace(/[^.]/g, '').length;
    while (taken < 200 || thousands() < 5) {
      const release = await holdLock({ file, what: 'a Vitrine run', log: memoryLogger() });
      await release();
      taken++;
    }
    reader.stdin!.end();
    await done;
    output = output.replace(/^\.+/, '');
    const { reads, empty } = JSON.parse(output) as { reads: number; empty: number };
    expect(taken).toBeGreaterThanOrEqual(200);
    expect(reads).toBeGreaterThanOrEqual(5000);
    expect(empty).toBe(0);
    // The files it was written in beside the lock are gone.
    expect(await readdir(ws.work)).toEqual([]);
  });
});
