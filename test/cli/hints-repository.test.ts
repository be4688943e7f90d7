import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { SAMPLE, writeTree } from '../data/helpers.ts';

/*
 * A repository made by init elsewhere runs Vitrine from Vitrine's folder with -C: a bare `npx vitrine` typed
 * in the museum's repository fetches whatever npm package is called vitrine. The next steps a message
 * suggests carry the same -C, as the user typed it.
 */

let parent: string;
beforeAll(async () => {
  parent = await mkdtemp(path.join(os.tmpdir(), 'vitrine-hints-'));
  await mkdir(path.join(parent, 'our museum'));
  await writeFile(
    path.join(parent, 'our museum', 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  await mkdir(path.join(parent, 'm1'));
  await writeFile(
    path.join(parent, 'm1', 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log });
  return { code, messages: log.lines.map((l) => l.message).join('\n') };
}

describe('next steps with -C', () => {
  it('data status gives its advice with the -C, as data pull gives the same advice', async () => {
    const root = path.join(parent, 'status-c');
    await writeTree(path.join(root, 'data'), SAMPLE);
    await initData({ root, remoteUrl: '../storage-status-c' });
    await addData({ root, log: silentLogger });
    await writeFile(path.join(root, 'data', 'images', 'A1.png'), 'changed');
    await writeFile(path.join(root, 'data', 'images', 'new.png'), 'added');
    const printed: string[] = [];
    const code = await main(['-C', 'status-c', 'data', 'status'], {
      cwd: parent,
      env: {},
      stdout: (t) => printed.push(t),
      log: memoryLogger(),
    });
    expect(code).toBe(0);
    const text = printed.join('');
    expect(text).toContain(
      'Run "npx vitrine -C status-c data add" to record it, or "npx vitrine -C status-c data checkout --force"',
    );
    expect(text).not.toMatch(/npx vitrine (?!-C status-c )/);
  });

  it('serve before any build names the repository the user named', async () => {
    const result = await vitrine(['-C', 'm1', 'serve'], parent);
    expect(result.code).toBe(1);
    expect(result.messages).toContain('Run "npx vitrine -C m1 catalogue" first.');
  });

  it('quotes a path with a space, and keeps --cwd= as a -C', async () => {
    const result = await vitrine(['serve', '--cwd=our museum'], parent);
    expect(result.messages).toContain(`Run "npx vitrine -C 'our museum' catalogue" first.`);
  });

  it('a bare quoted "vitrine <command>" is typed with npx and carries the -C too; prose about Vitrine does not', async () => {
    const result = await vitrine(['-C', 'm1', 'review'], parent);
    expect(result.messages).toContain('"npx vitrine -C m1 run evaluate"');
    expect(result.messages).not.toMatch(/"vitrine run|(?<!npx )vitrine -C/);
  });

  it('a "(vitrine run train)" in brackets is typed with npx and carries the -C too', async () => {
    const m2 = path.join(parent, 'm2');
    await mkdir(m2);
    await writeFile(
      path.join(m2, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: m2 });
    const result = await vitrine(['-C', 'm2', 'run', 'promote', '--single'], parent);
    expect(result.messages).toMatch(/\(npx vitrine -C m2 run (evaluate|train)\)/);
  });

  it('init, whose own messages lack -C, names the folder it was given (once)', async () => {
    const result = await vitrine(['init', '-C', 'newmuseum'], parent);
    expect(result.messages).toContain('npx vitrine -C newmuseum init --from');
    expect(result.messages).not.toMatch(/-C newmuseum -C/);
  });

  it('without -C the hint is unchanged', async () => {
    const result = await vitrine(['serve'], path.join(parent, 'm1'));
    expect(result.messages).toContain('Run "npx vitrine catalogue" first.');
  });
});
