import { lstat, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { readLabels } from '../../pipeline/collection/index.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { labelsTextAsRead } from '../../pipeline/dataset/labels-as-read.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Outside tester (T3 F17): labels.csv committed as a symbolic link to a file elsewhere on the computer was read
 * through the link, and that file’s lines printed in warnings (`labels.csv:2: there is no object
 * "AKIAEXAMPLESECRET"`), in a runner’s public log. The pull-request guard refuses such a file; the CLI did not.
 */

const outside: string[] = [];
afterAll(async () => {
  await removeTempDirs();
  await Promise.all(outside.map((d) => rm(d, { recursive: true, force: true })));
});

async function linkedLabels() {
  const ws = await makeCollection({
    objects: [object('a1'), object('a2')],
    labels: [{ objectId: 'a1', label: 'coin' }],
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-outside-'));
  outside.push(dir);
  const secret = path.join(dir, 'creds.csv');
  await writeFile(secret, 'object_id,label\nAKIAEXAMPLESECRET,hunter2-password\n');
  await unlink(ws.labels);
  await symlink(secret, ws.labels);
  return { ws, secret };
}

describe('labels.csv as a symbolic link', () => {
  it('is refused by the dataset stage before it is read, naming the link and where it leads', async () => {
    const { ws, secret } = await linkedLabels();
    const log = memoryLogger();
    const error = (await buildDataset({ ws, params: testParams(), log }).catch((e: unknown) => e)) as Error & {
      code?: string;
    };
    expect(error.code).toBe('LABELS_LINK');
    expect(error.message).toContain(`labels.csv is a symbolic link (to ${secret})`);
    expect(error.message).toMatch(/does not read[^.]*through a link/);
    const said = [error.message, ...log.lines.map((l) => l.message)].join('\n');
    expect(said).not.toMatch(/AKIAEXAMPLESECRET|hunter2/);
  });

  it('is refused by the catalogue’s and init’s reading of labels.csv too', async () => {
    const { ws } = await linkedLabels();
    await expect(readLabels({ file: ws.labels })).rejects.toMatchObject({ code: 'LABELS_LINK' });
  });

  // T3 F17: the stages after the dataset stage (evaluate, the report, promote, the catalogue) read it again.
  it('is refused where the stages after the dataset stage read it', async () => {
    const { ws } = await linkedLabels();
    await expect(labelsTextAsRead({ ws })).rejects.toMatchObject({ code: 'LABELS_LINK' });
  });

  it('leading nowhere is refused too, not read as no labels.csv', async () => {
    const { ws, secret } = await linkedLabels();
    await unlink(secret);
    const error = await buildDataset({ ws, params: testParams(), log: memoryLogger() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LABELS_LINK' });
  });

  // Review V6: import read the linked file, printed its lines ("AKIAEXAMPLESECRET" names an object no longer in the
  // collection) and wrote them into the repository's labels.csv, a regular file in place of the link.
  it('is refused by import before it is read, and left as it is', async () => {
    const { ws, secret } = await linkedLabels();
    const exportDir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-link-export-'));
    outside.push(exportDir);
    await writeFile(path.join(exportDir, 'a1.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    const metadata = path.join(exportDir, 'objects.csv');
    await writeFile(metadata, 'id,image,label,title\na1,a1.jpg,coin,Coin\n');
    const log = memoryLogger();
    const params = testParams();
    const error = await importCollection({ ws, params, metadata, log }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LABELS_LINK' });
    expect(log.lines.map((l) => l.message).join('\n')).not.toMatch(/AKIAEXAMPLESECRET|hunter2/);
    expect((await lstat(ws.labels)).isSymbolicLink()).toBe(true);
    expect(await readFile(secret, 'utf8')).toContain('AKIAEXAMPLESECRET');
  });
});
