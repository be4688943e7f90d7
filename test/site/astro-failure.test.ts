import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { astroFailure, outputOf } from '../../pipeline/catalogue/site.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * Astro out of disk printed its own stack trace (Vite and rolldown frames, "Node.js v24…") after the
 * plain message, which also named .vitrine/site when .vitrine/catalogue/astro-out had filled. The plain
 * message comes alone, naming the folder that filled; Astro's output goes to the debug log (--verbose).
 * A real child process prints what Astro printed on a full disk (tmpfs of 3 MB) and exits with 1.
 */

const root = '/repo';
const catalogue = path.join(root, '.vitrine', 'catalogue');
const folders = [
  path.join(catalogue, 'astro-out'),
  path.join(catalogue, 'astro-public'),
  path.join(catalogue, 'render'),
];

const ASTRO_ON_A_FULL_DISK = [
  `node:internal/fs/cp/cp-sync:80`,
  `Error: ENOSPC: no space left on device, copyfile '${catalogue}/astro-public/model/backbone/weights.bin' -> ` +
    `'${catalogue}/astro-out/model/backbone/weights.bin'`,
  ...Array.from(
    { length: 19 },
    (_, i) => `    at copyDir (file:///repo/node_modules/vite/dist/node/chunks/dep.js:${i}:5)`,
  ),
  `  errors: [Getter/Setter],`,
  `  code: 'ENOSPC'`,
  ``,
  `Node.js v24.21.0`,
].join('\n');

async function failedChild(stderr: string): Promise<{ code: number | null; out: string; err: string }> {
  const script = `process.stderr.write(${JSON.stringify(stderr)}); process.exit(1);`;
  return outputOf(spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('an Astro child that fails', () => {
  it('on a full disk: the plain message alone, naming the folder that filled; its output in the debug log', async () => {
    const ran = await failedChild(ASTRO_ON_A_FULL_DISK);
    expect(ran.code).toBe(1);
    const log = memoryLogger();
    const error = astroFailure({ ...ran, root, folders, log });
    expect(error.code).toBe('DISK_FULL');
    expect(error.message).toBe(
      'The disk is full: the catalogue site could not be written (Astro ran out of space in ' +
        '.vitrine/catalogue/astro-out). Free some space and run again.',
    );
    expect(error.data).toMatchObject({ folder: '.vitrine/catalogue/astro-out' });
    const debug = log.lines.filter((l) => l.level === 'debug').map((l) => l.message);
    expect(debug).toContain('astro: Node.js v24.21.0');
    expect(debug.filter((l) => l.includes('at copyDir'))).toHaveLength(19);
  });

  it('on a full disk with no file named: the plain message, no folder guessed', async () => {
    const ran = await failedChild('[ERROR] ENOSPC: no space left on device, write\n    at async writeFile (x)\n');
    const error = astroFailure({ ...ran, root, folders, log: memoryLogger() });
    expect(error.code).toBe('DISK_FULL');
    expect(error.message).toBe(
      'The disk is full: the catalogue site could not be written (Astro ran out of space). Free some space and run again.',
    );
  });

  it('for any other reason: the end of its output, which says what broke', async () => {
    const ran = await failedChild('objects.2.title: Expected string, received number\n');
    const error = astroFailure({ ...ran, root, folders, log: memoryLogger() });
    expect(error.code).toBe('SITE_BUILD_FAILED');
    expect(error.message).toMatch(/^The catalogue site did not build \(Astro exited with 1\):\nobjects\.2\.title: /);
  });
});

describe('a repository folder whose path has a line break', () => {
  // Fault tester: `mkdir $'our\nmuseum'` and a run there ended in Astro's (Vite's) own stack trace.
  it('is refused before anything is built, in plain words naming the folder', async () => {
    const { mkdtemp, rm, readdir, mkdir } = await import('node:fs/promises');
    const os = await import('node:os');
    const { buildSite } = await import('../../pipeline/catalogue/site.ts');
    const { workspace } = await import('../../pipeline/paths.ts');
    const { defaultParams } = await import('../../pipeline/params.ts');
    const parent = await mkdtemp(path.join(os.tmpdir(), 'vitrine-line-break-'));
    try {
      const ws = workspace(path.join(parent, 'our\nmuseum'));
      await mkdir(ws.root);
      const error = await buildSite({ ws, params: defaultParams(), log: memoryLogger() }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CATALOGUE_PATH_LINE_BREAK' });
      expect((error as Error).message).toContain('our\\nmuseum');
      expect((error as Error).message).toMatch(/Rename the folder/);
      expect(await readdir(ws.root)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});

describe('a Vitrine folder whose path has a “#”', () => {
  // Outside tester: Vitrine cloned into "Collection #1/…": the catalogue ended in Astro's stack ("errors:
  // [Getter/Setter]"), the cause ("Cannot resolve entry module ../Collection ") only with --verbose. Vite cuts its
  // paths at "#". A repository there, with Vitrine elsewhere, builds: only Vitrine's own site folder is refused.
  it('is refused before anything is built, naming the folder and what to do', async () => {
    const { mkdtemp, rm, readdir, mkdir } = await import('node:fs/promises');
    const os = await import('node:os');
    const { buildSite } = await import('../../pipeline/catalogue/site.ts');
    const { workspace } = await import('../../pipeline/paths.ts');
    const { defaultParams } = await import('../../pipeline/params.ts');
    const parent = await mkdtemp(path.join(os.tmpdir(), 'vitrine-hash-'));
    try {
      const ws = workspace(path.join(parent, 'museum'));
      await mkdir(ws.root);
      const siteDir = path.join(parent, 'Collection #1', 'vitrine', 'site');
      const error = await buildSite({ ws, params: defaultParams(), log: memoryLogger(), siteDir }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'CATALOGUE_PATH_HASH' });
      expect((error as Error).message).toContain(path.join(parent, 'Collection #1', 'vitrine'));
      expect((error as Error).message).toMatch(/without a “#”/);
      expect(await readdir(ws.root)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
