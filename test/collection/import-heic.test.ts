import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportResult, importCollection } from '../../pipeline/collection/import.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { av1Heif, hevcHeic } from '../fixtures/heic.ts';

/*
 * A phone's HEIC photo is HEVC-coded, and the bundled image decoder (sharp) has no HEVC decoder: import
 * accepted such a file by its name and first bytes, and the dataset stage could never read it.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-heic-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function params(onInvalid: 'skip' | 'fail'): Params {
  const p = defaultParams();
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  p.import.on_invalid = onInvalid;
  return p;
}

async function setup(name: string) {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'blue' } })
    .png()
    .toBuffer();
  await writeFile(path.join(dir, 'a.png'), png);
  await writeFile(path.join(dir, 'b.png'), png);
  await writeFile(path.join(dir, 'avif.heif'), await av1Heif());
  await writeFile(path.join(dir, 'IMG_0042.HEIC'), await hevcHeic());
  await writeFile(path.join(dir, 'IMG_0043.HEIC'), await hevcHeic());
  const rows = ['A-1,a.png,coin,One', 'A-2,b.png,coin,Two', 'A-3,avif.heif,coin,Three', 'A-4,IMG_0042.HEIC,coin,Four'];
  const metadata = path.join(dir, 'objects.csv');
  await writeFile(metadata, ['id,image,label,title', ...rows, 'A-5,IMG_0043.HEIC,coin,Five', ''].join('\n'));
  return { ws: workspace(path.join(dir, 'repo')), metadata };
}

describe('an export with HEIC photos from a phone', () => {
  it('the crafted photo is what sharp makes of a phone photo: HEVC, which it cannot decode', async () => {
    const file = path.join(root, 'probe.heic');
    await writeFile(file, await hevcHeic());
    expect((await sharp(file).metadata()).compression).toBe('hevc');
    await expect(sharp(file).raw().toBuffer()).rejects.toThrow(/HEVC/);
  });

  it('refuses each such row in plain words and imports the rest, a HEIF sharp reads among them', async () => {
    const { ws, metadata } = await setup('skip');
    const log = memoryLogger();
    const result = (await importCollection({ ws, params: params('skip'), metadata, log })) as ImportResult;
    // Under skip their objects are imported without them, the files listed (a reviewer: the objects went).
    expect(result.objects).toBe(5);
    expect(result.refused).toEqual([]);
    expect(result.problems.filter((r) => r.imageRefused).map((r) => r.line)).toEqual([5, 6]);
    for (const r of result.problems.filter((r) => r.imageRefused))
      expect(r.message).toMatch(/HEIC photo from a phone \(HEVC\).*cannot be read.*JPEG/);
    const table = await readFile(ws.objects, 'utf8');
    expect(table).toMatch(/^A-3,/m);
    expect(table).toMatch(/^A-4,[^\n]*,$/m);
    // Said once for all of them, too.
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/2 images are HEIC photos from a phone \(HEVC\)/);
  });

  it('with import.on_invalid "fail", changes nothing and says why', async () => {
    const { ws, metadata } = await setup('fail');
    const result = await importCollection({ ws, params: params('fail'), metadata, log: memoryLogger() }).catch(
      (e: unknown) => e,
    );
    expect(isVitrineError(result, 'IMPORT_INVALID')).toBe(true);
    expect((result as Error).message).toMatch(/IMG_0042\.HEIC.*HEIC photo from a phone \(HEVC\)/);
  });
});
