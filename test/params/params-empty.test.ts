import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { loadParams, parseParams } from '../../pipeline/params.ts';

/*
 * Tester s25 #4: a vocabulary with "coin" and "Coin" is refused as an exact repeat is. An existing params.yaml
 * that holds no settings (empty, only comments) is refused: it silently meant every default, the demo's name and
 * vocabulary. A missing params.yaml still means the defaults.
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

  // A collection section must name its collection and labels (params-collection-missing.test.ts).
  it('a params.yaml with one setting outside the collection section is read, the rest defaults', async () => {
    const params = await loadParams({ file: await paramsFile('train:\n  epochs: 5\n') });
    expect(params.train.epochs).toBe(5);
    expect(params.collection.name).toBe('Vitrine Demo Museum');
  });
});

describe('params.yaml that exists but holds no settings', () => {
  it.each([
    ['empty', ''],
    ['blank lines', '\n  \n'],
    ['only comments', '# the settings\n# collection:\n#   name: Town Museum\n'],
    ['only a document start', '---\n'],
    ['an empty mapping', '{}\n'],
  ])('is refused when %s, naming the file and what to do', async (_, text) => {
    const error = await loadParams({ file: await paramsFile(text) }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'PARAMS_EMPTY')).toBe(true);
    if (!isVitrineError(error)) return;
    expect(error.message).toMatch(/^params\.yaml holds no settings/);
    expect(error.message).toContain('vitrine init');
    expect(error.message).toContain('collection:');
  });

  it('names the file as the caller calls it', async () => {
    const error = await loadParams({ file: await paramsFile(''), name: 'museum/params.yaml' }).catch((e: unknown) => e);
    expect(
      isVitrineError(error, 'PARAMS_EMPTY') && error.message.startsWith('museum/params.yaml holds no settings'),
    ).toBe(true);
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
