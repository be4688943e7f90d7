import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whereThingsAre } from '../../pipeline/cli/core-commands.ts';
import { serveSite } from '../../pipeline/cli/serve.ts';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { builtSiteBase } from '../../pipeline/publish/built.ts';

/* Issue 11: `vitrine serve` must survive a malformed URL, and a bad or busy port is a user mistake with a plain message. */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-serve-'));
  // A Vitrine repository (the command looks for params.yaml), on the default labels.
  await writeFile(
    path.join(root, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  await mkdir(workspace(root).site, { recursive: true });
  await writeFile(path.join(workspace(root).site, 'index.html'), '<h1>Catalogue</h1>');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A raw GET: fetch() would refuse to send a malformed path. */
function get(port: number, rawPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: rawPath }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('vitrine serve', () => {
  it('answers 400 to a malformed URL and keeps serving', async () => {
    const site = await serveSite({ dir: workspace(root).site, port: 0 });
    try {
      const port = Number(new URL(site.url).port);
      expect(await get(port, '/%E0%A4%A')).toBe(400);
      expect(await get(port, '/')).toBe(200);
    } finally {
      await site.close();
    }
  });

  it('says plainly that a port must be a number (a usage mistake: exit 2)', async () => {
    const log = memoryLogger();
    const code = await main(['serve', '--port', 'abc'], { cwd: root, env: {}, stdout: () => {}, log });
    expect(code).toBe(2);
    const text = log.lines.map((l) => l.message).join('\n');
    expect(text).toContain('--port takes a port number from 1 to 65535 (got "abc")');
    expect(text).not.toContain('did not expect');
  });

  it('says plainly that the port is taken, and how to choose another (exit 1)', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const log = memoryLogger();
      const code = await main(['serve', '--port', String(port)], { cwd: root, env: {}, stdout: () => {}, log });
      expect(code).toBe(1);
      const text = log.lines.map((l) => l.message).join('\n');
      expect(text).toContain(`Port ${port} is already in use`);
      expect(text).toContain('--port');
      expect(text).not.toContain('did not expect');
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  // Tester, session 22 #2: 4791 taken, the message suggested 4792, which was taken too.
  it('suggests a port that is free, not just the next number', async () => {
    const listen = (port: number) =>
      new Promise<Server | undefined>((resolve) => {
        const server = createServer();
        server.once('error', () => resolve(undefined)).listen(port, '127.0.0.1', () => resolve(server));
      });
    // Two neighbouring ports, both taken.
    let busy: Server[] = [];
    for (let port = 47_000; port < 48_000 && busy.length < 2; port += 2) {
      const pair = [await listen(port), await listen(port + 1)];
      busy = pair.every(Boolean) ? (pair as Server[]) : [];
      for (const server of pair) if (server && !busy.length) await new Promise((r) => server.close(r));
    }
    const [first, second] = busy.map((server) => (server.address() as { port: number }).port);
    try {
      const log = memoryLogger();
      const code = await main(['serve', '--port', String(first)], { cwd: root, env: {}, stdout: () => {}, log });
      expect(code).toBe(1);
      const text = log.lines.map((l) => l.message).join('\n');
      const suggested = Number(/--port (\d+)/.exec(text)?.[1]);
      expect(suggested).not.toBe(first);
      expect(suggested).not.toBe(second);
      const free = await listen(suggested);
      expect(free, `port ${suggested} that the message suggests is free`).toBeDefined();
      await new Promise((r) => free?.close(r));
    } finally {
      for (const server of busy) await new Promise((r) => server.close(r));
    }
  });

  // An outside tester built with VITRINE_CATALOGUE_BASE=/collection/: `vitrine run` ended with "open it with: npx
  // vitrine serve (then http://127.0.0.1:4321/)", where `vitrine serve` serves it at …/collection/.
  it('gives at the end of a run the address vitrine serve will serve the site at', async () => {
    const museum = await mkdtemp(path.join(os.tmpdir(), 'vitrine-run-where-'));
    try {
      const ws = workspace(museum);
      const params = defaultParams();
      await mkdir(path.dirname(ws.lock), { recursive: true });
      const entry = { deps: { params: { catalogue: { base: '/' } }, extra: { location: { base: '/collection/' } } } };
      await writeFile(ws.lock, JSON.stringify({ schema: 'vitrine.lock/1', stages: { catalogue: entry } }));
      const said = await whereThingsAre({ ws, params, env: {} });
      expect(said).toContain('open it with: npx vitrine serve   (then http://127.0.0.1:4321/collection/)');
      // With no record of the build, the base the catalogue stage would use.
      await rm(ws.lock);
      params.catalogue.base = '/museum/';
      expect(await whereThingsAre({ ws, params, env: {} })).toContain('(then http://127.0.0.1:4321/museum/)');
      expect(await whereThingsAre({ ws, params, env: { VITRINE_CATALOGUE_BASE: '/' } })).toContain(
        '(then http://127.0.0.1:4321/)',
      );
    } finally {
      await rm(museum, { recursive: true, force: true });
    }
  });

  // An outside tester ran `vitrine run catalogue --single` before any model was trained: "Where to look" listed the
  // report, metrics.json and the model folder, none of which existed.
  it('lists at the end of a run only the results that exist, and says when no model is trained yet', async () => {
    const museum = await mkdtemp(path.join(os.tmpdir(), 'vitrine-run-where-none-'));
    try {
      const ws = workspace(museum);
      await mkdir(ws.site, { recursive: true });
      const said = await whereThingsAre({ ws, params: defaultParams(), env: {} });
      expect(said).toContain('site ');
      for (const absent of ['report.md', 'metrics.json', 'model cards']) expect(said).not.toContain(absent);
      expect(said).toMatch(/no model has been trained yet/);
      // Once they are there, they are listed.
      await mkdir(ws.model, { recursive: true });
      await mkdir(ws.report, { recursive: true });
      await writeFile(path.join(ws.report, 'report.md'), '# Report\n');
      const later = await whereThingsAre({ ws, params: defaultParams(), env: {} });
      expect(later).toContain('report.md');
      expect(later).toMatch(/model +\S+\//);
      expect(later).not.toContain('metrics.json');
      expect(later).not.toMatch(/no model has been trained yet/);
    } finally {
      await rm(museum, { recursive: true, force: true });
    }
  });

  // An outside tester: a site built for /collection/ (VITRINE_CATALOGUE_BASE, as the workflows set it) was served at /
  // by params.yaml's base: every link on its home page led to a 404.
  it('serves a site at the base path it was built for, as lock.json records it', async () => {
    const museum = await mkdtemp(path.join(os.tmpdir(), 'vitrine-serve-base-'));
    try {
      const ws = workspace(museum);
      await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
      await mkdir(path.join(ws.site, 'browse'), { recursive: true });
      await writeFile(path.join(ws.site, 'index.html'), '<a href="/collection/browse/">Browse</a>');
      await writeFile(path.join(ws.site, 'browse', 'index.html'), '<h1>Browse</h1>');
      const entry = { deps: { params: { catalogue: { base: '/' } }, extra: { location: { base: '/collection/' } } } };
      await writeFile(ws.lock, JSON.stringify({ schema: 'vitrine.lock/1', stages: { catalogue: entry } }));
      expect(await builtSiteBase({ ws })).toBe('/collection/');
      // A record edited by hand reads as the default base, without an internal error (the second reviewer).
      for (const odd of [{}, { deps: { params: { catalogue: { base: 5 } } } }]) {
        await writeFile(ws.lock, JSON.stringify({ schema: 'vitrine.lock/1', stages: { catalogue: odd } }));
        expect(await builtSiteBase({ ws })).toBe('/');
      }
      await writeFile(ws.lock, JSON.stringify({ schema: 'vitrine.lock/1', stages: { catalogue: entry } }));
      // The command as typed, in a process of its own (it serves until stopped).
      const free = createServer();
      await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
      const port = (free.address() as { port: number }).port;
      await new Promise((r) => free.close(r));
      const child = spawn(
        path.resolve('node_modules/.bin/node'),
        [path.resolve('bin/vitrine.js'), '-C', museum, 'serve', '--port', String(port)],
        { stdio: 'ignore' },
      );
      try {
        let status = 0;
        for (let i = 0; i < 200 && status === 0; i++)
          status = await get(port, '/collection/browse/').catch(
            () => new Promise<number>((r) => setTimeout(() => r(0), 50)),
          );
        expect(status).toBe(200);
      } finally {
        child.kill('SIGTERM');
      }
    } finally {
      await rm(museum, { recursive: true, force: true });
    }
  });
});
