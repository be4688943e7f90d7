import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { gitIn } from '../fixtures/git.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Outside tester T6 (F11): README’s own example puts the export inside the repository (--from export/objects.csv
 * --images export/images), and init left export/ untracked and not ignored, so the first "git add ." (or a desktop
 * git client’s "commit all") put the museum’s raw export and every master photograph into git’s history. Init now adds
 * the export’s folder to .gitignore when it is inside the repository, and says so. Failed before the fix.
 */

const rows = Array.from({ length: 6 }, (_, i) => [`A${i + 1}`, `o${i + 1}.jpg`, i % 2 ? 'coin' : 'vase']);

async function museumWith(folder: string, gitignore?: string) {
  const museum = path.join(await tempDir('vitrine-init-export-ignored-'), 'museum');
  await mkdir(museum);
  if (gitignore !== undefined) await writeFile(path.join(museum, '.gitignore'), gitignore);
  const made = await smallExport({ dir: path.join(museum, folder), rows });
  return { museum, ...made };
}

describe('an export inside the new repository', () => {
  it('is added to .gitignore, said, and left out of "git add -A"', async () => {
    const { museum } = await museumWith('export');
    const args = ['init', '--from', 'export/objects.csv', '--images', 'export/images', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code, said).toBe(0);
    expect((await readFile(path.join(museum, '.gitignore'), 'utf8')).split('\n')).toContain('/export/');
    expect(said).toMatch(/export\/ is inside the repository: .*\.gitignore/);
    const git = gitIn({ root: museum });
    git('add', '-A');
    const staged = git('diff', '--cached', '--name-only').split('\n');
    expect(staged).toContain('params.yaml');
    expect(staged.filter((f) => f.startsWith('export/'))).toEqual([]);
  });

  it('keeps a .gitignore of the museum’s own, adding the export’s folder, its name written as git reads it', async () => {
    const { museum } = await museumWith('Export [2026]', '*.tmp\n');
    const args = ['init', '--from', 'Export [2026]/objects.csv', '--images', 'Export [2026]/images', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code, said).toBe(0);
    const text = await readFile(path.join(museum, '.gitignore'), 'utf8');
    expect(text.startsWith('*.tmp\n')).toBe(true);
    const git = gitIn({ root: museum });
    expect(git('check-ignore', 'Export [2026]/objects.csv').trim()).toBe('Export [2026]/objects.csv');
    expect(git('check-ignore', '-v', 'Export [2026]/images/o1.jpg')).toContain('/Export \\[2026]/');
  });

  it('is not named in .gitignore when it is outside the repository', async () => {
    const root = await tempDir('vitrine-init-export-outside-');
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: museum });
    expect(code, said).toBe(0);
    expect(await readFile(path.join(museum, '.gitignore'), 'utf8')).not.toMatch(/export/i);
    expect(said).not.toMatch(/inside the repository: /);
  });
});

// Reviewer V10: with the photographs in the repository's own folder (--images .) only /objects.csv was ignored, every
// photograph went into git with "git add -A", and init said the master photographs were kept out.
describe('an export whose photographs are in the repository’s own folder', () => {
  it('is warned of, with what to do, and not said to be kept out of git', async () => {
    const museum = path.join(await tempDir('vitrine-init-export-root-'), 'museum');
    await mkdir(museum);
    await smallExport({ dir: museum, rows });
    for (const r of rows) await rename(path.join(museum, 'images', r[1]!), path.join(museum, r[1]!));
    const args = ['init', '--from', 'objects.csv', '--images', '.', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code, said).toBe(0);
    expect(said).toContain('The export’s photographs are in the repository’s own folder'.replace(/’/g, "'"));
    expect(said).toContain('Move them into a folder of their own');
    expect(said).not.toContain('its master photographs into git');
    expect(await readFile(path.join(museum, '.gitignore'), 'utf8')).toMatch(/^\/objects\.csv$/m);
  });
});
