import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { gitIn } from '../fixtures/git.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Init adds an export folder inside the repository to .gitignore (export-ignored.test.ts). But a folder committed
 * before init stays tracked: .gitignore keeps out only what git does not track yet, so each new export copied there
 * would still be committed with "git commit -a". Init says so, with the command that stops tracking it (the files
 * stay on the computer); it does not run it for the museum.
 */

const rows = Array.from({ length: 6 }, (_, i) => [`A${i + 1}`, `o${i + 1}.jpg`, i % 2 ? 'coin' : 'vase']);

/** A museum's repository with `folder` (an export) committed in it before init. */
async function committedExport(folder: string) {
  const museum = path.join(await tempDir('vitrine-init-export-tracked-'), 'museum');
  await mkdir(museum);
  await smallExport({ dir: path.join(museum, folder), rows });
  const git = gitIn({ root: museum });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'The export');
  return { museum, git };
}

describe('an export folder inside the repository, committed before init', () => {
  it('is said to be still tracked, with the exact command that stops it, which init does not run', async () => {
    const { museum, git } = await committedExport('export');
    const args = ['init', '--from', 'export/objects.csv', '--images', 'export/images', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code, said).toBe(0);
    const warning = said.split('\n').find((l) => l.includes('git rm'));
    expect(warning, said).toBeDefined();
    expect(warning).toContain('7 files');
    expect(warning).toContain('run "git rm -r --cached export/", then commit');
    // Not run for the museum: git still tracks the export.
    expect(git('ls-files', 'export').split('\n').filter(Boolean)).toHaveLength(7);
    // The command, as said, leaves the export out of git from then on.
    git('rm', '-r', '-q', '--cached', 'export/');
    git('add', '-A');
    git('commit', '-q', '-m', 'Init');
    expect(git('ls-files', 'export')).toBe('');
  });

  it('names a folder with a space and brackets as the shell reads it', async () => {
    const { museum } = await committedExport('Export [2026]');
    const args = ['init', '--from', 'Export [2026]/objects.csv', '--images', 'Export [2026]/images', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code, said).toBe(0);
    expect(said).toContain(`run "git rm -r --cached 'Export [2026]/'", then commit`);
  });

  it('names the export file at the top and its images folder, each with its command', async () => {
    const { museum } = await committedExport('.');
    const args = ['init', '--from', 'objects.csv', '--images', 'images', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code, said).toBe(0);
    expect(said).toContain('run "git rm --cached objects.csv", then commit');
    expect(said).toContain('run "git rm -r --cached images/", then commit');
  });

  // Reviewer V11: an export only added (git add), never committed, was said to be "committed to git before init".
  it('says an export only added to git, never committed, is tracked, not committed, with the same command', async () => {
    const museum = path.join(await tempDir('vitrine-init-export-staged-'), 'museum');
    await mkdir(museum);
    await smallExport({ dir: path.join(museum, 'export'), rows });
    const git = gitIn({ root: museum });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    const args = ['init', '--from', 'export/objects.csv', '--images', 'export/images', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code, said).toBe(0);
    const warning = said.split('\n').find((l) => l.includes('git rm'));
    expect(warning, said).toBeDefined();
    expect(warning).not.toContain('committed to git');
    expect(warning).not.toContain('earlier commits');
    expect(warning).toContain('was added to git before init (7 files, not committed yet)');
    expect(warning).toContain('run "git rm -r --cached export/", then commit');
  });

  it('says it was committed when it was', async () => {
    const { museum } = await committedExport('export');
    const args = ['init', '--from', 'export/objects.csv', '--images', 'export/images', '--yes'];
    const { said } = await vitrineIn({ args, cwd: museum });
    const warning = said.split('\n').find((l) => l.includes('git rm'));
    expect(warning, said).toContain('was committed to git before init (7 files)');
    expect(warning).toContain('and in the earlier commits');
  });

  it('says nothing of it when the export folder was never committed', async () => {
    const museum = path.join(await tempDir('vitrine-init-export-untracked-'), 'museum');
    await mkdir(museum);
    await smallExport({ dir: path.join(museum, 'export'), rows });
    const args = ['init', '--from', 'export/objects.csv', '--images', 'export/images', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code, said).toBe(0);
    expect(said).not.toContain('git rm');
  });
});
