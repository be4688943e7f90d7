import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { keepBaseGate } from '../../pipeline/github/base-gate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * keepBaseGate: the pull-request workflow for code (the head's checkout) gets the base branch's settings that
 * decide the verdict back in params.yaml before the stages run. The workflow end to end: test/workflows/code-pr-gate.
 */

const BASE = 'train:\n  epochs: 80\ngate:\n  min_macro_f1: 0.5\n';

/** A repository with `base` as params.yaml on main (null: none) and `head` in the working tree. */
async function repo({ base, head }: { base: string | null; head: string }): Promise<string> {
  const dir = await tempDir('vitrine-base-gate-');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  await writeFile(path.join(dir, 'README.md'), 'A collection.\n');
  if (base !== null) await writeFile(path.join(dir, 'params.yaml'), base);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'head');
  await writeFile(path.join(dir, 'params.yaml'), head);
  return dir;
}

describe("keepBaseGate (the base's gate in a pull request's own checkout)", () => {
  it("puts the base's gate back and returns what the head proposes", async () => {
    const dir = await repo({ base: BASE, head: BASE.replace('0.5', '0').replace('80', '12') });
    const log = memoryLogger();
    const { changes } = await keepBaseGate({ root: dir, baseRef: 'main', log });
    expect(changes).toEqual([{ key: 'gate.min_macro_f1', base: 0.5, head: 0 }]);
    expect(parse(await readFile(path.join(dir, 'params.yaml'), 'utf8'))).toEqual({
      train: { epochs: 12 },
      gate: { min_macro_f1: 0.5 },
    });
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/judged by the values at main/);
  });

  it("takes the defaults as the base's gate when the base has no params.yaml", async () => {
    const dir = await repo({ base: null, head: 'gate:\n  min_macro_f1: 0\n' });
    const { changes } = await keepBaseGate({ root: dir, baseRef: 'main', log: memoryLogger() });
    expect(changes).toEqual([{ key: 'gate.min_macro_f1', base: 0.5, head: 0 }]);
  });

  it('leaves a params.yaml that does not validate to the pipeline, which says what to fix', async () => {
    const head = 'gate:\n  min_macro_f1: lots\n';
    const dir = await repo({ base: BASE, head });
    const log = memoryLogger();
    expect(await keepBaseGate({ root: dir, baseRef: 'main', log })).toEqual({ changes: [], baseCommit: null });
    expect(await readFile(path.join(dir, 'params.yaml'), 'utf8')).toBe(head);
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/params.yaml is left as it is/);
  });

  it('fails, rather than judging by the head, when the base cannot be found', async () => {
    const head = 'gate:\n  min_macro_f1: 0\n';
    const dir = await repo({ base: BASE, head });
    await expect(keepBaseGate({ root: dir, baseRef: 'release', log: memoryLogger() })).rejects.toMatchObject({
      code: 'REPORT_BASE_FETCH_FAILED',
    });
    expect(await readFile(path.join(dir, 'params.yaml'), 'utf8')).toBe(head);
  });
});
