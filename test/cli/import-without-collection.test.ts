import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * A reviewer: `vitrine import --metadata` into a params.yaml of import.columns alone (docs/import.md's examples, a
 * file without a collection section) imported under the demo's name and labels, then wrote import.metadata into
 * params.yaml: from then on every command, even `vitrine params`, refused the file ("the section was deleted"). An
 * import that will record its export refuses such a file first, before it changes anything.
 */

let root: string;
let museum: string;
let exported: string;

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
const COLUMNS = 'import:\n  columns:\n    id: number\n    image: file\n    label: kind\n';

async function vitrine(args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: museum, env: {}, stdout: () => {}, log, interactive: false });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-no-collection-'));
  exported = path.join(root, 'export');
  await mkdir(exported);
  const rows = [
    ['C1', 'C1.jpg', 'coin'],
    ['V1', 'V1.jpg', 'vessel'],
  ];
  for (const [id, file] of rows) await writeFile(path.join(exported, file!), Buffer.concat([JPEG, Buffer.from(id!)]));
  await writeFile(path.join(exported, 'objects.csv'), stringify([['number', 'file', 'kind'], ...rows]));
  museum = path.join(root, 'museum');
  await mkdir(museum);
  await writeFile(path.join(museum, 'params.yaml'), COLUMNS);
  const remote = await vitrine(['data', 'init', path.join(root, 'storage')]);
  expect(remote.code, remote.messages).toBe(0);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('vitrine import --metadata into a params.yaml without a collection section', () => {
  it('is refused before anything changes, saying what to add, and leaves every command working', async () => {
    const refused = await vitrine(['import', '--metadata', path.join(exported, 'objects.csv')]);
    expect(refused.code).toBe(1);
    expect(refused.messages).toContain('params.yaml has no collection section');
    expect(refused.messages).toContain('Nothing was imported');
    expect(refused.messages).toContain('collection:\n  name: Your Museum\n  vocabulary: [coin, mask]');
    expect(await readFile(path.join(museum, 'params.yaml'), 'utf8')).toBe(COLUMNS);
    expect(await stat(path.join(museum, 'data', 'objects.csv')).catch(() => null)).toBeNull();
    expect(await stat(path.join(museum, 'labels.csv')).catch(() => null)).toBeNull();
    // The file is still read by every command: nothing was recorded in it.
    expect((await vitrine(['params', 'get', 'import.columns.id'])).code).toBe(0);

    await writeFile(
      path.join(museum, 'params.yaml'),
      `collection:\n  name: T Semi\n  vocabulary: [coin, vessel]\n${COLUMNS}`,
    );
    const imported = await vitrine(['import', '--metadata', path.join(exported, 'objects.csv')]);
    expect(imported.code, imported.messages).toBe(0);
    expect(await readFile(path.join(museum, 'params.yaml'), 'utf8')).toMatch(/metadata: .*objects\.csv/);
    const name = await vitrine(['params', 'get', 'collection.name']);
    expect(name.code, name.messages).toBe(0);
  });
});
