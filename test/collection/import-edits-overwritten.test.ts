import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { solidImage } from '../dataset/fixtures.ts';
import { gitIn } from '../fixtures/git.ts';

/*
 * The museum’s maintainer corrected a title in data/objects.csv ("Stone Masons Sqaring" → "Squaring"), recorded it
 * with `vitrine data add` and merged it; the next routine import of the collection system’s export put "Sqaring"
 * back, saying only "1 with other details (MET_544653: title)". data/objects.csv still comes from the export, but
 * the import now says, object by object, which edit made in the repository since the last import it undoes.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function vitrine(root: string, args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: root, env: {}, stdout: () => {}, log, interactive: false });
  return { code, said: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

const TITLES = ['Seated Scribe', 'Stone Masons Sqaring', 'Head of a King', 'Offering Table'];

async function writeExport(dir: string, titles: string[]) {
  const rows = ['id,image,title,label'];
  for (const [i, title] of titles.entries()) rows.push(`O${i + 1},images/o${i + 1}.png,${title},coin`);
  await writeFile(path.join(dir, 'objects.csv'), `${rows.join('\n')}\n`);
}

/** data/objects.csv with `edit` applied to each line (the header included). */
async function editObjects(root: string, edit: (line: string) => string) {
  const file = path.join(root, 'data', 'objects.csv');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.split('\n').map(edit).join('\n'));
}

/** An export of TITLES with four photographs and a museum folder with its data remote, in `base`; import's flags. */
async function exportAndMuseum(): Promise<{ base: string; exported: string; root: string; metadata: string[] }> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-edits-'));
  dirs.push(base);
  const exported = path.join(base, 'export');
  await mkdir(path.join(exported, 'images'), { recursive: true });
  for (const [i, colour] of ['#ff0000', '#00ff00', '#0000ff', '#ffff00'].entries())
    await writeFile(path.join(exported, 'images', `o${i + 1}.png`), await solidImage({ colour }));
  await writeExport(exported, TITLES);
  const root = path.join(base, 'museum');
  await mkdir(root);
  await writeFile(
    path.join(root, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  expect((await vitrine(root, ['data', 'init', '../storage'])).code).toBe(0);
  return { base, exported, root, metadata: ['--metadata', path.join(exported, 'objects.csv'), '--images', exported] };
}

describe('an import over edits made to data/objects.csv since the last import', () => {
  it('names each value it puts back, after a merge and on a fresh clone, and says to correct it at the source', async () => {
    const { base, exported, root, metadata } = await exportAndMuseum();
    const first = await vitrine(root, ['import', ...metadata]);
    expect(first.code, first.said).toBe(0);
    const git = gitIn({ root });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'Collection');

    // On a branch: the title corrected in the repository (not in the collection system), and another title
    // corrected in both (the export has it too by the next import), recorded and merged.
    git('checkout', '-qb', 'fix-titles');
    await editObjects(root, (l) =>
      l.replace('Stone Masons Sqaring', 'Stone Masons Squaring').replace('Offering Table', 'Offering Table (Basalt)'),
    );
    expect((await vitrine(root, ['data', 'add'])).code).toBe(0);
    git('commit', '-qam', 'Correct two titles');
    git('checkout', '-q', 'main');
    git('merge', '-q', '--no-ff', '-m', 'Merge fix-titles', 'fix-titles');
    expect((await vitrine(root, ['data', 'push'])).code).toBe(0);

    // A fresh clone imports the next export, which still has the first misspelling.
    const clone = path.join(base, 'clone');
    gitIn({ root: base })('clone', '-q', root, clone);
    expect((await vitrine(clone, ['data', 'pull'])).code).toBe(0);
    await writeExport(
      exported,
      TITLES.map((t) => (t === 'Offering Table' ? 'Offering Table (Basalt)' : t)),
    );
    const again = await vitrine(clone, ['import', ...metadata]);
    expect(again.code, again.said).toBe(0);
    expect(again.said).toContain(
      'warn: object "O2": its title was changed in data/objects.csv since the last import, to "Stone Masons ' +
        'Squaring", but the export still says "Stone Masons Sqaring", and data/objects.csv takes the export’s ' +
        'values. Correct it in the collection system, then export and import again.',
    );
    expect(again.said).not.toContain('object "O4"');
    expect(await readFile(path.join(clone, 'data', 'objects.csv'), 'utf8')).toContain('Stone Masons Sqaring');

    // Said once: the next import of the same export finds nothing edited since this one.
    const third = await vitrine(clone, ['import', ...metadata]);
    expect(third.code, third.said).toBe(0);
    expect(third.said).not.toContain('since the last import, to');
  });

  it('does not say nothing changed beside the warning that it put an edit back (a reviewer)', async () => {
    const { root, metadata } = await exportAndMuseum();
    expect((await vitrine(root, ['import', ...metadata])).code).toBe(0);
    // Edited without `data add`, then the same export imported again.
    await editObjects(root, (line) => line.replace('Stone Masons Sqaring', 'Stone Masons Squaring'));
    const again = await vitrine(root, ['import', ...metadata]);
    expect(again.code).toBe(0);
    expect(again.said).toContain('its title was changed in data/objects.csv since the last import');
    expect(again.said).not.toContain('Nothing changed since the last import');
    expect(again.said).toContain('1 value edited in data/objects.csv since then was put back to the export’s');
  }, 120_000);
});
