import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * A tester's export had one object twice: init refused that row, imported 128 objects, and had begun by saying
 * "objects.csv: 129 objects". The export's rows are counted as rows: a row is an object only once it is imported.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-summary-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('what init says of an export', () => {
  it('counts its rows as rows, and only the rows imported as objects', async () => {
    const images = path.join(root, 'export', 'images');
    await mkdir(images, { recursive: true });
    for (const [i, name] of ['o1', 'o2', 'o3', 'o4'].entries())
      await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 60 * i, g: 20, b: 90 } } })
        .jpeg()
        .toFile(path.join(images, `${name}.jpg`));
    const csv = path.join(root, 'export', 'objects.csv');
    const rows = ['A1,o1.jpg,coin', 'A2,o2.jpg,coin', 'A2,o3.jpg,vase', 'A4,o4.jpg,vase', 'A5,o1.jpg,vase'];
    await writeFile(csv, ['id,image,type', ...rows, ''].join('\n'));
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const log = memoryLogger();
    const code = await main(['init', '--from', csv, '--images', images, '--on-invalid', 'skip', '--yes'], {
      cwd: museum,
      env: {},
      stdout: () => {},
      log,
      interactive: false,
    });
    const messages = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
    expect(messages).toContain('objects.csv: 5 rows, 3 columns (CSV).');
    expect(messages).not.toMatch(/5 objects/);
    expect(messages).toMatch(/object "A2" appears again/);
    expect(messages).toMatch(/Imported 4 objects/);
    expect(code, messages).not.toBe(0);
  });
});
