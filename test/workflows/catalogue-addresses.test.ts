import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * The catalogue action reads the published object addresses back when the Actions cache lost them
 * (evicted after 7 days unused): without them a look-alike number could take a published object's
 * address. The step's own script, run with bash against a site served on 127.0.0.1.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const published = JSON.stringify({ about: 'addresses', ids: ['DM-0267'], slugs: ['dm-0267'] });

let server: Server;
let site: string;
const dirs: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/museum/data/addresses.json') res.end(published);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}/museum`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function step(): Promise<string> {
  const action = parse(await readFile(path.join(ROOT, 'actions/catalogue/action.yml'), 'utf8')) as {
    runs: { steps: { name: string; run?: string }[] };
  };
  const found = action.runs.steps.find((s) => s.name.startsWith('Read the published object addresses'));
  return found!.run!;
}

async function runStep({ env, params }: { env: Record<string, string>; params?: string }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-addresses-'));
  dirs.push(dir);
  if (params !== undefined) await writeFile(path.join(dir, 'params.yaml'), params);
  const { stdout } = await run('bash', ['-e', '-c', await step()], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  const saved = path.join(dir, '.vitrine/cache/catalogue-slugs.json');
  return { dir, stdout, saved: await readFile(saved, 'utf8').catch(() => null) };
}

describe('the catalogue action when the cache has no object addresses', () => {
  it('reads them from the published site into the cache', async () => {
    const { stdout, saved } = await runStep({ env: { SITE: `${site}/` } });
    expect(saved).toBe(published);
    expect(stdout).toContain(`${site}/data/addresses.json`);
  });

  it("takes the site's address from params.yaml when the action has none (a bucket)", async () => {
    const { saved } = await runStep({
      env: { SITE: '' },
      params: `collection:\n  name: x\ncatalogue:\n  site: "${site}"\n`,
    });
    expect(saved).toBe(published);
  });

  it('leaves saved addresses alone', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-addresses-'));
    dirs.push(dir);
    await mkdir(path.join(dir, '.vitrine/cache'), { recursive: true });
    await writeFile(path.join(dir, '.vitrine/cache/catalogue-slugs.json'), 'kept');
    await run('bash', ['-e', '-c', await step()], { cwd: dir, env: { PATH: process.env.PATH ?? '', SITE: site } });
    expect(await readFile(path.join(dir, '.vitrine/cache/catalogue-slugs.json'), 'utf8')).toBe('kept');
  });

  it('says a first publication has none, and warns when the site cannot be read; no file half-written', async () => {
    const first = await runStep({ env: { SITE: `${site}/new` } });
    expect(first.stdout).toMatch(/No addresses published at .*yet/);
    expect(first.saved).toBeNull();
    const down = await runStep({ env: { SITE: 'http://127.0.0.1:9/museum' } });
    expect(down.stdout).toMatch(/^::warning::The saved object addresses are gone/m);
    expect(down.saved).toBeNull();
    await expect(stat(path.join(down.dir, '.vitrine/cache/addresses.download'))).rejects.toThrow();
    const none = await runStep({ env: { SITE: '' } });
    expect(none.stdout).toContain('first build');
    expect(none.saved).toBeNull();
  });
});
