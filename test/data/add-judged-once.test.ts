import { stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { gitIn } from '../fixtures/git.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';

/*
 * Task D23: before data.dvc's first commit, each `data add` read every photograph recorded to judge it (about 15 s
 * for 10,000), though most had been judged readable by the add before. A content judged readable is not read again;
 * one that cannot be read is judged (and said) on each add until it is put right.
 */

let base: string;
let repo: string;
let whole: Buffer;
beforeEach(async () => {
  base = await tempDir('vitrine-add-judged-');
  repo = path.join(base, 'repo');
  whole = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#864' } })
    .jpeg()
    .toBuffer();
  await writeTree(path.join(repo, 'data'), {
    'objects.csv': 'id\nA1\nA2\n',
    'images/A1.jpg': whole,
    'images/A2.jpg': whole,
  });
  await writeFile(path.join(repo, 'params.yaml'), '');
  gitIn({ root: repo })('init', '-q');
});
afterEach(async () => {
  await cleanup(base);
});

async function vitrine(args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: repo, env: {}, stdout: () => {}, log });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('vitrine data add before data.dvc is first committed', () => {
  it('does not read again a photograph whose content an earlier add judged readable', async () => {
    const a1 = path.join(repo, 'data', 'images', 'A1.jpg');
    // A whole second: the same-size rewrite below keeps the very mtime, so the add takes A1 as unchanged.
    await utimes(a1, 1_700_000_000, 1_700_000_000);
    expect((await vitrine(['data', 'init', '../storage'])).code).toBe(0);
    // The first add records (nothing to compare with); the second judges each photograph, none committed yet.
    for (let i = 0; i < 2; i++) expect((await vitrine(['data', 'add'])).messages).not.toMatch(/^warn:/m);
    // The probe: bytes only a read would see (inode, size and mtime as recorded). Read again, it would be said.
    const { ino } = await stat(a1);
    await writeFile(a1, Buffer.alloc(whole.length));
    await utimes(a1, 1_700_000_000, 1_700_000_000);
    expect((await stat(a1)).ino).toBe(ino);
    // A2 cut short: its new content is judged, and said on each add until it is put right.
    await writeFile(path.join(repo, 'data', 'images', 'A2.jpg'), whole.subarray(0, whole.length >> 1));
    for (let i = 0; i < 2; i++) {
      const add = await vitrine(['data', 'add']);
      expect(add.code).toBe(0);
      expect(add.messages).not.toContain('A1.jpg');
      expect(add.messages).toMatch(/warn: data\/images\/A2\.jpg cannot be read as an image/);
    }
  });
});
