import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * Tester, 2026-12-02: a partial export removed the whole collection. Import now refuses such a removal
 * (test/collection/import-partial.test.ts); the command line's `--remove-missing` confirms it. The refusal
 * named the flag before the command line accepted it (exit 2, "unknown option").
 */

let repo: string;
beforeAll(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-remove-'));
  await mkdir(path.join(repo, 'export'), { recursive: true });
  await writeFile(
    path.join(repo, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n' +
      'import:\n  metadata: export/objects.csv\n',
  );
  const rows = Array.from({ length: 12 }, (_, i) => `A${i + 1},,coin`);
  await writeFile(path.join(repo, 'export', 'objects.csv'), `id,image,label\n${rows.join('\n')}\n`);
  await writeFile(path.join(repo, 'export', 'additions.csv'), 'id,image,label\nB1,,coin\n');
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

async function vitrine(args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: repo, env: {}, stdout: () => {}, log });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('vitrine import of an export that leaves out most of the collection', () => {
  it('refuses (exit 1) naming --remove-missing, which then takes it', async () => {
    expect((await vitrine(['import'])).code).toBe(0);
    const before = await readFile(path.join(repo, 'data', 'objects.csv'), 'utf8');
    const refused = await vitrine(['import', '--metadata', 'export/additions.csv']);
    expect(refused.code, refused.messages).toBe(1);
    expect(refused.messages).toMatch(/12 of the 12 objects/);
    expect(refused.messages).toContain('--remove-missing');
    expect(await readFile(path.join(repo, 'data', 'objects.csv'), 'utf8')).toBe(before);
    const taken = await vitrine(['import', '--metadata', 'export/additions.csv', '--remove-missing']);
    expect(taken.code, taken.messages).toBe(0);
    const after = await readFile(path.join(repo, 'data', 'objects.csv'), 'utf8');
    expect(after).toContain('B1');
    expect(after).not.toContain('A1,');
  });
});
