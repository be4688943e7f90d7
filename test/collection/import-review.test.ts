import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readObjects } from '../../pipeline/collection/index.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace, type Workspace } from '../../pipeline/paths.ts';

/*
 * A review of `vitrine import` found it could copy the repository's own secrets into data/, leave
 * data/ half-written on failure, drop images and labels on re-import. Each case failed before its fix.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-review-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

function params(onInvalid: 'skip' | 'fail' = 'skip'): Params {
  const p = defaultParams();
  p.import.on_invalid = onInvalid;
  return p;
}

async function put(file: string, data: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}

/** A repository whose export lives at its root (`--images .`), the way a museum may lay it out. */
async function repoWithExport(name: string, rows: string[][]): Promise<{ ws: Workspace; csv: string }> {
  const ws = workspace(path.join(root, name));
  const csv = path.join(ws.root, 'export.csv');
  await put(csv, stringify([['id', 'image', 'label', 'title'], ...rows]));
  return { ws, csv };
}

async function listTree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [] as string[])).map(String).sort();
}

describe('import never copies the repository\'s own files or non-images', () => {
  it('refuses .git, .dvc, .vitrine, data/, node_modules, dot-files and non-image files, naming file:line', async () => {
    const { ws, csv } = await repoWithExport('secrets', [
      ['A1', 'photos/A1.jpg', 'coin', 'Coin'],
      ['S1', '.dvc/config.local', 'coin', 'Keys'],
      ['S2', '.git/config', 'coin', 'Git'],
      ['S3', '.vitrine/registry/x.png', 'coin', 'Work'],
      ['S4', 'data/images/old.jpg', 'coin', 'Target'],
      ['S5', 'node_modules/pkg/logo.png', 'coin', 'Module'],
      ['S6', 'photos/.hidden/B.jpg', 'coin', 'Hidden'],
      ['S7', 'notes.txt', 'coin', 'Text'],
      ['S8', 'photos/fake.jpg', 'coin', 'Not a JPEG'],
      ['A2', 'photos/A2.png', 'coin', 'PNG'],
    ]);
    await put(path.join(ws.root, 'photos', 'A1.jpg'), JPEG);
    await put(path.join(ws.root, 'photos', 'A2.png'), PNG);
    await put(path.join(ws.root, '.dvc', 'config.local'), "['remote \"s\"']\n  secret_access_key = SECRET\n");
    await put(path.join(ws.root, '.git', 'config'), '[core]\n  SECRET\n');
    await put(path.join(ws.root, '.vitrine', 'registry', 'x.png'), PNG);
    await put(path.join(ws.root, 'data', 'images', 'old.jpg'), JPEG);
    await put(path.join(ws.root, 'node_modules', 'pkg', 'logo.png'), PNG);
    await put(path.join(ws.root, 'photos', '.hidden', 'B.jpg'), JPEG);
    await put(path.join(ws.root, 'notes.txt'), 'SECRET notes');
    await put(path.join(ws.root, 'photos', 'fake.jpg'), 'SECRET, not an image');
    const result = await importCollection({ ws, params: params('skip'), metadata: csv, images: ws.root, log: memoryLogger() });
    expect(result.refused.map((p) => [p.file, p.line, p.object])).toEqual(
      [3, 4, 5, 6, 7, 8, 9, 10].map((line, i) => ['export.csv', line, `S${i + 1}`]),
    );
    for (const p of result.refused.slice(0, 6)) expect(p.message).toMatch(/repository's own|hidden|dot/);
    expect(result.refused[6]!.message).toMatch(/not an image/);
    expect(result.refused[7]!.message).toMatch(/not an image/);
    const { objects } = await readObjects({ file: ws.objects });
    expect(objects.map((o) => o.id)).toEqual(['A1', 'A2']);
    const copied = await Promise.all((await readdir(ws.images)).map((f) => readFile(path.join(ws.images, f), 'latin1')));
    expect(copied.join('')).not.toContain('SECRET');
  });

  it('with on_invalid "fail" stops on a secret and writes nothing', async () => {
    const { ws, csv } = await repoWithExport('secrets-fail', [['A1', 'A1.jpg', 'coin', 'Coin'], ['S1', '.dvc/config.local', '', '']]);
    await put(path.join(ws.root, 'A1.jpg'), JPEG);
    await put(path.join(ws.root, '.dvc', 'config.local'), 'SECRET');
    const error = await importCollection({ ws, params: params('fail'), metadata: csv, images: ws.root, log: memoryLogger() })
      .catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_INVALID')).toBe(true);
    expect((error as Error).message).toContain('export.csv:3');
    expect(await listTree(ws.data)).toEqual([]);
  });
});
