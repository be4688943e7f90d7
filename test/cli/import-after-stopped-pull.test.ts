import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { unfinishedCheckoutFile } from '../../pipeline/data/ops.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { solidImage } from '../dataset/fixtures.ts';

/*
 * A reviewer: "data add" puts back the recorded files a stopped pull had not put in data/ yet. An import writes
 * data/ whole from the export, so what it removed (an object deaccessioned) must stay removed, whatever mark a pull
 * stopped long ago left. The mark is written as a stopped pull leaves it.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function vitrine(root: string, args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: root, env: {}, stdout: () => {}, log });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('an import after a pull that was stopped', () => {
  it('keeps the objects it removed out of data.dvc, and clears the mark', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-stopped-pull-'));
    dirs.push(base);
    const root = path.join(base, 'repo');
    await mkdir(path.join(root, 'export', 'images'), { recursive: true });
    const rows = ['id,image,label'];
    for (const [i, colour] of ['#ff0000', '#00ff00', '#0000ff'].entries()) {
      await writeFile(path.join(root, 'export', 'images', `o${i + 1}.png`), await solidImage({ colour }));
      rows.push(`O${i + 1},images/o${i + 1}.png,coin`);
    }
    await writeFile(path.join(root, 'export', 'objects.csv'), `${rows.join('\n')}\n`);
    await writeFile(
      path.join(root, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n' +
        'import:\n  metadata: export/objects.csv\n',
    );
    expect((await vitrine(root, ['data', 'init', '../storage'])).code).toBe(0);
    expect((await vitrine(root, ['import'])).code).toBe(0);

    const mark = unfinishedCheckoutFile(root);
    await mkdir(path.dirname(mark), { recursive: true });
    await writeFile(mark, 'A data pull or checkout of data/ started here and has not finished.\n');
    // O3 is deaccessioned: the next export leaves it out.
    await writeFile(path.join(root, 'export', 'objects.csv'), `${rows.slice(0, 3).join('\n')}\n`);
    const again = await vitrine(root, ['import', '--remove-missing']);
    expect(again.code, again.messages).toBe(0);
    expect(again.messages).not.toContain('put there from the local cache');
    expect(existsSync(path.join(root, 'data', 'images', 'o3.png'))).toBe(false);
    // Two images, data/objects.csv, the table as the import wrote it (data/.imported-objects.csv) and the MD5 of
    // each photograph it stored (data/.imported-photographs.json).
    expect(await readFile(path.join(root, 'data.dvc'), 'utf8')).toMatch(/nfiles: 5\b/);
    expect(existsSync(mark)).toBe(false);
  });
});
