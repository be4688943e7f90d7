import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { copyEgyptExport } from './egypt-export.ts';

/*
 * `vitrine init` on exports whose images are mostly not where the export says, and in a folder an earlier init
 * left half made (killed after writing params.yaml and data/, before data.dvc and .git).
 */

const REPO = path.resolve(import.meta.dirname, '..', '..');
const NODE = path.join(REPO, 'node_modules', '.bin', 'node');

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-resume-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A copy of the Egyptian export: the first `perLabel` objects of each label, with the rows' image paths. */
async function egyptCopy(name: string, perLabel: number): Promise<{ dir: string; images: string[] }> {
  const { dir, rows } = await copyEgyptExport({ dir: path.join(root, name, 'export'), pick: perLabel });
  return { dir, images: rows.map((r) => r[1]!) };
}

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log, interactive: false });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('vitrine init with most images missing', () => {
  it('stops before writing anything, naming an example and the folder looked in', async () => {
    const { dir, images } = await egyptCopy('mostly-missing', 3);
    const gone = images.slice(0, Math.ceil(images.length * 0.6));
    for (const image of gone) await unlink(path.join(dir, image));
    const museum = path.join(root, 'mostly-missing', 'museum');
    await mkdir(museum, { recursive: true });
    const result = await vitrine(['init', '--from', path.join(dir, 'metadata.csv')], museum);
    expect(result.code, result.messages).not.toBe(0);
    expect(result.messages).toContain(
      `${gone.length} of the ${images.length} images named in ${path.join(dir, 'metadata.csv')}`,
    );
    expect(result.messages).toContain(`(e.g. "${gone[0]}")`);
    expect(result.messages).toContain(`are not in ${dir}`);
    expect(await readdir(museum)).toEqual([]);
  });
});

describe('vitrine init in a folder an earlier init left half made', () => {
  it('finishes a folder left without data.dvc and .git (as a killed init left it), saying so', async () => {
    const { dir } = await egyptCopy('half-made', 2);
    const museum = path.join(root, 'half-made', 'museum');
    await mkdir(museum, { recursive: true });
    const from = path.join(dir, 'metadata.csv');
    expect((await vitrine(['init', '--from', from], museum)).code).toBe(0);
    // What an init killed while storing the images in the cache leaves: no data.dvc, no .git.
    await rm(path.join(museum, '.git'), { recursive: true, force: true });
    await rm(path.join(museum, 'data.dvc'));
    const again = await vitrine(['init', '--from', from], museum);
    expect(again.code, again.messages).toBe(0);
    expect(again.messages).toContain('An earlier vitrine init in this folder did not finish');
    expect(await exists(path.join(museum, 'data.dvc'))).toBe(true);
    expect(await exists(path.join(museum, '.git'))).toBe(true);
    expect(await readdir(path.join(museum, '.vitrine')).catch(() => [])).not.toContain('init-unfinished');
  });

  it('finishes an init killed while storing the images (spawned and killed), and only then', async () => {
    const { dir } = await egyptCopy('killed', 6);
    const museum = path.join(root, 'killed', 'museum');
    await mkdir(museum, { recursive: true });
    const from = path.join(dir, 'metadata.csv');
    const child = spawn(NODE, [path.join(REPO, 'bin', 'vitrine.js'), 'init', '--from', from, '-C', museum], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const killed = new Promise<void>((resolve) => {
      const watch = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Storing new files in the cache/.test(output)) child.kill('SIGKILL');
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      child.on('exit', () => resolve());
    });
    await killed;
    expect(output).toContain('Storing new files in the cache');
    expect(await exists(path.join(museum, 'params.yaml'))).toBe(true);
    expect(await exists(path.join(museum, '.vitrine', 'init-unfinished'))).toBe(true);
    // An outside tester ran the pipeline there: it went through every stage on a collection nobody had recorded.
    const run = await vitrine(['run'], museum);
    expect(run.code, run.messages).not.toBe(0);
    expect(run.messages).toContain('vitrine init did not finish in this folder');
    expect(run.messages).toContain('Nothing was run. Run the same vitrine init command again');
    expect(await readdir(path.join(museum, '.vitrine'))).not.toContain('dataset');
    const again = await vitrine(['init', '--from', from], museum);
    expect(again.code, again.messages).toBe(0);
    expect(again.messages).toContain('An earlier vitrine init in this folder did not finish');
    expect(await exists(path.join(museum, 'data.dvc'))).toBe(true);
    expect(await exists(path.join(museum, '.git'))).toBe(true);
    expect(await exists(path.join(museum, '.vitrine', 'init-unfinished'))).toBe(false);
    // The killed init had written the workflows: they are this init's own, staged with the rest (an outside tester's
    // first commit went to GitHub without them, "already in .github/workflows (kept as they are)").
    expect(again.messages).not.toContain('already in .github/workflows');
    const staged = execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: museum, encoding: 'utf8' });
    expect(staged.split('\n').filter((f) => f.startsWith('.github/workflows/')).length, staged).toBeGreaterThan(3);
    // Finished: a third init refuses, as for any collection.
    const third = await vitrine(['init', '--from', from], museum);
    expect(third.code).toBe(1);
    expect(third.messages).toContain('params.yaml already exists');
  }, 120_000);
});
