import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogueCodeHash, siteFingerprint } from '../../pipeline/catalogue/plan.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { catalogueStageWith } from '../../pipeline/stages/catalogue.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import type { Stage } from '../../pipeline/stages/stage.ts';
import { writeFixture } from '../site/fixture.ts';
import { upstreamNotRun } from './upstream.ts';

/*
 * Found by an outside tester (T5, F10): after an upgrade of Vitrine whose catalogue code changed (a fix in
 * pipeline/catalogue/pages.ts), `vitrine run` said "catalogue … 0 ran, 1 skipped" and the site kept its old pages:
 * the stage's paths are the museum's repository, and its fingerprint did not hold Vitrine's own code.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tmp(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Write `files` (relative path → text) under `root`. */
async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [f, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), text);
  }
}

describe.runIf(process.platform === 'linux')('the catalogue stage after an upgrade of Vitrine', () => {
  it('rebuilds when Vitrine’s catalogue code changed, saying so, and is skipped while it is unchanged', async () => {
    const root = await tmp('vitrine-catalogue-code-');
    const titles = ['Bronze coin', 'Festival mask', 'Iron helmet'];
    await writeFixture({
      root,
      objects: titles.map((title, i) => ({ id: `CC-${i + 1}`, title, label: title.split(' ')[1]!, image: null })),
      labels: ['coin', 'helmet', 'mask'],
      withMetrics: false,
    });
    await writeFile(
      path.join(root, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, helmet, mask]\n',
    );
    execFileSync('git', ['init', '-q', '-b', 'main', root]);
    const ws = workspace(root);
    const params = await loadParams({ file: ws.params });
    let code = 'a'.repeat(64);
    const run = async () => {
      const log = memoryLogger();
      // Without its registry restore: the test repository has no git tags.
      const stage: Stage = { ...catalogueStageWith({ code: async () => code }), prepare: undefined };
      const outcomes = await runStages({
        ctx: { ws, params, log, clock: systemClock, env: {} },
        stages: [...upstreamNotRun(), stage],
        targets: ['catalogue'],
        single: true,
      });
      return outcomes.find((o) => o.name === 'catalogue')!;
    };
    expect(await run()).toMatchObject({ status: 'ran', reason: 'first run' });
    const index = path.join(ws.site, 'index.html');
    expect(await readFile(index, 'utf8')).toContain('<html');
    expect(await run()).toMatchObject({ status: 'skipped' });

    code = 'b'.repeat(64);
    const upgraded = await run();
    expect(upgraded).toMatchObject({ status: 'ran', reason: 'Vitrine’s catalogue code changed' });
    // Said in plain words, not as two hashes.
    expect(upgraded.reason).not.toContain(code);
    expect(await run()).toMatchObject({ status: 'skipped' });
  }, 600_000);
});

/** A small copy of Vitrine's layout: the stage, the catalogue code, the site, and pipeline files they import. */
const VITRINE = {
  'pipeline/stages/catalogue.ts': "import { build } from '../catalogue/index.ts';\n",
  'pipeline/catalogue/index.ts': "import { groups } from '../review/look-alike.ts';\nexport const build = 1;\n",
  'pipeline/catalogue/pages.ts': 'export const page = 1;\n',
  'pipeline/review/look-alike.ts': "import { words } from '../words.ts';\nexport const groups = 1;\n",
  'pipeline/words.ts': 'export const words = 1;\n',
  'pipeline/train/fit.ts': 'export const fit = 1;\n',
  'site/astro.config.mjs': 'export default {};\n',
  'site/src/pages/objects/[slug].astro':
    "---\nimport { rightsWords } from '../../../../pipeline/rights-words.ts';\nimport '../../styles/site.css';\n---\n",
  'site/src/styles/site.css': 'body { color: black; }\n',
  'pipeline/rights-words.ts': "import { plain } from './plain.ts';\nexport const rightsWords = 1;\n",
  'pipeline/plain.ts': 'export const plain = 1;\n',
  'node_modules/astro/package.json': JSON.stringify({ version: '6.0.0' }),
};

describe('the hash of Vitrine’s catalogue code', () => {
  it('changes with the catalogue’s code, the site and every file of Vitrine’s they import, not with others', async () => {
    const root = await tmp('vitrine-code-hash-');
    await writeFiles(root, VITRINE);
    const before = await catalogueCodeHash({ root });
    expect(await catalogueCodeHash({ root })).toBe(before);
    // Not read by the catalogue: training code.
    await writeFile(path.join(root, 'pipeline/train/fit.ts'), 'export const fit = 2;\n');
    expect(await catalogueCodeHash({ root })).toBe(before);
    let last = before;
    for (const f of [
      'pipeline/catalogue/pages.ts',
      'pipeline/words.ts',
      'pipeline/stages/catalogue.ts',
      'site/src/styles/site.css',
      'site/astro.config.mjs',
      'pipeline/plain.ts',
    ]) {
      await writeFile(path.join(root, f), `${await readFile(path.join(root, f), 'utf8')}// fixed\n`);
      const now = await catalogueCodeHash({ root });
      expect(now, f).not.toBe(last);
      last = now;
    }
    await writeFile(path.join(root, 'node_modules/astro/package.json'), JSON.stringify({ version: '6.0.1' }));
    expect(await catalogueCodeHash({ root })).not.toBe(last);
  });
});

describe('the site fingerprint that keys kept object pages', () => {
  it('changes when a file of Vitrine’s the site imports, directly or not, changes, so no stale page is kept', async () => {
    const root = await tmp('vitrine-site-fingerprint-');
    await writeFiles(root, VITRINE);
    const siteDir = path.join(root, 'site');
    const fingerprint = () => siteFingerprint({ siteDir, base: '/', site: '', root });
    const before = await fingerprint();
    expect(await fingerprint()).toBe(before);
    await writeFile(path.join(root, 'pipeline/plain.ts'), 'export const plain = 2;\n');
    const changed = await fingerprint();
    expect(changed).not.toBe(before);
    // Code the site does not import leaves the pages as they are.
    await writeFile(path.join(root, 'pipeline/catalogue/pages.ts'), 'export const page = 2;\n');
    expect(await fingerprint()).toBe(changed);
  });
});
