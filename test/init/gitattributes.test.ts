import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Outside tester (T3 F7): a labels.csv saved by Excel (“CSV UTF-8”: a byte-order mark and Windows line ends) made the
 * pull request’s diff show every line as changed. init now writes a .gitattributes line that has git (and GitHub
 * Desktop, which runs git) store labels.csv with Unix line ends, whatever the spreadsheet saved: tried here with the
 * repository init stages with isomorphic-git, then committed and edited with git itself, as staff would.
 */

const rows = Array.from({ length: 12 }, (_, i) => [`P${i + 1}`, `p${i + 1}.jpg`, i % 2 ? 'Painting' : 'Sculpture']);

async function initMuseum(before?: (museum: string) => Promise<void>) {
  const root = await tempDir('vitrine-init-gitattributes-');
  const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
  const museum = path.join(root, 'museum');
  await mkdir(museum);
  await before?.(museum);
  const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: museum });
  expect(code, said).toBe(0);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: museum, encoding: 'utf8' });
  return { museum, git, said };
}

describe('vitrine init and labels.csv’s line ends', () => {
  it('writes .gitattributes so that git stores an Excel save of labels.csv with Unix line ends', async () => {
    const { museum, git, said } = await initMuseum();
    expect(await readFile(path.join(museum, '.gitattributes'), 'utf8')).toMatch(/^labels\.csv text eol=lf$/m);
    expect(said).toContain('.gitattributes');
    // Staged by init (isomorphic-git) as git itself sees it: added, and labels.csv not changed by the attribute.
    const status = git('status', '--porcelain');
    expect(status).toMatch(/^A {2}\.gitattributes$/m);
    expect(status).toMatch(/^A {2}labels\.csv$/m);
    git('commit', '-q', '-m', 'Start Vitrine');
    // A member of staff opens labels.csv in Excel, changes one label and saves it as “CSV UTF-8”.
    const text = await readFile(path.join(museum, 'labels.csv'), 'utf8');
    const edited = text.replace('P1,Sculpture', 'P1,Painting');
    expect(edited).not.toBe(text);
    await writeFile(path.join(museum, 'labels.csv'), `\uFEFF${edited.replace(/\n/g, '\r\n')}`);
    git('add', 'labels.csv');
    git('commit', '-q', '-m', 'Correct a label');
    expect(git('show', 'HEAD:labels.csv')).not.toContain('\r');
    // The diff: the label changed, and the first line for the byte-order mark, not every line.
    expect(git('diff', '--numstat', 'HEAD~1', 'HEAD', '--', 'labels.csv').trim()).toBe('2\t2\tlabels.csv');
  });

  it('adds the line to a .gitattributes the folder has, and keeps a rule of its own for labels.csv', async () => {
    const { museum } = await initMuseum((dir) => writeFile(path.join(dir, '.gitattributes'), '*.tif binary'));
    expect(await readFile(path.join(museum, '.gitattributes'), 'utf8')).toMatch(/^\*\.tif binary\n#[^\n]*\n#[^\n]*\n/);
    expect(await readFile(path.join(museum, '.gitattributes'), 'utf8')).toMatch(/^labels\.csv text eol=lf\n$/m);
    const own = await initMuseum((dir) => writeFile(path.join(dir, '.gitattributes'), 'labels.csv -text\n'));
    expect(await readFile(path.join(own.museum, '.gitattributes'), 'utf8')).toBe('labels.csv -text\n');
  });

  it('keeps a rule of the museum’s own written from the top, for every CSV, or after a byte-order mark', async () => {
    // Reviewer V7: these were not seen as rules for labels.csv, and init’s line then overrode them.
    for (const own of ['/labels.csv -text\n', '*.csv -text\n', '\uFEFFlabels.csv -text\r\n']) {
      const { museum } = await initMuseum((dir) => writeFile(path.join(dir, '.gitattributes'), own));
      expect(await readFile(path.join(museum, '.gitattributes'), 'utf8')).toBe(own);
    }
    // A rule for CSV files about something else than line ends is no such rule (reviewer V8).
    const { museum } = await initMuseum((dir) => writeFile(path.join(dir, '.gitattributes'), '*.csv diff=csv\n'));
    expect(await readFile(path.join(museum, '.gitattributes'), 'utf8')).toMatch(/^labels\.csv text eol=lf$/m);
  });
});
