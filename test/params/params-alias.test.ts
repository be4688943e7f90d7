import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { loadParams } from '../../pipeline/params.ts';

/*
 * A tester's params.yaml with nested anchors and aliases (an "alias bomb", a billion laughs) made loadParams throw
 * the yaml library's ReferenceError, shown as "a bug in Vitrine". It failed before the fix.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-alias-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A YAML document whose aliases expand to 9^depth copies of one string. */
function aliasBomb(depth = 8): string {
  const lines = ['a0: &a0 ["lol"]'];
  for (let i = 1; i <= depth; i++)
    lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\ntrain:\n  epochs: 5\n`;
}

describe('params.yaml whose aliases expand too far', () => {
  it('is a typed params error naming params.yaml, in plain words', async () => {
    const file = path.join(dir, 'params.yaml');
    await writeFile(file, aliasBomb());
    let caught: unknown;
    try {
      await loadParams({ file });
    } catch (error) {
      caught = error;
    }
    expect(isVitrineError(caught, 'PARAMS_YAML')).toBe(true);
    const message = (caught as Error).message;
    expect(message).toMatch(/^params\.yaml: /);
    expect(message).toContain('aliases');
    expect(message).toContain('anchors');
    expect(message).toMatch(/remove/i);
  });
});
