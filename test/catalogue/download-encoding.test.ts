import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueFiles } from '../../pipeline/catalogue/data.ts';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { writeFixture } from '../site/fixture.ts';

/*
 * An outside tester of the public site: catalogue.csv starts with a byte-order mark (for Excel) while
 * datapackage.json said its encoding was "utf-8", so Python's csv module, opening the file with the
 * encoding the package gives, read the first column as "\ufeffid". The package and the bytes must agree.
 */

let dir: string;
let dataDir: string;

/** Python 3, where this machine has it: the data user's own program, not an imitation of it. */
const python = ['python3', 'python'].find(
  (p) => spawnSync(p, ['-c', 'import csv, json'], { stdio: 'ignore' }).status === 0,
);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-download-encoding-'));
  const image = path.join(dir, 'photo.png');
  await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 90, g: 120, b: 60 } } })
    .png()
    .toFile(image);
  await writeFixture({
    root: dir,
    objects: [
      { id: 'A1', title: 'Vista de Valparaíso', maker: 'Anónimo', label: 'coin', image },
      { id: 'A2', title: 'Łódź', label: 'vase', image },
    ],
    labels: ['coin', 'vase'],
  });
  await buildCatalogueData({ ws: workspace(dir), params: defaultParams(), log: memoryLogger() });
  dataDir = path.join(catalogueFiles(workspace(dir)).publicDir, 'data');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** The catalogue resource of datapackage.json. */
async function csvResource(): Promise<{ path: string; encoding: string; schema: { fields: { name: string }[] } }> {
  const pkg = JSON.parse(await readFile(path.join(dataDir, 'datapackage.json'), 'utf8')) as {
    resources: { name: string; path: string; encoding: string; schema: { fields: { name: string }[] } }[];
  };
  return pkg.resources.find((r) => r.name === 'catalogue')!;
}

describe('catalogue.csv and datapackage.json', () => {
  it('say the same thing about the byte-order mark the file starts with (for Excel)', async () => {
    const bytes = await readFile(path.join(dataDir, 'catalogue.csv'));
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    // Excel on Windows needs the mark to read accented text (download-safety.test.ts).
    expect(bom).toBe(true);
    // "utf-8-sig": UTF-8 after the mark, the name Python and frictionless-py give such a file.
    expect((await csvResource()).encoding).toBe('utf-8-sig');
  });

  it.skipIf(!python)('read in Python with the encoding the package gives, the first column is id', async () => {
    // What a data user writes: open the package, open its CSV as the package says, read the rows by column name.
    const script = [
      'import csv, json, os, sys',
      'd = sys.argv[1]',
      "pkg = json.load(open(os.path.join(d, 'datapackage.json'), encoding='utf-8'))",
      "r = next(x for x in pkg['resources'] if x['name'] == 'catalogue')",
      "with open(os.path.join(d, r['path']), encoding=r['encoding'], newline='') as f:",
      '    rows = list(csv.DictReader(f))',
      "print(json.dumps({'columns': list(rows[0].keys()), 'rows': rows}))",
    ].join('\n');
    const ran = spawnSync(python!, ['-c', script, dataDir], { encoding: 'utf8' });
    expect(ran.stderr).toBe('');
    const out = JSON.parse(ran.stdout) as { columns: string[]; rows: Record<string, string>[] };
    const fields = (await csvResource()).schema.fields.map((f) => f.name);
    expect(out.columns).toEqual(fields);
    expect(out.columns[0]).toBe('id');
    expect(out.rows.find((r) => r.id === 'A1')).toMatchObject({ title: 'Vista de Valparaíso', maker: 'Anónimo' });
    expect(out.rows.find((r) => r.id === 'A2')?.title).toBe('Łódź');
  });
});
