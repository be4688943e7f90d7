import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Outside tester (T6 F6): an export that writes its image paths as a web address does ("photos\Réserves\vase%20avec
 * %20anse.jpg", %20 for a space, %C3%A9 for é), as web-based collection systems do, had each such image "not found",
 * with no word of why. Such a name is read decoded when the name as written is no file.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-percent-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const picture = (shade: number) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 80, b: 40 } } })
    .jpeg()
    .toBuffer();

describe('image names written as in a web address', () => {
  it('are read decoded when no file has the name as written, and said once', async () => {
    const dir = path.join(root, 'export');
    await mkdir(path.join(dir, 'images', 'photos', 'Réserves'), { recursive: true });
    await writeFile(path.join(dir, 'images', 'photos', 'Réserves', 'vase avec anse.jpg'), await picture(10));
    await writeFile(path.join(dir, 'images', 'photos', 'Céramique.jpg'), await picture(60));
    // A name that holds "%" itself is that file.
    await writeFile(path.join(dir, 'images', 'photos', '100%25.jpg'), await picture(110));
    // A name that decodes to a path out of the images folder is not followed.
    await writeFile(path.join(dir, 'secret.jpg'), await picture(160));
    await writeFile(
      path.join(dir, 'objects.csv'),
      stringify([
        ['id', 'image'],
        ['A-1', 'photos\\R%C3%A9serves\\vase%20avec%20anse.jpg'],
        ['A-2', 'photos/C%c3%a9ramique.jpg'],
        ['A-3', 'photos/100%25.jpg'],
        ['A-4', 'photos/..%2F..%2Fsecret.jpg'],
      ]),
    );
    const ws = workspace(path.join(dir, 'repo'));
    const log = memoryLogger();
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const result = await importCollection({
      ws,
      params,
      metadata: path.join(dir, 'objects.csv'),
      images: path.join(dir, 'images'),
      log,
    });
    const stored = (id: string) => readFile(path.join(ws.data, 'images', `${id}.jpg`)).catch(() => undefined);
    expect((await stored('A-1'))?.equals(await picture(10))).toBe(true);
    expect((await stored('A-2'))?.equals(await picture(60))).toBe(true);
    expect((await stored('A-3'))?.equals(await picture(110))).toBe(true);
    expect(await stored('A-4')).toBeUndefined();
    expect(result.problems.map((p) => p.object)).toEqual(['A-4']);
    const said = log.lines.filter((l) => /web address/.test(l.message)).map((l) => l.message);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^2 image names are written as in a web address/);
    expect(said[0]).toMatch(
      /"photos\\R%C3%A9serves\\vase%20avec%20anse\.jpg" is photos\/Réserves\/vase avec anse\.jpg/,
    );
  });
});
