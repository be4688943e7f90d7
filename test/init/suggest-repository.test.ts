import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseParams } from '../../pipeline/params.ts';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { gitIn } from '../fixtures/git.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Outside tester D (a gallery's new digital-collections officer): init wrote `repository: ""` in params.yaml, with no
 * comment, even in a repository whose origin is on GitHub, so the catalogue had no "Suggest a correction" link, which
 * README and the museum's own README promise. init now fills it from a github.com origin, says so, and otherwise
 * names the key under "Next:"; the key says what it is for.
 */

let theExport: { csv: string; images: string };
let root: string;
beforeAll(async () => {
  root = await tempDir('vitrine-init-suggest-');
  const rows = [
    ['A1', 'o1.jpg', 'coin'],
    ['A2', 'o2.jpg', 'vase'],
  ];
  theExport = await smallExport({ dir: path.join(root, 'export'), rows });
});

async function init(name: string, origin?: string) {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  if (origin) {
    const git = gitIn({ root: dir });
    git('init', '-q', '-b', 'main');
    git('remote', 'add', 'origin', origin);
  }
  const { csv, images } = theExport;
  const args = ['init', '--from', csv, '--images', images, '--vocabulary', 'coin,vase', '--yes'];
  const { code, said } = await vitrineIn({ args, cwd: dir });
  expect(code, said).toBe(0);
  const text = await readFile(path.join(dir, 'params.yaml'), 'utf8');
  const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
  return { said, text, readme, params: parseParams({ text, name: 'params.yaml' }) };
}

describe('init and the catalogue’s "Suggest a correction" links', () => {
  it('fills collection.repository from a GitHub origin, and says so', async () => {
    const { said, text, readme, params } = await init('https', 'https://github.com/smith-gallery/collection.git');
    expect(params.collection.repository).toBe('smith-gallery/collection');
    expect(text).toMatch(/#.*"Suggest a correction"[^\n]*\n(#[^\n]*\n)*\s*repository: "?smith-gallery\/collection"?\n/);
    expect(said).toMatch(/"Suggest a correction".*smith-gallery\/collection.*collection\.repository in params\.yaml/);
    expect(said.slice(said.lastIndexOf('\nNext:'))).not.toContain('collection.repository');
    expect(readme).toMatch(/each object's page in the catalogue has a "Suggest a correction"\s+link/);
  });

  it('reads an ssh origin too', async () => {
    const { params } = await init('ssh', 'git@github.com:smith-gallery/collection.git');
    expect(params.collection.repository).toBe('smith-gallery/collection');
  });

  it('leaves it empty without a GitHub origin, and names it under "Next:"', async () => {
    const { said, readme, params } = await init('no-origin');
    expect(params.collection.repository).toBe('');
    const next = said.slice(said.lastIndexOf('\nNext:'));
    expect(next).toMatch(/collection\.repository in params\.yaml.*owner\/name.*"Suggest a correction"/);
    // The README init writes promised the link all the same (outside tester T6 F9): it says how to get one.
    expect(readme).not.toMatch(/page in the catalogue has a "Suggest a correction"/);
    expect(readme.replace(/\s+/g, ' ')).toMatch(
      /no "Suggest a correction" link until `collection\.repository` in `params\.yaml` names this repository on GitHub/,
    );
  });

  it('does not take another server’s origin for a GitHub repository', async () => {
    const { params } = await init('gitlab', 'https://gitlab.example.org/smith-gallery/collection.git');
    expect(params.collection.repository).toBe('');
  });
});
