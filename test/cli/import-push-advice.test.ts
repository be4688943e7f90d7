import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { solidImage } from '../dataset/fixtures.ts';

/*
 * A re-import tester: every import ended "run "npx vitrine data push" to send them to the remote", also after an
 * import that brought nothing the remote lacked. The push is now advised only when the remote may lack the images
 * (the data layer's own record of what was sent), as `vitrine data add` already did.
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

describe('the push advice at the end of an import', () => {
  it('is given while the remote lacks the images, and not after they were sent', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-push-'));
    dirs.push(base);
    const root = path.join(base, 'repo');
    await mkdir(path.join(root, 'export', 'images'), { recursive: true });
    const rows = ['id,image,label'];
    for (const [i, colour] of ['#ff0000', '#00ff00'].entries()) {
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

    const first = await vitrine(root, ['import']);
    expect(first.code, first.messages).toBe(0);
    expect(first.messages).toContain('data push');
    expect((await vitrine(root, ['data', 'push'])).code).toBe(0);

    const again = await vitrine(root, ['import']);
    expect(again.code, again.messages).toBe(0);
    expect(again.messages).toContain('Imported 2 objects');
    expect(again.messages).not.toContain('data push');
  });
});
