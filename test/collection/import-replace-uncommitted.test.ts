import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { formatObjects, readObjects } from '../../pipeline/collection/index.ts';
import { addData } from '../../pipeline/data/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { gitIn } from '../fixtures/git.ts';

/*
 * Outside tester, 2026-12-03: staff edited labels.csv and did not commit it, then someone ran
 * `npx vitrine import --labels replace`. The edits were gone, and the warning's advice ("git checkout labels.csv
 * undoes it") brought back the last commit, without them. Now a replace that changes labels.csv which git's last
 * commit does not hold (changed since, never committed, no repository) first keeps a copy of it in
 * `.vitrine/import-recovered/<date>/before-replace/labels.csv`, and the warning names that path and says how to get
 * the changes back. labels.csv as committed needs no copy: "git checkout labels.csv" is still the right advice.
 * Real files and a real git repository in temp folders.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const COMMITTED = 'object_id,label\nA1,coin\nA2,mask\n';
const EDITED = 'object_id,label\nA1,bowl\nA2,mask\nA3,vase\n';
/** The export's labels: A1 changes, A3 goes. */
const EXPORTED = 'object_id,label\nA1,coin\nA2,mask\n';

/** A repository whose labels.csv is `labels`, committed to git as `committed` (no commit: null; no git: undefined). */
async function repository({ labels, committed }: { labels: string; committed?: string | null }) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-replace-'));
  dirs.push(root);
  if (committed !== undefined) {
    const git = gitIn({ root });
    git('init', '-q', '-b', 'main');
    if (committed !== null) {
      await writeFile(path.join(root, 'labels.csv'), committed);
      git('add', 'labels.csv');
      git('commit', '-q', '-m', 'labels');
    }
  }
  await writeFile(path.join(root, 'labels.csv'), labels);
  await mkdir(path.join(root, 'export'), { recursive: true });
  await writeFile(path.join(root, 'export', 'objects.csv'), 'id,image,label\nA1,a1.jpg,coin\nA2,a2.jpg,mask\n');
  await writeFile(path.join(root, 'export', 'a1.jpg'), JPEG);
  await writeFile(path.join(root, 'export', 'a2.jpg'), Buffer.concat([JPEG, Buffer.from([9])]));
  return root;
}

async function replaceImport(root: string, log = memoryLogger()): Promise<string> {
  await importCollection({
    ws: workspace(root),
    params: defaultParams(),
    metadata: path.join(root, 'export', 'objects.csv'),
    labels: 'replace',
    announceReplace: true,
    log,
  });
  return log.lines.find((l) => l.message.startsWith('--labels replace'))?.message ?? '';
}

async function kept(root: string): Promise<string[]> {
  const base = path.join(root, '.vitrine', 'import-recovered');
  return (await readdir(base, { recursive: true }).catch(() => [] as string[]))
    .map((p) => String(p).split(path.sep).join('/'))
    .sort();
}

describe('--labels replace over a labels.csv git does not hold as it is', () => {
  it('edited since the last commit: a copy as it was is kept, and the warning names it instead of git checkout', async () => {
    const root = await repository({ labels: EDITED, committed: COMMITTED });
    const said = await replaceImport(root);
    expect(await readFile(path.join(root, 'labels.csv'), 'utf8')).toBe(EXPORTED);
    const files = await kept(root);
    const copy = files.find((p) => p.endsWith('/before-replace/labels.csv'));
    expect(copy, files.join(', ')).toBeDefined();
    expect(await readFile(path.join(root, '.vitrine', 'import-recovered', copy!), 'utf8')).toBe(EDITED);
    expect(files.filter((p) => p.endsWith('.tmp'))).toEqual([]);
    expect(said).toContain(`.vitrine/import-recovered/${copy}`);
    expect(said).not.toContain('git checkout labels.csv undoes it');
    expect(said).toContain('not committed');
    expect(said).toMatch(/copy .* back over labels\.csv/);
  });

  it('never committed (a repository without commits, or no git at all): a copy is kept and named', async () => {
    for (const committed of [null, undefined]) {
      const root = await repository({ labels: EDITED, committed });
      const said = await replaceImport(root);
      const copy = (await kept(root)).find((p) => p.endsWith('/before-replace/labels.csv'));
      expect(copy).toBeDefined();
      expect(await readFile(path.join(root, '.vitrine', 'import-recovered', copy!), 'utf8')).toBe(EDITED);
      expect(said).toContain(`.vitrine/import-recovered/${copy}`);
      expect(said).not.toContain('git checkout labels.csv undoes it');
    }
  });

  it('as committed: no copy, and "git checkout labels.csv" stays the advice', async () => {
    const labels = 'object_id,label\nA1,bowl\nA2,mask\nA3,vase\n';
    const root = await repository({ labels, committed: labels });
    const said = await replaceImport(root);
    expect(await readFile(path.join(root, 'labels.csv'), 'utf8')).toBe(EXPORTED);
    expect(said).toContain('git checkout labels.csv undoes it');
    expect(existsSync(path.join(root, '.vitrine', 'import-recovered'))).toBe(false);
  });

  it('a replace that changes no label: no copy', async () => {
    const root = await repository({ labels: EXPORTED, committed: COMMITTED.replace('mask', 'coin') });
    expect(await replaceImport(root)).toBe('');
    expect(existsSync(path.join(root, '.vitrine', 'import-recovered'))).toBe(false);
  });
});

/*
 * data/objects.csv is rebuilt from the export by every import, and data.dvc (in git) records it: a replace over one
 * changed by hand since the last commit keeps a copy of it too, in before-replace/data/objects.csv, named.
 */
describe('--labels replace over a data/objects.csv that data.dvc in the last commit does not record', () => {
  /** A repository imported once, data.dvc and labels.csv committed; data/objects.csv then `edited` by hand or not. */
  async function committedImport({ edited }: { edited: boolean }) {
    const root = await repository({ labels: COMMITTED, committed: COMMITTED });
    const ws = workspace(root);
    await importCollection({
      ws,
      params: defaultParams(),
      metadata: path.join(root, 'export', 'objects.csv'),
      log: memoryLogger(),
    });
    await addData({ root, target: 'data', log: memoryLogger() });
    const git = gitIn({ root });
    git('add', 'data.dvc', 'labels.csv');
    git('commit', '-q', '-m', 'import');
    if (edited) {
      // The registrar's title for A2, typed into data/objects.csv and not committed.
      const { objects } = await readObjects({ file: ws.objects });
      for (const o of objects) if (o.id === 'A2') o.title = 'Mask, checked by the registrar';
      await writeFile(ws.objects, formatObjects({ objects }));
    }
    // The next export: A1's label changes (the replace warns), and data/objects.csv is rebuilt from it.
    await writeFile(path.join(root, 'export', 'objects.csv'), 'id,image,label\nA1,a1.jpg,bowl\nA2,a2.jpg,mask\n');
    return root;
  }

  it('edited since: a copy as it was is kept in before-replace/data/objects.csv, and a warning names it', async () => {
    const root = await committedImport({ edited: true });
    const before = await readFile(path.join(root, 'data', 'objects.csv'), 'utf8');
    expect(before).toContain('checked by the registrar');
    const log = memoryLogger();
    await replaceImport(root, log);
    expect(await readFile(path.join(root, 'data', 'objects.csv'), 'utf8')).not.toContain('registrar');
    const files = await kept(root);
    const copy = files.find((p) => p.endsWith('/before-replace/data/objects.csv'));
    expect(copy, files.join(', ')).toBeDefined();
    expect(await readFile(path.join(root, '.vitrine', 'import-recovered', copy!), 'utf8')).toBe(before);
    const said = log.lines.map((l) => l.message).find((m) => m.includes(`.vitrine/import-recovered/${copy}`));
    expect(said, log.lines.map((l) => l.message).join('\n')).toMatch(/^data\/objects\.csv held changes/);
    // labels.csv is as committed: no copy of it, and the git advice for it stays.
    expect(files.filter((p) => p.endsWith('labels.csv'))).toEqual([]);
  });

  it('labels.csv edited too: both copies in one folder, each under its own path', async () => {
    const root = await committedImport({ edited: true });
    await writeFile(path.join(root, 'labels.csv'), EDITED);
    await replaceImport(root);
    const copies = (await kept(root)).filter((p) => p.endsWith('.csv'));
    expect(copies.map((p) => p.split('/').slice(1).join('/'))).toEqual([
      'before-replace/data/objects.csv',
      'before-replace/labels.csv',
    ]);
    expect(new Set(copies.map((p) => p.split('/')[0])).size).toBe(1);
  });

  it('as the last commit records it: no copy of it', async () => {
    const root = await committedImport({ edited: false });
    await replaceImport(root);
    expect((await kept(root)).filter((p) => p.includes('objects.csv'))).toEqual([]);
  });
});
