import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isVitrineError } from '../../pipeline/errors.ts';
import { defaultParams, loadParams, validateParams } from '../../pipeline/params.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadText(text: string) {
  const file = path.join(dir, 'params.yaml');
  await writeFile(file, text);
  return loadParams({ file });
}

async function errorOf(text: string): Promise<string> {
  try {
    await loadText(text);
  } catch (error) {
    if (isVitrineError(error)) return error.message;
    throw error;
  }
  throw new Error('expected params to be refused');
}

function keysOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

describe('params.yaml validation', () => {
  it('fills every missing key with its default', async () => {
    const params = await loadText('train:\n  epochs: 5\n');
    expect(params.train.epochs).toBe(5);
    expect(params.train.batch_size).toBe(defaultParams().train.batch_size);
    expect(params.collection.vocabulary.length).toBeGreaterThan(1);
  });

  it('treats a missing file as all defaults', async () => {
    expect(await loadParams({ file: path.join(dir, 'nope.yaml') })).toEqual(defaultParams());
  });

  it('names an unknown key with its line and the allowed keys', async () => {
    const message = await errorOf('train:\n  epochs: 5\n  epoch: 3\n');
    expect(message).toContain('params.yaml:3');
    expect(message).toContain('unknown key "train.epoch"');
    expect(message).toContain('epochs');
  });

  it('names a wrong type with the key, the value and what was expected', async () => {
    const message = await errorOf('dataset:\n  split:\n    test: lots\n');
    expect(message).toMatch(/params\.yaml:3: "dataset\.split\.test" is "lots", expected a number/);
  });

  it('lists the allowed values of a choice', async () => {
    expect(await errorOf('train:\n  backend: gpu\n')).toContain(
      '"train.backend" is "gpu", expected one of "auto", "tensorflow", "wasm", "cpu"',
    );
  });

  it('checks ranges and list sizes', async () => {
    expect(await errorOf('collection:\n  vocabulary: [coin]\n')).toContain('expected at least 2 items');
    expect(await errorOf('dataset:\n  split:\n    validation: 1.5\n')).toContain('expected at most 1');
  });

  it('refuses a repeated label and splits that leave nothing to train on', async () => {
    expect(await errorOf('collection:\n  vocabulary: [coin, coin, mask]\n')).toContain(
      '"collection.vocabulary" is ["coin","coin","mask"], expected each label once',
    );
    expect(await errorOf('dataset:\n  split:\n    test: 0.6\n    validation: 0.6\n')).toContain(
      'expected validation and test together below 0.9',
    );
    // Tester: test 0 was accepted, and every model was then "scored" 0.000 on no objects.
    expect(await errorOf('dataset:\n  split:\n    test: 0\n')).toContain(
      '"dataset.split.test" is 0, expected more than 0: the model is scored on the test objects',
    );
  });

  it('reports every problem at once', async () => {
    const message = await errorOf('train:\n  epochs: x\n  seed: y\n');
    expect(message).toContain('train.epochs');
    expect(message).toContain('train.seed');
  });

  it('names the line of broken YAML', async () => {
    expect(await errorOf('train:\n  epochs: [1, 2\n')).toMatch(/params\.yaml(:\d+)?: not valid YAML/);
  });

  it('says in plain words what is wrong with a line whose indentation or colon slipped, and which line', async () => {
    // An outside tester got YAML's own words: "Nested mappings are not allowed in compact mappings".
    const short = await errorOf('evaluate:\n  folds: 5\n bootstrap: 1000\n  factors: []\n');
    expect(short).toContain('params.yaml:3: this line starts with 1 space');
    expect(short).toContain('start it with the same spaces as the settings around it');
    expect(short).not.toContain('compact mappings');
    const deep = await errorOf('evaluate:\n  folds: 5\n   bootstrap: 1000\n');
    expect(deep).toContain('params.yaml:3: this line starts with 3 spaces');
    const colon = await errorOf('train:\n  epochs: 5\n  seed 42\n  l2_choices: [0.1]\n');
    expect(colon).toContain('params.yaml:3: "seed 42" has no colon: write it as seed: 42');
    const top = await errorOf('train:\n  epochs: 5\nseed 42\n');
    expect(top).toContain('params.yaml:3: "seed 42" has no colon');
  });

  it('blames the slipped line, not the text of a block, a continued value, an anchor’s section or a list item', async () => {
    // A reviewer: each of these blamed a valid line (and advised "write it as Vitrine: Demo Museum").
    const cases: [string, string][] = [
      [
        'collection:\n  name: |\n    Vitrine Demo Museum\n    second line\n bad: 1\n  branch: main\n',
        ':5: this line starts',
      ],
      ['collection:\n  name: >\n    Vitrine Demo\n  branch main\n', ':4: "branch main" has no colon'],
      ['collection:\n  name: Vitrine Demo\n    Museum of Art\n  branch main\n', ':4: "branch main" has no colon'],
      ['train: &defaults\n  epochs: 5\n seed: 3\n', ':3: this line starts with 1 space'],
      ['collection:\n  vocabulary:\n    - coin\n   - mask\n    - print\n', ':4: this line starts with 3 spaces'],
    ];
    for (const [text, said] of cases) expect(await errorOf(text), text).toContain(`params.yaml${said}`);
    // Every line of the repository's own params.yaml, moved one space in or out, or without its colon, is the line
    // named, or YAML's own words are given.
    const file = await readFile(path.resolve(import.meta.dirname, '..', '..', 'params.yaml'), 'utf8');
    const lines = file.split('\n');
    const wrong: string[] = [];
    for (const [i, line] of lines.entries()) {
      if (!line.trim() || line.trim().startsWith('#')) continue;
      const variants = [` ${line}`, ...(line.startsWith(' ') ? [line.slice(1)] : [])];
      const setting = /^(\s*)([\w.-]+):(\s+)(\S.*)$/.exec(line);
      if (setting && !setting[4]!.startsWith('#')) variants.push(`${setting[1]}${setting[2]} ${setting[4]}`);
      for (const variant of variants) {
        const message = await errorOf(lines.with(i, variant).join('\n')).catch(() => '');
        const named = /^params\.yaml:(\d+): (this line starts|"[^"]*" has no colon)/.exec(message);
        if (named && Number(named[1]) !== i + 1) wrong.push(`${i + 1} ${JSON.stringify(variant)}: ${message}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('accepts the repository params.yaml, which lists every key with its default', async () => {
    const file = path.resolve(import.meta.dirname, '..', '..', 'params.yaml');
    const raw = parse(await readFile(file, 'utf8'));
    expect(() => validateParams({ raw })).not.toThrow();
    expect(keysOf(raw).sort()).toEqual(keysOf(defaultParams()).sort());
  });
});
