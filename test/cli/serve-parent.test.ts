import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * Tester: stopping the server by killing "npx vitrine serve" (npm exec, SIGTERM or SIGHUP) left the node server
 * running on the port. npm exec runs a shell that runs node: npm passes SIGTERM to the shell only, and SIGHUP to
 * no one. The server now stops when the command that started it goes away, and on SIGTERM and SIGHUP.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const folders: string[] = [];
const started: ChildProcess[] = [];
afterEach(async () => {
  // Whatever is left of the processes these tests started (their own process group): never anything else.
  for (const child of started.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/**
 * A museum repository with a built site that is also a Vitrine install: the project's bin/ and sources, with
 * node_modules/.bin/vitrine and the Node that runs it (as "npm ci" leaves them), so "npx vitrine" runs this code.
 */
async function project(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'vitrine-serve-parent-'));
  folders.push(folder);
  await cp(path.join(ROOT, 'package.json'), path.join(folder, 'package.json'));
  await cp(path.join(ROOT, 'bin'), path.join(folder, 'bin'), { recursive: true });
  await symlink(path.join(ROOT, 'pipeline'), path.join(folder, 'pipeline'));
  await mkdir(path.join(folder, 'node_modules', '.bin'), { recursive: true });
  await symlink(path.join('..', '..', 'bin', 'vitrine.js'), path.join(folder, 'node_modules', '.bin', 'vitrine'));
  await symlink(process.execPath, path.join(folder, 'node_modules', '.bin', 'node'));
  await writeFile(
    path.join(folder, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  await mkdir(path.join(folder, '.vitrine', 'site'), { recursive: true });
  await writeFile(path.join(folder, '.vitrine', 'site', 'index.html'), '<h1>Catalogue</h1>');
  return folder;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Wait until `listening(port)` is `wanted`, for at most `ms`; the state at the end. */
async function until(port: number, wanted: boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    const now = await listening(port);
    if (now === wanted || Date.now() > end) return now;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Start `command` in its own process group (so the test can clean up after it) and wait for the port. */
async function serve(command: string, args: string[], cwd: string, port: number): Promise<ChildProcess> {
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
  });
  started.push(child);
  expect(await until(port, true, 60_000), `the server listens on ${port}`).toBe(true);
  return child;
}

describe('stopping "npx vitrine serve"', () => {
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`killing npx (npm exec) with ${signal} frees the port within a few seconds`, async () => {
      const folder = await project();
      const port = await freePort();
      const npx = await serve('npx', ['vitrine', 'serve', '--port', String(port)], folder, port);
      process.kill(npx.pid!, signal);
      expect(await until(port, false, 15_000), `port ${port} still taken 15 s after ${signal} to npm exec`).toBe(false);
    });
  }

  it('started with nohup from a shell that then exits, it keeps serving; killing npm exec still frees the port', async () => {
    // Reviewer: `bash -c 'nohup npx vitrine serve --port P >log 2>&1 & sleep 10'` served while the shell lived and
    // stopped within 0.5 s of its end ("The command that started the server has stopped"), though npm exec was still
    // running, only given to init. The shell is the test's child in a session of its own (setsid, as detached);
    // it prints npm exec's id (nohup runs npx in its own process) and ends when its standard input closes.
    const folder = await project();
    const port = await freePort();
    const shell = spawn('bash', ['-c', `nohup npx vitrine serve --port ${port} >serve.log 2>&1 & echo $!; read -r _`], {
      cwd: folder,
      detached: true,
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    });
    started.push(shell);
    const npx = Number(await new Promise<string>((resolve) => shell.stdout!.once('data', (d) => resolve(String(d)))));
    expect(npx).toBeGreaterThan(1);
    expect(await until(port, true, 60_000), `the server listens on ${port}`).toBe(true);
    const shellExited = new Promise((resolve) => shell.once('exit', resolve));
    shell.stdin!.end();
    await shellExited;
    await new Promise((r) => setTimeout(r, 2000));
    const log = await readFile(path.join(folder, 'serve.log'), 'utf8').catch(() => '');
    expect(await listening(port), `the server still answers 2 s after the shell ended; its log:\n${log}`).toBe(true);
    process.kill(npx, 'SIGTERM');
    expect(await until(port, false, 15_000), `port ${port} still taken 15 s after SIGTERM to npm exec`).toBe(false);
  });

  it('SIGTERM and SIGHUP to the server process itself stop it too', async () => {
    const folder = await project();
    for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
      const port = await freePort();
      const node = await serve(
        process.execPath,
        [path.join(folder, 'bin', 'vitrine.js'), 'serve', '--port', String(port)],
        folder,
        port,
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) => node.once('exit', (_code, s) => resolve(s)));
      process.kill(node.pid!, signal);
      expect(await exited).toBe(signal);
      expect(await listening(port)).toBe(false);
    }
  });
});
