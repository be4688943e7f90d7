import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { addData } from '../../pipeline/data/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { vitrineIn } from '../fixtures/cli-run.ts';

/*
 * A reviewer (scenario S5): a photograph changed by hand in data/ after the last import, not yet recorded with
 * `data add`, was overwritten by the next import with the export's, said only as "1 given a new photograph (A1)",
 * and the copy moved aside was deleted with import's temp folder: the hand-made photograph was lost. Import now
 * keeps its bytes in the data cache before it replaces the file, and says how to get it back (the commands are run
 * here). Real files in temp folders. The command to get it back was `cp <cache file> <file> && …`, which staff on
 * Windows (cmd, PowerShell) cannot run: it is now `npx vitrine data restore --from <md5> <file>`, the same in every
 * shell, which finds the data cache itself.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const JPEG = (n: number) => Buffer.from([0xff, 0xd8, 0xff, 0xe0, n, 2, 3, 4, 0xff, 0xd9]);
const EXPORTED = JPEG(1);
const BY_HAND = Buffer.concat([JPEG(7), Buffer.from('re-shot by the photographer')]);

function params() {
  const p = defaultParams();
  p.collection.vocabulary = ['coin', 'mask'];
  return p;
}

/** A repository imported from an export of A1 and A2, recorded with data add, as `vitrine import` leaves it. */
async function imported(): Promise<{ ws: Workspace; exp: { metadata: string; images: string } }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-hand-changed-'));
  dirs.push(root);
  const exp = { metadata: path.join(root, 'export', 'objects.csv'), images: path.join(root, 'export') };
  await mkdir(exp.images, { recursive: true });
  await writeFile(path.join(exp.images, 'a.jpg'), EXPORTED);
  await writeFile(path.join(exp.images, 'b.jpg'), JPEG(2));
  await writeFile(exp.metadata, 'id,image,label\nA1,a.jpg,coin\nA2,b.jpg,mask\n');
  const ws = workspace(path.join(root, 'repo'));
  await importCollection({ ws, params: params(), ...exp, log: memoryLogger() });
  await addData({ root: ws.root, log: memoryLogger(), written: true });
  return { ws, exp };
}

async function reimport(ws: Workspace, exp: { metadata: string; images: string }): Promise<string> {
  const log = memoryLogger();
  await importCollection({ ws, params: params(), ...exp, log });
  return log.lines
    .filter((l) => l.level !== 'debug')
    .map((l) => l.message)
    .join('\n');
}

/**
 * The commands the message gives, between backquotes, run in the repository as staff would: Vitrine commands only,
 * with no word a shell of Windows or Unix would read differently (no quote, &&, $, %, backslash or glob).
 */
async function runAdvice(said: string, ws: Workspace): Promise<void> {
  const restore = /`(npx vitrine data restore [^`]+)`/.exec(said)?.[1];
  expect(restore, said).toBeDefined();
  expect(restore).toMatch(/^npx vitrine data restore --from [0-9a-f]{32} [\w./-]+$/);
  const run = await vitrineIn({ args: restore!.split(' ').slice(2), cwd: ws.root });
  expect(run, run.said).toMatchObject({ code: 0 });
  expect(run.said).toContain('npx vitrine data add');
  expect(said).toContain('`npx vitrine data add`');
  expect(said).not.toMatch(/`cp |&&/);
}

describe('import over a photograph changed by hand in data/', () => {
  it('keeps the changed one in the data cache and says how to use it instead', async () => {
    const { ws, exp } = await imported();
    const file = path.join(ws.images, 'A1.jpg');
    await writeFile(file, BY_HAND);
    const said = await reimport(ws, exp);
    expect(await readFile(file)).toEqual(EXPORTED);
    expect(said).not.toContain('given a new photograph');
    expect(said).toContain(
      'A1: the photograph in the data folder (data/images/A1.jpg) had been changed since the last import (not from ' +
        'the export); import put back the export’s photograph. The changed one is kept',
    );
    expect(said).toMatch(/1 with the export’s photograph put back \(A1\)/);
    await runAdvice(said, ws);
    await addData({ root: ws.root, log: memoryLogger() });
    expect(await readFile(file)).toEqual(BY_HAND);
  });

  it('says briefly when the changed one was recorded with data add (already in the cache)', async () => {
    const { ws, exp } = await imported();
    const file = path.join(ws.images, 'A1.jpg');
    await writeFile(file, BY_HAND);
    await addData({ root: ws.root, log: memoryLogger() });
    const said = await reimport(ws, exp);
    expect(await readFile(file)).toEqual(EXPORTED);
    expect(said).toContain('import put back the export’s photograph');
    expect(said).toContain('The changed one is in the data cache already (recorded with data add)');
    await runAdvice(said, ws);
    expect(await readFile(file)).toEqual(BY_HAND);
  });

  it('gives a command that works with a data cache whose folder name has a space and a quote', async () => {
    const { ws, exp } = await imported();
    await mkdir(path.join(ws.root, '.dvc'), { recursive: true });
    await writeFile(path.join(ws.root, '.dvc', 'config.local'), "[cache]\n    dir = ../the museum's cache\n");
    const file = path.join(ws.images, 'A1.jpg');
    await writeFile(file, BY_HAND);
    const said = await reimport(ws, exp);
    expect(await readFile(file)).toEqual(EXPORTED);
    await runAdvice(said, ws);
    expect(await readFile(file)).toEqual(BY_HAND);
  });

  // Session 50: beyond the first five, the others were told to run `data restore --from <its MD5>`, an MD5 staff
  // could not know. Each now has its command.
  it('gives each photograph beyond the first five its own command, which works', async () => {
    const { ws, exp } = await imported();
    const ids = ['A3', 'A4', 'A5', 'A6', 'A7', 'A8'];
    for (const [i, id] of ids.entries()) await writeFile(path.join(exp.images, `${id}.jpg`), JPEG(20 + i));
    const rows = ids.map((id) => `${id},${id}.jpg,coin`).join('\n');
    await writeFile(exp.metadata, `id,image,label\nA1,a.jpg,coin\nA2,b.jpg,mask\n${rows}\n`);
    await importCollection({ ws, params: params(), ...exp, log: memoryLogger() });
    for (const id of ['A1', 'A2', ...ids])
      await writeFile(path.join(ws.images, `${id}.jpg`), Buffer.concat([BY_HAND, Buffer.from(id)]));
    const said = await reimport(ws, exp);
    expect(said).toContain('3 more photographs in the data folder had been changed since the last import');
    const command = /\n {2}A8: (npx vitrine data restore --from [0-9a-f]{32} data\/images\/A8\.jpg)$/m.exec(said)?.[1];
    expect(command, said).toBeDefined();
    expect(said).not.toContain('<its MD5>');
    const run = await vitrineIn({ args: command!.split(' ').slice(2), cwd: ws.root });
    expect(run, run.said).toMatchObject({ code: 0 });
    expect(await readFile(path.join(ws.images, 'A8.jpg'))).toEqual(Buffer.concat([BY_HAND, Buffer.from('A8')]));
  });

  it('says nothing of the kind for a photograph the collection system changed (the data folder’s untouched)', async () => {
    const { ws, exp } = await imported();
    await writeFile(path.join(exp.images, 'a.jpg'), JPEG(9));
    const said = await reimport(ws, exp);
    expect(said).toContain('1 given a new photograph (A1)');
    expect(said).not.toContain('changed since the last import');
  });
});
