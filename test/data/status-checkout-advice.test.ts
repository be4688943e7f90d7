import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Tester: "data status" advised "npx vitrine data checkout" to go back, and that checkout then refused
 * (a changed file whose content is nowhere else) or kept the added files. The advice names the command that
 * works as typed: with --force when it is needed, saying what --force deletes and overwrites.
 */

let repo: string;
beforeEach(async () => {
  repo = await tempDir('vitrine-status-checkout-');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await writeFile(
    path.join(repo, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(repo);
});

async function vitrine(...argv: string[]): Promise<{ code: number; text: string }> {
  const log = memoryLogger();
  const printed: string[] = [];
  const code = await main(argv, { cwd: repo, env: {}, stdout: (t) => printed.push(t), log });
  return { code, text: [...printed, ...log.lines.map((l) => l.message)].join('\n') };
}

/** The checkout command "data status" advises to go back, run as typed; then status again. */
async function followAdvice(): Promise<{ advice: string; after: string; said: string }> {
  const { text } = await vitrine('data', 'status');
  const advice = /"npx vitrine (data checkout[^"]*)" to go back/.exec(text)?.[1];
  expect(advice, text).toBeDefined();
  const { code, text: said } = await vitrine(...advice!.split(' '));
  expect(code, said).toBe(0);
  return { advice: advice!, after: (await vitrine('data', 'status')).text, said: text };
}

describe('"data status" advises the checkout that works', () => {
  it('a changed file whose new content is nowhere else: --force, saying it overwrites the change', async () => {
    await writeFile(path.join(repo, 'data', 'objects.csv'), 'id,title\nA1,Bowl (edited)\n');
    const { advice, after, said } = await followAdvice();
    expect(advice).toBe('data checkout --force');
    expect(said).toMatch(/overwrites the 1 changed file/);
    expect(after).toContain('data/ matches data.dvc');
  });

  it('an added file: --force, saying it deletes it', async () => {
    await writeFile(path.join(repo, 'data', 'images', 'A9.png'), 'a new photograph');
    const { advice, after, said } = await followAdvice();
    expect(advice).toBe('data checkout --force');
    expect(said).toMatch(/deletes the 1 added file/);
    expect(after).toContain('data/ matches data.dvc');
  });

  it('a changed file whose content is in the cache (an earlier version) is overwritten by a plain checkout', async () => {
    await writeFile(path.join(repo, 'data', 'objects.csv'), SAMPLE['images/A1.png']!);
    const { advice, after } = await followAdvice();
    expect(advice).toBe('data checkout');
    expect(after).toContain('data/ matches data.dvc');
  });

  it('only removed files: a plain checkout brings them back', async () => {
    await rm(path.join(repo, 'data', 'images', 'A1.png'));
    const { advice, after } = await followAdvice();
    expect(advice).toBe('data checkout');
    expect(after).toContain('data/ matches data.dvc');
  });
});
