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
 * address. The step's own script, run with bash against a site served on 127.0.0.1, with the repository's
 * CLI as $VITRINE (as setup-data sets it): it reads catalogue.site and checks the download before keeping it.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const published = JSON.stringify({ about: 'addresses', ids: ['DM-0267'], slugs: ['dm-0267'] });
/** What a host may send with a 200 for a file it does not have, or a download cut short. */
const answers: Record<string, [number, string]> = {
  '/museum/data/addresses.json': [200, published],
  '/html/data/addresses.json': [200, '<!DOCTYPE html><html><body>Welcome to our CDN</body></html>'],
  '/cut/data/addresses.json': [200, published.slice(0, 30)],
  '/bucket/data/addresses.json': [403, '<Error><Code>AccessDenied</Code></Error>'],
};
const VITRINE = path.join(ROOT, 'bin', 'vitrine.js');
// The Node that runs the tests (24, from npm ci) runs the CLI, as setup-node's does in the workflow.
const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;

let server: Server;
let site: string;
const dirs: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const [status, body] = answers[req.url ?? ''] ?? [404, '<html>not found</html>'];
    res.writeHead(status).end(body);
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

/** A checkout (its .git folder marks the repository for the CLI), with `params` as its params.yaml. */
async function checkout(params?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-addresses-'));
  dirs.push(dir);
  await mkdir(path.join(dir, '.git'));
  if (params !== undefined) await writeFile(path.join(dir, 'params.yaml'), params);
  return dir;
}

async function runStep({ env, params }: { env: Record<string, string>; params?: string }) {
  const dir = await checkout(params);
  const { stdout } = await run('bash', ['-e', '-c', await step()], {
    cwd: dir,
    env: { PATH, VITRINE, GITHUB_ACTIONS: 'true', ...env },
  });
  const saved = path.join(dir, '.vitrine/cache/catalogue-slugs.json');
  // Nothing half-written is left beside the saved addresses.
  await expect(stat(path.join(dir, '.vitrine/cache/addresses.download'))).rejects.toThrow();
  return { dir, stdout, saved: await readFile(saved, 'utf8').catch(() => null) };
}

describe('the catalogue action when the cache has no object addresses', () => {
  it('reads them from the published site into the cache', async () => {
    const { stdout, saved } = await runStep({ env: { SITE: `${site}/` } });
    expect(saved).toBe(published);
    expect(stdout).toContain(`read the addresses of 1 object from the published site, ${site}/data/addresses.json`);
  });

  it("takes the site's address from params.yaml as the stages read it (CRLF, a four-space indent, comments)", async () => {
    const params = [
      'collection:',
      '    name: "Room #5"',
      '    vocabulary: [coin, figurine, mask, print, textile, vessel]',
      'catalogue:',
      `    site: "${site}"  # the bucket`,
      '',
    ];
    const { saved } = await runStep({ env: { SITE: '' }, params: params.join('\r\n') });
    expect(saved).toBe(published);
    // A deeper key of the same name (a period called "site") is not catalogue.site.
    const deeper = await runStep({
      env: { SITE: '' },
      params: `catalogue:\n  periods:\n    site: [1, 2]\n  site: ${site}\n`,
    });
    expect(deeper.saved).toBe(published);
  });

  it('does not keep a web page or a download cut short, and says which address gave it', async () => {
    const html = await runStep({ env: { SITE: `http://${new URL(site).host}/html` } });
    expect(html.saved).toBeNull();
    const host = new URL(site).host;
    expect(html.stdout).toContain(
      `::warning::The object addresses at http://${host}/html/data/addresses.json were not used: it is a web page (HTML), not JSON`,
    );
    expect(html.stdout).toMatch(/^::warning::/m);
    expect(html.stdout).toContain('docs/security-addresses.md');
    // The host's bytes are not repeated in the workflow's messages.
    expect(html.stdout).not.toContain('Welcome');
    const cut = await runStep({ env: { SITE: `http://${new URL(site).host}/cut` } });
    expect(cut.saved).toBeNull();
    expect(cut.stdout).toMatch(
      /^::warning::The object addresses at .*\/cut\/data\/addresses\.json were not used: .*not valid JSON/m,
    );
  });

  it('leaves saved addresses alone', async () => {
    const dir = await checkout();
    await mkdir(path.join(dir, '.vitrine/cache'), { recursive: true });
    const kept = JSON.stringify({ about: 'addresses', ids: ['DM-0001'], slugs: ['dm-0001'] });
    await writeFile(path.join(dir, '.vitrine/cache/catalogue-slugs.json'), kept);
    await run('bash', ['-e', '-c', await step()], { cwd: dir, env: { PATH, VITRINE, SITE: site } });
    expect(await readFile(path.join(dir, '.vitrine/cache/catalogue-slugs.json'), 'utf8')).toBe(kept);
  });

  /*
   * Tester T11 and D31: saved addresses emptied or cut short were kept, as if whole, and the build then worked every
   * address out again. The published ones are read back in their place, with a warning naming the file.
   */
  it('reads the published ones back in place of saved addresses that cannot be used', async () => {
    for (const damaged of ['', published.slice(0, 30)]) {
      const dir = await checkout();
      await mkdir(path.join(dir, '.vitrine/cache'), { recursive: true });
      await writeFile(path.join(dir, '.vitrine/cache/catalogue-slugs.json'), damaged);
      const { stdout } = await run('bash', ['-e', '-c', await step()], {
        cwd: dir,
        env: { PATH, VITRINE, SITE: `${site}/`, GITHUB_ACTIONS: 'true' },
      });
      expect(stdout).toMatch(/::warning::The saved object addresses in \.vitrine\/cache\/catalogue-slugs\.json cannot/);
      expect(await readFile(path.join(dir, '.vitrine/cache/catalogue-slugs.json'), 'utf8')).toBe(published);
    }
  });

  it('notes a first publication (404), and warns when the site cannot be read', async () => {
    const first = await runStep({ env: { SITE: `${site}/new` } });
    expect(first.stdout).toMatch(/^::notice::No object addresses are published at .*\/new\/data\/addresses\.json yet/m);
    expect(first.stdout).toContain("the catalogue's first publication");
    expect(first.saved).toBeNull();
    const forbidden = await runStep({ env: { SITE: `http://${new URL(site).host}/bucket` } });
    expect(forbidden.stdout).toMatch(/^::warning::The saved object addresses are gone and .* answered HTTP 403/m);
    expect(forbidden.saved).toBeNull();
    // Not only look-alikes: a number with a letter like "Œ" published under the old rule changes address too.
    expect(forbidden.stdout).toContain(
      'Objects with look-alike numbers, or numbers with letters like œ, ß or ø, may change address',
    );
    const down = await runStep({ env: { SITE: 'http://127.0.0.1:9/museum' } });
    expect(down.stdout).toMatch(/^::warning::The saved object addresses are gone/m);
    expect(down.saved).toBeNull();
    // The input is not checked as catalogue.site is: a line break in it would start a workflow command.
    const injected = await runStep({ env: { SITE: `${site}/\n::error::injected` } });
    expect(injected.stdout).toMatch(/^::warning::The site-url input is not one address on one line/m);
    expect(injected.stdout).not.toMatch(/^::error::injected/m);
    expect(injected.saved).toBeNull();
    const none = await runStep({ env: { SITE: '' } });
    expect(none.stdout).toContain('first build');
    expect(none.saved).toBeNull();
  });

  it('leaves a params.yaml that is not valid to the build step', async () => {
    const wrong = await runStep({ env: { SITE: '' }, params: `catalogue:\n  site: ${site}\n  sight: x\n` });
    expect(wrong.stdout).toContain('Vitrine could not read catalogue.site from params.yaml');
    expect(wrong.saved).toBeNull();
  });

  it('asks for setup-data when $VITRINE is not set', async () => {
    const dir = await checkout();
    const failed = await run('bash', ['-e', '-c', await step()], { cwd: dir, env: { PATH, SITE: site } }).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stdout: string }).stdout).toContain(
      '::error::Run the setup-data action before the catalogue action.',
    );
  });
});
