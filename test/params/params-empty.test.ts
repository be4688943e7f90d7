import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { loadParams, parseParams } from '../../pipeline/params.ts';

/*
 * Tester s25 #4: a vocabulary with "coin" and "Coin" is refused as an exact repeat is. (Refusing an emptied
 * params.yaml was written and taken back: about 15 test files use an empty or comments-only params.yaml as a
 * repository marker; see the report.) A missing params.yaml still means the defaults.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function paramsFile(text?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-empty-'));
  dirs.push(dir);
  const file = path.join(dir, 'params.yaml');
  if (text !== undefined) await writeFile(file, text);
  return file;
}

describe('params.yaml missing or with few settings', () => {
  it('a missing params.yaml still means every default', async () => {
    const params = await loadParams({ file: await paramsFile() });
    expect(params.collection.name).toBe('Vitrine Demo Museum');
  });

  it('a params.yaml with one setting is read, the rest defaults', async () => {
    const params = await loadParams({ file: await paramsFile('collection:\n  name: Town Museum\n') });
    expect(params.collection.name).toBe('Town Museum');
  });
});

describe('collection.vocabulary with two labels that differ only in capitals', () => {
  it('is refused with a plain reason, as an exact repeat is', () => {
    const error = (() => {
      try {
        return parseParams({ text: 'collection:\n  vocabulary: [coin, mask, Coin]\n', name: 'params.yaml' });
      } catch (e) {
        return e;
      }
    })();
    expect(isVitrineError(error, 'PARAMS_INVALID')).toBe(true);
    if (!isVitrineError(error)) return;
    expect(error.message).toContain('params.yaml:2');
    expect(error.message).toContain('"coin" and "Coin"');
    expect(error.message).toContain('differ only in capitals');
  });
});
