import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { readRefusedImages } from '../../pipeline/collection/refused-images.ts';
import { addData } from '../../pipeline/data/ops.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';

/*
 * A reviewer: a damaged JPEG already stored byte for byte in data/ no longer stopped a routine re-import under
 * import.on_invalid "fail", but other refusals already in the repository did. An empty file and a camera raw file
 * imported under "skip" (recorded in data/.refused-images.json), then the same export imported again under "fail":
 * the import stopped on them, as on new problems. The same file, already refused and recorded, is not a new problem:
 * the import goes on and says it is still refused; a file changed since is judged afresh. So is an empty file an
 * older import stored in data/, as the damaged JPEG is.
 */

let root: string;
let good: Buffer;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-refused-again-'));
  good = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 10, g: 80, b: 120 } } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const RAW = Buffer.from('II*\0 a camera raw file, as a camera wrote it');

/** An export in `<name>/`: A1 a good photograph, A2 an empty file, A3 a camera raw file; imported under "skip". */
async function skipped(name: string): Promise<{ ws: Workspace; dir: string }> {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'images'), { recursive: true });
  await writeFile(path.join(dir, 'images', 'good.jpg'), good);
  await writeFile(path.join(dir, 'images', 'empty.jpg'), Buffer.alloc(0));
  await writeFile(path.join(dir, 'images', 'raw.dng'), RAW);
  await writeFile(
    path.join(dir, 'objects.csv'),
    stringify([
      ['id', 'image', 'label'],
      ['A1', 'good.jpg', 'coin'],
      ['A2', 'empty.jpg', 'coin'],
      ['A3', 'raw.dng', 'coin'],
    ]),
  );
  const ws = workspace(path.join(dir, 'repo'));
  const params = defaultParams();
  params.import.on_invalid = 'skip';
  await importCollection({ ws, params, ...exportOf(dir), log: memoryLogger() });
  return { ws, dir };
}

const exportOf = (dir: string) => ({ metadata: path.join(dir, 'objects.csv'), images: path.join(dir, 'images') });

/** The routine re-import of the export in `dir`, under the default import.on_invalid: fail. */
function again(ws: Workspace, dir: string) {
  const log = memoryLogger();
  const run = importCollection({ ws, params: defaultParams(), ...exportOf(dir), log });
  return { run, log };
}

describe('an image file an earlier import refused and recorded, imported again unchanged under on_invalid: fail', () => {
  it('is not a new problem: the import goes on and says it is still refused', async () => {
    const { ws, dir } = await skipped('unchanged');
    expect([...(await readRefusedImages({ ws })).keys()].sort()).toEqual(['A2', 'A3']);
    const { run } = again(ws, dir);
    const result = await run;
    expect(result.refused).toEqual([]);
    for (const [id, file, why] of [
      ['A2', 'empty.jpg', /empty file/],
      ['A3', 'raw.dng', /camera raw/],
    ] as const) {
      const said = result.problems.filter((p) => p.object === id);
      expect(said).toHaveLength(1);
      expect(said[0]!.refused).toBeUndefined();
      expect(said[0]!.message).toContain(`"${file}"`);
      expect(said[0]!.message).toMatch(/still refused/);
      expect(said[0]!.message).toMatch(why);
      expect(said[0]!.message).toMatch(/in the export/);
    }
    // Still without a photograph, and still recorded: the dataset stage goes on saying why.
    expect(await readFile(ws.objects, 'utf8')).toMatch(/^A2,,/m);
    expect(await readFile(ws.objects, 'utf8')).toMatch(/^A3,,/m);
    const recorded = await readRefusedImages({ ws });
    expect([...recorded.keys()].sort()).toEqual(['A2', 'A3']);
    expect(recorded.get('A3')!.image).toBe('raw.dng');
  });

  it('changed since is judged afresh: refused under on_invalid: fail', async () => {
    const { ws, dir } = await skipped('changed');
    await writeFile(path.join(dir, 'images', 'raw.dng'), Buffer.concat([RAW, Buffer.from(' and a new take')]));
    const { run } = again(ws, dir);
    // Said changed, or staff would wonder why the same name and reason stop the import now (a reviewer).
    await expect(run).rejects.toThrow(/raw\.dng" of object "A3" \(changed since an earlier import refused it\)/);
  });

  it('is said not to count as a new problem, which stays true when another row stops the import', async () => {
    const { ws, dir } = await skipped('other-row');
    await writeFile(path.join(dir, 'images', 'raw.dng'), Buffer.concat([RAW, Buffer.from(' and a new take')]));
    const { run, log } = again(ws, dir);
    await expect(run).rejects.toThrow(/raw\.dng/);
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toMatch(/"empty\.jpg" of object "A2" is still refused/);
    expect(said).not.toMatch(/import goes on/);
    expect(said).toMatch(/not counted as a new problem/);
  });

  it('now a good photograph is imported, and no longer recorded as refused', async () => {
    const { ws, dir } = await skipped('mended');
    await writeFile(path.join(dir, 'images', 'empty.jpg'), good);
    const { run } = again(ws, dir);
    await expect(run).resolves.toBeDefined();
    expect(await readFile(path.join(ws.images, 'A2.jpg'))).toEqual(good);
    expect([...(await readRefusedImages({ ws })).keys()]).toEqual(['A3']);
  });

  it('recorded by an older import, without the file’s fingerprint, is still refused, not a new problem', async () => {
    const { ws, dir } = await skipped('older');
    const file = path.join(ws.data, '.refused-images.json');
    const older = Object.fromEntries(
      [...(await readRefusedImages({ ws }))].map(([id, { image, reason }]) => [id, { image, reason }]),
    );
    await writeFile(file, `${JSON.stringify(older, null, 2)}\n`);
    const result = await again(ws, dir).run;
    expect(result.refused).toEqual([]);
    expect(result.problems.filter((p) => /still refused/.test(p.message)).map((p) => p.object)).toEqual(['A2', 'A3']);
  });

  it('named by another file name now is judged afresh', async () => {
    const { ws, dir } = await skipped('renamed');
    await writeFile(path.join(dir, 'images', 'other.dng'), RAW);
    await writeFile(
      path.join(dir, 'objects.csv'),
      stringify([
        ['id', 'image', 'label'],
        ['A1', 'good.jpg', 'coin'],
        ['A2', 'empty.jpg', 'coin'],
        ['A3', 'other.dng', 'coin'],
      ]),
    );
    await expect(again(ws, dir).run).rejects.toThrow(/other\.dng.*camera raw/s);
  });
});

/*
 * A reviewer: the record of a refused file was dropped when the object was kept as it was without its file being
 * looked at (its row refused for another reason under "skip") or when the file was missing for a while: its pages
 * said "No photograph yet" again, and a later import under "fail" stopped on the file as on a new problem.
 */
describe('the record of a file refused before, for an object kept without an image', () => {
  it('stays when the object’s row is refused for another reason under on_invalid: skip', async () => {
    const { ws, dir } = await skipped('row-refused');
    const exported = exportOf(dir);
    const rows = await readFile(exported.metadata, 'utf8');
    await writeFile(exported.metadata, rows.replace('A2,empty.jpg', 'A2,https://example.org/a2.jpg'));
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const result = await importCollection({ ws, params, ...exported, log: memoryLogger() });
    expect(result.refused.map((p) => p.object)).toEqual(['A2']);
    expect([...(await readRefusedImages({ ws })).keys()].sort()).toEqual(['A2', 'A3']);
    await writeFile(exported.metadata, rows);
    await expect(again(ws, dir).run).resolves.toBeDefined();
  });

  it('stays while the file is missing from the export', async () => {
    const { ws, dir } = await skipped('missing');
    await rm(path.join(dir, 'images', 'raw.dng'));
    await again(ws, dir).run;
    expect((await readRefusedImages({ ws })).get('A3')?.image).toBe('raw.dng');
    await writeFile(path.join(dir, 'images', 'raw.dng'), RAW);
    const result = await again(ws, dir).run;
    expect(result.problems.find((p) => p.object === 'A3')?.message).toMatch(/still refused/);
  });
});

/*
 * A reviewer: a data/.refused-images.json that cannot be read (a merge left conflict markers in it) was taken as
 * empty without a word: the files it recorded were then refused as new problems, and nothing said why.
 */
describe('a data/.refused-images.json that cannot be read', () => {
  it('is named in a warning at import, saying its files are judged afresh', async () => {
    const { ws, dir } = await skipped('unreadable');
    await writeFile(path.join(ws.data, '.refused-images.json'), '<<<<<<< HEAD\n{}\n');
    const { run, log } = again(ws, dir);
    await expect(run).rejects.toThrow(/empty\.jpg/);
    const warned = log.lines.filter((l) => l.level === 'warn' && l.message.includes('data/.refused-images.json'));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.message).toMatch(/cannot be read/);
    expect(warned[0]!.message).toMatch(/judged afresh/);
  });
});

describe('an empty file an older import stored in data/ as the object’s photograph', () => {
  it('is kept as it was on a re-import under on_invalid: fail, as a damaged JPEG is', async () => {
    const { ws, dir } = await skipped('stored');
    // An older import took the empty file: simulated by importing a good one, then emptying it in data/.
    const exported = exportOf(dir);
    const rows = await readFile(exported.metadata, 'utf8');
    await writeFile(exported.metadata, rows.replace('A2,empty.jpg', 'A2,good.jpg'));
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    await importCollection({ ws, params, ...exported, log: memoryLogger() });
    await writeFile(path.join(ws.images, 'A2.jpg'), Buffer.alloc(0));
    await writeFile(exported.metadata, rows);
    const result = await again(ws, dir).run;
    const said = result.problems.filter((p) => p.object === 'A2');
    expect(said).toHaveLength(1);
    expect(said[0]!.refused).toBeUndefined();
    expect(said[0]!.message).toMatch(/same file as its photograph already in data\//);
    expect(said[0]!.message).toMatch(/empty file/);
    expect(await readFile(ws.objects, 'utf8')).toMatch(/^A2,.*images\/A2\.jpg/m);
  });
});

/*
 * An outside tester: init stopped by Ctrl-C after it had written data/ (its refusals too), then run again as told,
 * exited 0 and called the refused files "still refused: an earlier import refused this file", though no import had
 * finished; an uninterrupted init exits 1 on them. Only what a finished import recorded (data.dvc) counts.
 */
describe('refusals written by an import that did not finish', () => {
  /** The note an import leaves when stopped after it had written data/ and labels.csv. */
  async function unfinished(ws: Workspace): Promise<void> {
    await mkdir(ws.work, { recursive: true });
    await writeFile(
      path.join(ws.work, 'import-unfinished.json'),
      JSON.stringify({
        started: '2026-12-06T08:00:00.000Z',
        pid: 999_999,
        temp: '.vitrine/tmp/import-999999-00000000',
        phase: 'written',
        command: 'npx vitrine init',
        tables: [],
      }),
    );
  }

  it('are judged afresh when no finished import recorded them: refused again, as new problems', async () => {
    const { ws, dir } = await skipped('unfinished-first');
    await unfinished(ws);
    const { run } = again(ws, dir);
    await expect(run).rejects.toThrow(/empty\.jpg/);
    await expect(run).rejects.not.toThrow(/still refused/);
  });

  it('still count when data.dvc records them from a finished import', async () => {
    const { ws, dir } = await skipped('unfinished-after-recorded');
    await addData({ root: ws.root, log: memoryLogger(), written: true });
    await unfinished(ws);
    const result = await again(ws, dir).run;
    expect(result.refused).toEqual([]);
    expect(result.problems.filter((p) => /still refused/.test(p.message)).map((p) => p.object)).toEqual(['A2', 'A3']);
  });
});
