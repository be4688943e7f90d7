import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportResult, importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';

/*
 * Accession numbers like 1987.10 are numbers to a spreadsheet: saved, they come out as 1987.1. Re-imported, the
 * row of 1987.10 was refused as a second "1987.1" and object 1987.10 then counted as gone: its image removed
 * from data/, with nothing saying a spreadsheet had shortened its id.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-shortened-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const HEADER = 'id,image,label,title';

function params(onInvalid: 'skip' | 'fail' = 'skip'): Params {
  const p = defaultParams();
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  p.import.on_invalid = onInvalid;
  return p;
}

/** A folder with an image per object `ids`, and a function writing an export there; its repository. */
async function setup(name: string, ids: string[]) {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const id of ids) await writeFile(path.join(dir, `img${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
  const write = async (file: string, rows: string[]) => {
    await writeFile(path.join(dir, file), [HEADER, ...rows, ''].join('\r\n'));
    return path.join(dir, file);
  };
  return { ws: workspace(path.join(dir, 'repo')), write };
}

async function importing(ws: Workspace, metadata: string, p = params()) {
  const log = memoryLogger();
  const result = await importCollection({ ws, params: p, metadata, log }).catch((e: unknown) => e as Error);
  return { result, said: log.lines.map((l) => l.message).join('\n') };
}

/** 1987.1 to 1987.12: the row of each, its id as written ("1987.10", or "1987.1" as Excel saves 1987.10). */
const IDS = Array.from({ length: 12 }, (_, i) => `1987.${i + 1}`);
const row = (id: string, as = id) => `${as},img${id}.jpg,coin,Object ${id}`;
const excel = (id: string) => id.replace(/(\.\d*[1-9])0+$/, '$1');

describe('an export whose accession numbers a spreadsheet shortened (1987.10 → 1987.1)', () => {
  it('keeps object 1987.10, whose row became a second "1987.1", and says a spreadsheet shortened it', async () => {
    const { ws, write } = await setup('collision', IDS);
    await importing(
      ws,
      await write(
        'objects.csv',
        IDS.map((id) => row(id)),
      ),
    );
    const before = await readFile(ws.objects, 'utf8');
    expect(before).toMatch(/^1987\.10,/m);

    const { result, said } = await importing(
      ws,
      await write(
        'excel.csv',
        IDS.map((id) => row(id, excel(id))),
      ),
    );
    const done = result as ImportResult;
    expect(done.objects).toBeDefined();
    expect(done.unchanged).toEqual(['1987.10']);
    expect(done.refused).toEqual([
      expect.objectContaining({
        line: 11,
        message: expect.stringMatching(/a spreadsheet probably shortened 1987\.10 to 1987\.1/),
      }),
    ]);
    // Nothing removed: the table is as it was, 1987.10's image still there.
    expect(await readFile(ws.objects, 'utf8')).toBe(before);
    expect(said).not.toMatch(/Removed/);
    expect(said).toMatch(/text/);
  });

  it('says the same when import.on_invalid is "fail", changing nothing', async () => {
    const { ws, write } = await setup('collision-fail', IDS);
    await importing(
      ws,
      await write(
        'objects.csv',
        IDS.map((id) => row(id)),
      ),
      params('fail'),
    );
    const before = await readFile(ws.objects, 'utf8');
    const { result } = await importing(
      ws,
      await write(
        'excel.csv',
        IDS.map((id) => row(id, excel(id))),
      ),
      params('fail'),
    );
    expect((result as Error).message).toMatch(/a spreadsheet probably shortened 1987\.10 to 1987\.1/);
    expect(await readFile(ws.objects, 'utf8')).toBe(before);
  });

  // Outside tester, 2026-12-05: it was imported with a warning, object 2001.10 removed with its image.
  it('stops at a shortened id that is no other object, named as 1987.10 written otherwise, with the spreadsheet as why', async () => {
    const ids = ['2001.5', '2001.10', '2001.11', '2001.12'];
    const { ws, write } = await setup('renamed', ids);
    await importing(
      ws,
      await write(
        'objects.csv',
        ids.map((id) => row(id)),
      ),
    );
    const before = await readFile(ws.objects, 'utf8');
    const { result } = await importing(
      ws,
      await write(
        'excel.csv',
        ids.map((id) => row(id, excel(id))),
      ),
    );
    expect((result as Error).message).toContain('line 3: "2001.1" for "2001.10"');
    expect((result as Error).message).toMatch(/a spreadsheet probably shortened 2001\.10 to 2001\.1/i);
    expect(await readFile(ws.objects, 'utf8')).toBe(before);
  });

  it('stops an import where many ids were shortened so, saying a spreadsheet did it', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `${1990 + i}.10`);
    const { ws, write } = await setup('renamed-many', ids);
    await importing(
      ws,
      await write(
        'objects.csv',
        ids.map((id) => row(id)),
      ),
    );
    const before = await readFile(ws.objects, 'utf8');
    const { result } = await importing(
      ws,
      await write(
        'excel.csv',
        ids.map((id) => row(id, excel(id))),
      ),
    );
    expect((result as Error).message).toMatch(/12 ids .*"1990\.1" for "1990\.10"/s);
    expect((result as Error).message).toMatch(
      /a spreadsheet probably shortened 1990\.10 to 1990\.1 \(and 11 more ids so\)/i,
    );
    expect(await readFile(ws.objects, 'utf8')).toBe(before);
  });

  it('at a first import, says a repeated decimal id may be one a spreadsheet shortened', async () => {
    const { ws, write } = await setup('first', IDS);
    const { result } = await importing(
      ws,
      await write(
        'excel.csv',
        IDS.map((id) => row(id, excel(id))),
      ),
    );
    expect((result as ImportResult).refused).toEqual([
      expect.objectContaining({ line: 11, message: expect.stringMatching(/spreadsheet.*1987\.10.*1987\.1/) }),
    ]);
  });

  // Reviewer, 2026-12-05: a spreadsheet saves every number of the column so; with 1987.20 and 1987.30 keeping their last
  // zero, none did, and "1987.1" twice is a repeated id (a typing slip), not 1987.10 shortened.
  it('does not blame a spreadsheet for a repeated 1987.1 when other ids kept their last zero', async () => {
    const ids = [...IDS, '1987.20', '1987.30'];
    const { ws, write } = await setup('repeat-kept-zeros', ids);
    await importing(
      ws,
      await write(
        'objects.csv',
        ids.map((id) => row(id)),
      ),
    );
    // Line 11 has 1987.10's row with the id typed 1987.1; 1987.20 and 1987.30 are as they were.
    const rows = ids.map((id) => row(id, id === '1987.10' ? '1987.1' : id));
    const { result, said } = await importing(ws, await write('typed.csv', rows));
    const done = result as ImportResult;
    expect(done.refused).toEqual([
      expect.objectContaining({
        line: 11,
        object: '1987.1',
        message: expect.stringMatching(/^object "1987\.1" appears again \(first on line 2\): two different objects/),
      }),
    ]);
    expect(said).not.toMatch(/spreadsheet/);
    // Not taken for 1987.10's row: the export leaves 1987.10 out, as any object it does not list.
    expect(done.unchanged).toEqual([]);
  });

  it('at a first import, does not blame a spreadsheet for a repeated 1987.1 when other ids kept their last zero', async () => {
    const ids = [...IDS, '1987.20'];
    const { ws, write } = await setup('first-kept-zeros', ids);
    const rows = ids.map((id) => row(id, id === '1987.10' ? '1987.1' : id));
    const { result, said } = await importing(ws, await write('typed.csv', rows));
    expect((result as ImportResult).refused).toEqual([
      expect.objectContaining({
        line: 11,
        message: expect.stringMatching(/^object "1987\.1" appears again \(first on line 2\): two different objects/),
      }),
    ]);
    expect(said).not.toMatch(/spreadsheet/);
  });

  it('keeps 1987.1 and 1987.10 apart when both are in the export as written', async () => {
    const { ws, write } = await setup('both', IDS);
    const { result, said } = await importing(
      ws,
      await write(
        'objects.csv',
        IDS.map((id) => row(id)),
      ),
    );
    expect((result as ImportResult).objects).toBe(12);
    expect((result as ImportResult).refused).toEqual([]);
    expect(said).not.toMatch(/spreadsheet/);
  });
});
