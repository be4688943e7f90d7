import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { loadParams } from '../../pipeline/params.ts';

/*
 * A tester's params.yaml mistakes: a vocabulary entry with a space (`- " NGA"`) was accepted and then matched
 * no label (labels.csv cells are read trimmed); a key written twice gave a message cut off at its colon. Each
 * case failed before its fix.
 */

const REPO = path.resolve(import.meta.dirname, '..', '..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-input-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(text: string): Promise<string> {
  const file = path.join(dir, 'params.yaml');
  await writeFile(file, text);
  try {
    await loadParams({ file });
  } catch (error) {
    if (isVitrineError(error)) return error.message;
    throw error;
  }
  throw new Error('expected params to be refused');
}

describe('params.yaml input mistakes', () => {
  it('refuses a vocabulary label with spaces around it, naming the key and the line', async () => {
    const message = await errorOf('collection:\n  vocabulary:\n    - Met\n    - " NGA"\n    - Chicago\n');
    expect(message).toMatch(
      /^ *params\.yaml:4: "collection\.vocabulary\.1" is " NGA", expected "NGA", without spaces/m,
    );
    expect(message).toContain('"NGA"');
  });

  it('names a key written twice and ends its sentence', async () => {
    const text = (await readFile(path.join(REPO, 'params.yaml'), 'utf8')).replace(
      /^( {2}epochs: \d+\n)/m,
      '$1  epochs: 40\n',
    );
    const line = text.split('\n').indexOf('  epochs: 40') + 1;
    const message = await errorOf(text);
    expect(message).toBe(`params.yaml:${line}: train.epochs appears twice: keep one of the two lines.`);
    expect(await errorOf('train:\n  epochs: 1\ntrain:\n  seed: 3\n')).toBe(
      'params.yaml:3: train appears twice: put its keys under one "train:".',
    );
  });
});
