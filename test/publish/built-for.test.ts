import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger, silentLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { catalogueStage } from '../../pipeline/stages/catalogue.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { writeTree } from '../data/helpers.ts';
import { upstreamNotRun } from '../stages/upstream.ts';
import { bucket, keys, sampleSite, useBucket } from './fixture.ts';

/*
 * `vitrine publish` checks the built site against params.yaml as it is now (a tester: after catalogue.base and
 * the prefix moved to /museum/, a dry run offered 702 pages that all linked to the old /collection/). The site is
 * built by the catalogue stage, whose lock.json entry records the base and address it was built for; here that
 * stage writes a small site in place of the Astro build, through the same `runStages` that `vitrine run` uses.
 */

useBucket();

const keysEnv = { VITRINE_PUBLISH_ACCESS_KEY_ID: 'S3RVER', VITRINE_PUBLISH_SECRET_ACCESS_KEY: 'S3RVER' };

function paramsYaml({ base, site = '', prefix, images = '' }: Built): string {
  return (
    `catalogue:\n  base: ${base}\n  site: "${site}"\n  publish: s3\n${images}` +
    `  s3:\n    endpoint: ${bucket.endpoint}\n    bucket: www\n    prefix: ${prefix}\n`
  );
}

interface Built {
  base: string;
  site?: string;
  prefix: string;
  /** catalogue.images, as lines of params.yaml. */
  images?: string;
}

/** A repository whose catalogue stage ran (recorded in .vitrine/lock.json) with these params. */
async function built(name: string, params: Built): Promise<string> {
  const root = path.join(bucket.base, name);
  await writeTree(root, { 'params.yaml': paramsYaml(params), 'labels.csv': 'object_id,label\nA1,Vase\n' });
  await runCatalogue(root);
  return root;
}

/** Runs the catalogue stage (a small site in place of the Astro build) as `vitrine run` would: whether it ran. */
async function runCatalogue(root: string): Promise<boolean> {
  const ws = workspace(root);
  let ran = false;
  const stage = {
    ...catalogueStage,
    run: async () => {
      ran = true;
      await writeTree(ws.site, sampleSite());
      return { summary: 'a small site' };
    },
  };
  const upstream = upstreamNotRun();
  const ctx = { ws, params: await loadParams({ file: ws.params }), log: silentLogger, clock: systemClock, env: {} };
  await runStages({ ctx, stages: [...upstream, stage], targets: ['catalogue'], single: true });
  return ran;
}

async function vitrine(root: string, args: string[], env: Record<string, string> = {}) {
  const { main } = await import('../../pipeline/cli.ts');
  const log = memoryLogger();
  const code = await main(args, { cwd: root, env: { ...keysEnv, ...env }, stdout: () => {}, log, interactive: false });
  return {
    code,
    errors: log.lines.filter((l) => l.level === 'error').map((l) => l.message),
    warnings: log.lines.filter((l) => l.level === 'warn').map((l) => l.message),
    messages: log.lines.map((l) => l.message).join('\n'),
  };
}

async function edit(file: string, from: string, to: string): Promise<void> {
  await writeFile(file, (await readFile(file, 'utf8')).replace(from, to));
}

describe('publish checks what the built site was built for', () => {
  it('publishes a site built for the params as they are, with no warning', async () => {
    const root = await built('same', { base: '/collection/', prefix: 'same' });
    const dry = await vitrine(root, ['publish', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.warnings).toEqual([]);
    expect(dry.messages).toContain('Would upload 27 files to s3://www/same/');
  });

  it('refuses a site built for another catalogue.base, saying which and what to run', async () => {
    const root = await built('moved', { base: '/collection/', prefix: 'collection' });
    await writeFile(path.join(root, 'params.yaml'), paramsYaml({ base: '/museum/', prefix: 'museum' }));
    const dry = await vitrine(root, ['publish', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.errors.join('\n')).toMatch(
      /The built site \(\.vitrine\/site\) is for \/collection\/, but catalogue\.base in params\.yaml is now \/museum\//,
    );
    expect(dry.errors.join('\n')).toContain('"npx vitrine run catalogue"');
    expect(dry.messages).not.toContain('Would upload');
    const real = await vitrine(root, ['publish']);
    expect(real.code).toBe(1);
    expect(await keys('museum')).toEqual([]);
    // -C is carried into the command to run, as in every other message.
    const elsewhere = await vitrine(bucket.base, ['-C', 'moved', 'publish', '--dry-run']);
    expect(elsewhere.errors.join('\n')).toContain('"npx vitrine -C moved run catalogue"');
  });

  it('refuses a site built for another catalogue.site address, and names VITRINE_CATALOGUE_BASE when it is set', async () => {
    const root = await built('address', { base: '/', site: 'https://old.example.org', prefix: 'address' });
    await edit(path.join(root, 'params.yaml'), 'https://old.example.org', 'https://new.example.org');
    const site = await vitrine(root, ['publish', '--dry-run']);
    expect(site.code).toBe(1);
    expect(site.errors.join('\n')).toContain(
      'is for the address https://old.example.org, but catalogue.site in params.yaml is now https://new.example.org',
    );
    await edit(path.join(root, 'params.yaml'), 'https://new.example.org', 'https://old.example.org');
    const env = await vitrine(root, ['publish', '--dry-run'], { VITRINE_CATALOGUE_BASE: '/other/' });
    expect(env.code).toBe(1);
    expect(env.errors.join('\n')).toContain('is for /, but VITRINE_CATALOGUE_BASE is /other/');
  });

  it('a new bucket folder alone needs no new build', async () => {
    const root = await built('prefix', { base: '/', prefix: 'prefix-a' });
    await edit(path.join(root, 'params.yaml'), 'prefix: prefix-a', 'prefix: prefix-b');
    const dry = await vitrine(root, ['publish', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.warnings).toEqual([]);
  });

  it('warns, without refusing, when labels.csv changed since the site was built', async () => {
    const root = await built('labels', { base: '/', prefix: 'labels' });
    await writeFile(path.join(root, 'labels.csv'), 'object_id,label\nA1,Coin\n');
    const real = await vitrine(root, ['publish']);
    expect(real.code).toBe(0);
    expect(real.warnings.join('\n')).toMatch(/The built site \(\.vitrine\/site\) is older than labels\.csv/);
    expect(real.warnings.join('\n')).toContain('"npx vitrine run catalogue"');
    expect(await keys('labels')).toContain('index.html');
  });

  // Helper P2: after an upgrade of Vitrine that changed how the catalogue is made, publish sent the old build
  // without a word; the catalogue stage now rebuilds on such a change, and publish says the built site is older.
  it('warns, without refusing, when Vitrine’s catalogue code changed since the site was built', async () => {
    const root = await built('code', { base: '/', prefix: 'code' });
    const lockFile = path.join(root, '.vitrine', 'lock.json');
    const lock = JSON.parse(await readFile(lockFile, 'utf8'));
    lock.stages.catalogue.deps.extra['Vitrine’s catalogue code'] = { sha256: '0'.repeat(64) };
    await writeFile(lockFile, JSON.stringify(lock));
    const dry = await vitrine(root, ['publish', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.warnings.join('\n')).toContain(
      'is older than Vitrine’s catalogue code (an upgrade of Vitrine changed how pages are made)',
    );
  });

  it('refuses a site built while catalogue.images showed more than it does now, naming the setting (reviewer V13)', async () => {
    const full = '  images:\n    in_copyright: full\n';
    const root = await built('images', { base: '/', prefix: 'images', images: full });
    await edit(path.join(root, 'params.yaml'), 'in_copyright: full', 'in_copyright: none');
    const dry = await vitrine(root, ['publish', '--dry-run']);
    expect(dry.code).toBe(1);
    const said = dry.errors.join('\n');
    expect(said).toContain('catalogue.images.in_copyright');
    expect(said).toContain('"npx vitrine run catalogue"');
    expect(dry.messages).not.toContain('Would upload');
    const real = await vitrine(root, ['publish']);
    expect(real.code).toBe(1);
    expect(await keys('images')).toEqual([]);
  });

  it('refuses a site built before catalogue.images existed, when works in copyright are now shown small', async () => {
    const root = await built('older', { base: '/', prefix: 'older' });
    // The lock.json of an older Vitrine: its catalogue settings had no images.
    const lockFile = path.join(root, '.vitrine', 'lock.json');
    const lock = JSON.parse(await readFile(lockFile, 'utf8'));
    delete lock.stages.catalogue.deps.params.catalogue.images;
    await writeFile(lockFile, JSON.stringify(lock));
    const dry = await vitrine(root, ['publish', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.errors.join('\n')).toContain('catalogue.images.in_copyright');
  });

  it('only warns when catalogue.images now shows more than the built site does', async () => {
    const root = await built('looser', { base: '/', prefix: 'looser', images: '  images:\n    unknown: none\n' });
    await edit(path.join(root, 'params.yaml'), 'unknown: none', 'unknown: full');
    const dry = await vitrine(root, ['publish', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.warnings.join('\n')).toContain('is older than the catalogue settings in params.yaml');
  });

  it('refuses a site built under another reading of the rights, and rebuilds it on the next run', async () => {
    // Found by an outside tester: a site built by an older Vitrine, which read "© Jane Doe" or "Not in copyright"
    // otherwise, was published as it was and not rebuilt, though its photographs were shown by the old reading.
    const root = await built('reading', { base: '/', prefix: 'reading' });
    expect(await runCatalogue(root)).toBe(false);
    const lockFile = path.join(root, '.vitrine', 'lock.json');
    const lock = JSON.parse(await readFile(lockFile, 'utf8'));
    for (const older of [undefined, 0]) {
      const extra = { ...lock.stages.catalogue.deps.extra };
      if (older === undefined) delete extra['rights reading'];
      else extra['rights reading'] = older;
      await writeFile(
        lockFile,
        JSON.stringify({
          ...lock,
          stages: {
            ...lock.stages,
            catalogue: {
              ...lock.stages.catalogue,
              deps: { ...lock.stages.catalogue.deps, extra },
            },
          },
        }),
      );
      const dry = await vitrine(root, ['publish', '--dry-run']);
      expect(dry.code, String(older)).toBe(1);
      const said = dry.errors.join('\n');
      expect(said).toContain('read the objects’ rights');
      expect(said).toContain('"npx vitrine run catalogue"');
      expect(dry.messages).not.toContain('Would upload');
    }
    expect(await runCatalogue(root)).toBe(true);
    const again = await vitrine(root, ['publish', '--dry-run']);
    expect(again.code).toBe(0);
    expect(again.warnings).toEqual([]);
  });
});
