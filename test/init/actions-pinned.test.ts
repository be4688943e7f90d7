import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * A tester: `init --actions museumorg/vitrine` wrote `@main` into all 7 workflows (promote's has write access) without
 * a word, and `--actions 'museumorg/vitrine@v1 ; x'` wrote `uses: …/data-cache@v1 ; x`. A name that can move is
 * said to move; what `uses:` cannot take is refused before anything is written.
 */

let theExport: { csv: string; images: string };
let root: string;
beforeAll(async () => {
  root = await tempDir('vitrine-init-actions-pinned-');
  const rows = [
    ['A1', 'o1.jpg', 'coin'],
    ['A2', 'o2.jpg', 'vase'],
  ];
  theExport = await smallExport({ dir: path.join(root, 'export'), rows });
});

async function init(museum: string, actions: string) {
  await mkdir(museum, { recursive: true });
  const { csv, images } = theExport;
  const args = ['init', '--from', csv, '--images', images, '--vocabulary', 'coin,vase', '--actions', actions, '--yes'];
  const { code, said } = await vitrineIn({ args, cwd: museum });
  return { code, messages: said };
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
