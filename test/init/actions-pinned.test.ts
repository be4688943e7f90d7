import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * A tester: `init --actions museumorg/vitrine` wrote `@main` into all 7 workflows (promote's has write access) without
 * a word, and `--actions 'museumorg/vitrine@v1 ; x'` wrote `uses: …/data-cache@v1 ; x`. A name that can move is
 * said to move; what `uses:` cannot take is refused before anything is written.
 */

let root: string;
let csv: string;
let images: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-actions-pinned-'));
  images = path.join(root, 'export', 'images');
  await mkdir(images, { recursive: true });
  for (const [i, name] of ['o1', 'o2'].entries())
    await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 90 * i, g: 20, b: 90 } } })
      .jpeg()
      .toFile(path.join(images, `${name}.jpg`));
  csv = path.join(root, 'export', 'objects.csv');
  await writeFile(csv, 'id,image,type\nA1,o1.jpg,coin\nA2,o2.jpg,vase\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function init(museum: string, actions: string) {
  await mkdir(museum, { recursive: true });
  const log = memoryLogger();
  const args = ['init', '--from', csv, '--images', images, '--vocabulary', 'coin,vase', '--actions', actions, '--yes'];
  const code = await main(args, { cwd: museum, env: {}, stdout: () => {}, log, interactive: false });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('init --actions', () => {
  it('says that a branch or a tag can move, and points the workflows at it as given', async () => {
    const museum = path.join(root, 'moving');
    const { code, messages } = await init(museum, 'museumorg/vitrine');
    expect(code, messages).toBe(0);
    expect(messages).toMatch(/warn: The workflows use Vitrine's actions at "main", a branch that can move/);
    expect(messages).toContain('--actions museumorg/vitrine@<the 40-character commit>');
    const promote = await readFile(path.join(museum, '.github', 'workflows', 'main.yml'), 'utf8');
    expect(promote).toMatch(/uses: museumorg\/vitrine\/actions\/[\w-]+@main/);
  });

  it('says nothing of a full commit', async () => {
    const { code, messages } = await init(path.join(root, 'pinned'), `museumorg/vitrine@${'a1b2c3d4e5'.repeat(4)}`);
    expect(code, messages).toBe(0);
    expect(messages).not.toMatch(/can move/);
  });

  it('refuses what a uses: line cannot take, writing nothing', async () => {
    const museum = path.join(root, 'garbage');
    const { code, messages } = await init(museum, 'museumorg/vitrine@v1 ; x');
    expect(code).toBe(2);
    expect(messages).toContain("--actions is Vitrine's GitHub repository and the commit to use, as owner/repo@commit");
    await expect(readFile(path.join(museum, 'params.yaml'), 'utf8')).rejects.toThrow();
  });
});
