import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * An outside tester's monthly import failed on a full disk after it had written data/ and labels.csv, while it
 * recorded them in data.dvc (the data cache's disk). Run again once space was freed, it said "Nothing changed since
 * the last import" (data/ already held it) though it added 4 objects and changed a title. Here the data cache
 * cannot take the new photograph (a file stands where its folder goes), which fails the recording as the full disk
 * did. What an import changed is counted from what data.dvc records when data/objects.csv is not that.
 */

let root: string;
let museum: string;

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

async function vitrine(args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: museum, env: {}, stdout: () => {}, log, interactive: false });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

async function exportOf(name: string, rows: string[][], images: Record<string, Buffer>): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir);
  for (const [file, bytes] of Object.entries(images)) await writeFile(path.join(dir, file), bytes);
  await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'image', 'label', 'title'], ...rows]));
  return path.join(dir, 'objects.csv');
}

const photo = (id: string) => Buffer.concat([JPEG, Buffer.from(id)]);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-not-recorded-'));
  museum = path.join(root, 'museum');
  await mkdir(museum);
  const first = await exportOf(
    'export-1',
    [
      ['C1', 'C1.jpg', 'coin', 'Coin'],
      ['C2', 'C2.jpg', 'coin', 'Coin'],
      ['V1', 'V1.jpg', 'vessel', 'Jar'],
      ['V2', 'V2.jpg', 'vessel', 'Jar'],
    ],
    { 'C1.jpg': photo('C1'), 'C2.jpg': photo('C2'), 'V1.jpg': photo('V1'), 'V2.jpg': photo('V2') },
  );
  const init = await vitrine(['init', '--from', first, '--name', 'T Semi', '--yes']);
  expect(init.code, init.messages).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('an import whose recording in data.dvc failed, run again', () => {
  it('says what it changed since data.dvc’s record', async () => {
    const cache = path.join(museum, '.dvc', 'cache', 'files', 'md5');
    const taken = new Set(await readdir(cache));
    // A new photograph whose folder in the data cache does not exist yet.
    let n = 0;
    while (taken.has(md5(photo(`N${n}`)).slice(0, 2))) n++;
    const newPhoto = photo(`N${n}`);
    const second = await exportOf(
      'export-2',
      [
        ['C1', 'C1.jpg', 'coin', 'Gold coin'],
        ['C2', 'C2.jpg', 'coin', 'Coin'],
        ['N1', 'N1.jpg', 'coin', 'New coin'],
        ['V1', 'V1.jpg', 'vessel', 'Jar'],
        ['V2', 'V2.jpg', 'vessel', 'Jar'],
      ],
      {
        'C1.jpg': photo('C1'),
        'C2.jpg': photo('C2'),
        'N1.jpg': newPhoto,
        'V1.jpg': photo('V1'),
        'V2.jpg': photo('V2'),
      },
    );
    const dataDvc = await readFile(path.join(museum, 'data.dvc'), 'utf8');
    const blocker = path.join(cache, md5(newPhoto).slice(0, 2));
    await writeFile(blocker, 'not a folder');

    const failed = await vitrine(['import', '--metadata', second]);
    expect(failed.code, failed.messages).not.toBe(0);
    expect(await readFile(path.join(museum, 'data.dvc'), 'utf8')).toBe(dataDvc);
    expect((await stat(path.join(museum, 'data', 'images', 'N1.jpg'))).isFile()).toBe(true);
    // The tester's full disk: it said the disk was full and nothing else, and left no note, so "run" trained on
    // what data.dvc did not record. It now says what was done and what not, and the note stays.
    expect(failed.messages).toContain(
      'the new photographs and labels are in place (data/, data/objects.csv and labels.csv), but not yet recorded ' +
        'in data.dvc',
    );
    expect(failed.messages).toContain('.dvc/cache');
    expect(failed.messages).toContain('do not commit labels.csv alone');
    expect(failed.messages).toContain(
      `run the same import again (npx vitrine import --metadata ${second}): it records them.`,
    );
    expect((await stat(path.join(museum, '.vitrine', 'import-unfinished.json'))).isFile()).toBe(true);
    const run = await vitrine(['run', 'dataset']);
    expect(run.code, run.messages).toBe(1);
    expect(run.messages).toContain('data.dvc may not record it yet');
    expect(run.messages).toContain('Nothing was run.');

    await rm(blocker);
    // A reviewer: an import that then stopped before it changed anything (a mistyped export) took the note away,
    // and "run" went on with data.dvc still not recording data/.
    const typo = await vitrine(['import', '--metadata', path.join(root, 'no-such-export.csv')]);
    expect(typo.code, typo.messages).not.toBe(0);
    expect((await stat(path.join(museum, '.vitrine', 'import-unfinished.json'))).isFile()).toBe(true);
    const still = await vitrine(['run', 'dataset']);
    expect(still.code, still.messages).toBe(1);
    expect(still.messages).toContain('data.dvc may not record it yet');

    const again = await vitrine(['import', '--metadata', second]);
    expect(again.code, again.messages).toBe(0);
    expect(again.messages).toContain(
      'Since the last import: 1 object added (N1) and 1 with other details (C1: title).',
    );
    expect(again.messages).not.toContain('Nothing changed');
    expect(again.messages).toContain('data/objects.csv held changes that data.dvc does not record yet');
    expect(await readFile(path.join(museum, 'data.dvc'), 'utf8')).not.toBe(dataDvc);
    await expect(stat(path.join(museum, '.vitrine', 'import-unfinished.json'))).rejects.toThrow();
  });
});

// The second reviewer: with data.dvc's list of files not in the local data cache (a data cache cleared, a clone
// that pulled data/ another way), an import compared with data/ as it is, without saying so.
describe('an import whose data.dvc record cannot be read', () => {
  it('says that what changed is counted from data/ as it is, and why', async () => {
    const dvc = await readFile(path.join(museum, 'data.dvc'), 'utf8');
    const list = /md5: ([0-9a-f]{32})\.dir/.exec(dvc)![1]!;
    const cache = path.join(museum, '.dvc', 'cache', 'files', 'md5');
    await rm(path.join(cache, list.slice(0, 2), `${list.slice(2)}.dir`));
    const objects = path.join(museum, 'data', 'objects.csv');
    await writeFile(objects, (await readFile(objects, 'utf8')).replace('Gold coin', 'Coin of gold'));
    const third = await exportOf(
      'export-3',
      [
        ['C1', 'C1.jpg', 'coin', 'Gold coin'],
        ['C2', 'C2.jpg', 'coin', 'Coin'],
        ['V1', 'V1.jpg', 'vessel', 'Jar'],
        ['V2', 'V2.jpg', 'vessel', 'Jar'],
      ],
      { 'C1.jpg': photo('C1'), 'C2.jpg': photo('C2'), 'V1.jpg': photo('V1'), 'V2.jpg': photo('V2') },
    );
    const run = await vitrine(['import', '--metadata', third]);
    expect(run.code, run.messages).toBe(0);
    expect(run.messages).toContain(
      `info: data.dvc's record of data/ could not be read (its list of files, ${list}.dir, is not in the local ` +
        'data cache): what changed is counted from data/objects.csv as it was before this import, which may hold ' +
        'changes not recorded yet.',
    );
  });
});

// A reviewer: a data.dvc that cannot be read as a file (a folder in its place) failed the import half-way with
// "expected a file but found a folder; the system did not say which"; before, the import said what to do.
describe('an import whose data.dvc is a folder', () => {
  it('ends with the data layer’s own words, naming data.dvc and what to do', async () => {
    const dvc = path.join(museum, 'data.dvc');
    const kept = await readFile(dvc, 'utf8');
    await rm(dvc);
    await mkdir(dvc);
    const fourth = await exportOf(
      'export-4',
      [
        ['C1', 'C1.jpg', 'coin', 'Gold coin, struck'],
        ['C2', 'C2.jpg', 'coin', 'Coin'],
        ['V1', 'V1.jpg', 'vessel', 'Jar'],
        ['V2', 'V2.jpg', 'vessel', 'Jar'],
      ],
      { 'C1.jpg': photo('C1'), 'C2.jpg': photo('C2'), 'V1.jpg': photo('V1'), 'V2.jpg': photo('V2') },
    );
    const run = await vitrine(['import', '--metadata', fourth]);
    expect(run.code).not.toBe(0);
    expect(run.messages).toContain('data.dvc should be a file but is a folder');
    expect(run.messages).not.toContain('the system did not say which');
    expect(run.messages).toContain("data.dvc's record of data/ could not be read (it is a folder, not a file)");
    await rm(dvc, { recursive: true });
    await writeFile(dvc, kept);
  });
});

// A reviewer: a re-import that changed nothing and then failed while recording kept a note that said "process …
// stopped before it finished" (a killed import, not this one), and its message said "move the folder away and run
// again. Once mended, then run the same import again": one step told twice.
describe('a re-import that changes nothing, then fails while recording', () => {
  it('keeps a note that says so, and says each step once', async () => {
    const dvc = path.join(museum, 'data.dvc');
    const kept = await readFile(dvc, 'utf8');
    const same = await exportOf(
      'export-5',
      [
        ['C1', 'C1.jpg', 'coin', 'Gold coin'],
        ['C2', 'C2.jpg', 'coin', 'Coin'],
        ['V1', 'V1.jpg', 'vessel', 'Jar'],
        ['V2', 'V2.jpg', 'vessel', 'Jar'],
      ],
      { 'C1.jpg': photo('C1'), 'C2.jpg': photo('C2'), 'V1.jpg': photo('V1'), 'V2.jpg': photo('V2') },
    );
    const first = await vitrine(['import', '--metadata', same]);
    expect(first.code, first.messages).toBe(0);
    await rm(dvc);
    await mkdir(dvc);
    const failed = await vitrine(['import', '--metadata', same]);
    expect(failed.code).not.toBe(0);
    expect(failed.messages).toContain('Nothing changed since the last import');
    expect(failed.messages).toContain('it found nothing to change in data/, data/objects.csv or labels.csv');
    expect(failed.messages).not.toContain('the new photographs and labels are in place');
    expect(failed.messages).toContain(
      'data.dvc should be a file but is a folder: move the folder away. Once that is mended, run the same import ' +
        `again (npx vitrine import --metadata ${same}): it records them.`,
    );
    expect(failed.messages).not.toContain('run again. Once mended');
    const run = await vitrine(['run', 'dataset']);
    expect(run.code, run.messages).toBe(1);
    expect(run.messages).toContain(
      'found nothing to change in data/ or labels.csv, then failed while recording data/ in data.dvc.',
    );
    expect(run.messages).not.toContain('stopped before it finished');
    expect(run.messages).not.toContain('interrupted');
    await rm(dvc, { recursive: true });
    await writeFile(dvc, kept);
    const again = await vitrine(['import', '--metadata', same]);
    expect(again.code, again.messages).toBe(0);
    await expect(stat(path.join(museum, '.vitrine', 'import-unfinished.json'))).rejects.toThrow();
  });
});
