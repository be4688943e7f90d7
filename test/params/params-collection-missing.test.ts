import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { paramsProblems } from '../../pipeline/github/guard.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, loadParams, parseParams } from '../../pipeline/params.ts';

/*
 * Tester: deleting "  name: T Semi" from a museum's params.yaml made `vitrine params get collection.name` print
 * "Vitrine Demo Museum" and the catalogue's masthead say so, without a word; deleting the whole vocabulary list
 * (its key line and items) trained the demo's classes (coin, mask, vessel…) and dropped every Jewellery object with
 * warnings that named a vocabulary the file does not have. A params.yaml whose collection section lacks its name or
 * its vocabulary is refused with the lines to add; a missing params.yaml, or one without a collection section (the
 * demo with a setting or two changed), still means the defaults.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A repository folder holding `text` as its params.yaml (none when undefined). */
async function repo(text?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-collection-'));
  dirs.push(dir);
  await mkdir(path.join(dir, '.git'));
  if (text !== undefined) await writeFile(path.join(dir, 'params.yaml'), text);
  return dir;
}

async function refusal(text: string): Promise<unknown> {
  const dir = await repo(text);
  return loadParams({ file: path.join(dir, 'params.yaml') }).catch((e: unknown) => e);
}

// The tester's params.yaml, as `vitrine init` wrote it, with one line or one list deleted.
const MUSEUM = [
  'collection:',
  '  name: T Semi',
  '  vocabulary:',
  '    - Jewellery',
  '    - vessel',
  '    - figurine',
  '  repository: ""',
  '  branch: main',
  'train:',
  '  epochs: 20',
  '',
].join('\n');
const NO_NAME = MUSEUM.replace('  name: T Semi\n', '');
const NO_VOCABULARY = MUSEUM.replace(/ {2}vocabulary:\n( {4}- .*\n)+/, '');

describe('a params.yaml whose collection section lacks its name', () => {
  it('is refused, naming the file, the setting and the line to add', async () => {
    const error = await refusal(NO_NAME);
    expect(isVitrineError(error, 'PARAMS_MISSING')).toBe(true);
    if (!isVitrineError(error)) return;
    expect(error.message).toMatch(/^params\.yaml:1: /);
    expect(error.message).toContain('collection.name');
    expect(error.message).toContain('"Vitrine Demo Museum"');
    expect(error.message).toContain('  name: Your Museum');
    expect(error.data).toMatchObject({ file: 'params.yaml', line: 1, missing: ['name'] });
  });

  it('makes `vitrine params get collection.name` fail instead of printing the demo’s name', async () => {
    const dir = await repo(NO_NAME);
    let stdout = '';
    const log = memoryLogger();
    const code = await main(['params', 'get', 'collection.name'], {
      cwd: dir,
      env: {},
      stdout: (t) => (stdout += t),
      log,
    });
    expect(code).toBe(1);
    expect(stdout).not.toContain('Vitrine Demo Museum');
    expect(log.lines.map((l) => l.message).join('\n')).toContain('  name: Your Museum');
  });
});

describe('a params.yaml whose collection section lacks its vocabulary', () => {
  it('is refused, saying the demo’s labels would be trained, with the lines to add', async () => {
    const error = await refusal(NO_VOCABULARY);
    expect(isVitrineError(error, 'PARAMS_MISSING')).toBe(true);
    if (!isVitrineError(error)) return;
    expect(error.message).toMatch(/^params\.yaml:1: /);
    expect(error.message).toContain('collection.vocabulary');
    expect(error.message).toContain('coin, figurine, mask, print, textile, vessel');
    expect(error.message).toContain('  vocabulary: [');
    expect(error.data).toMatchObject({ missing: ['vocabulary'] });
  });

  it('is refused when both are missing, naming both, with the section’s own indent', async () => {
    const error = await refusal('collection:\n    branch: main\ntrain:\n    epochs: 20\n');
    expect(isVitrineError(error, 'PARAMS_MISSING')).toBe(true);
    if (!isVitrineError(error)) return;
    expect(error.data).toMatchObject({ missing: ['name', 'vocabulary'] });
    expect(error.message).toContain('neither collection.name nor collection.vocabulary');
    expect(error.message).toContain('    name: Your Museum');
    expect(error.message).toContain('    vocabulary: [');
  });

  it('is refused by the pull-request check as a run refuses it', () => {
    const problems = paramsProblems({ head: NO_VOCABULARY, base: MUSEUM });
    expect(problems.join('\n')).toContain('collection.vocabulary');
  });
});

describe('params.yaml files that still mean the defaults', () => {
  it('a missing params.yaml means every default', async () => {
    const dir = await repo();
    const params = await loadParams({ file: path.join(dir, 'params.yaml') });
    expect(params.collection).toEqual(defaultParams().collection);
  });

  it('a params.yaml without a collection section (the demo, one setting changed) takes the demo’s collection', async () => {
    const dir = await repo('train:\n  epochs: 5\n');
    const params = await loadParams({ file: path.join(dir, 'params.yaml') });
    expect(params.train.epochs).toBe(5);
    expect(params.collection.vocabulary).toEqual(defaultParams().collection.vocabulary);
  });

  it('a whole collection section is read as written', async () => {
    const dir = await repo(MUSEUM);
    const params = await loadParams({ file: path.join(dir, 'params.yaml') });
    expect(params.collection.name).toBe('T Semi');
    expect(params.collection.vocabulary).toEqual(['Jewellery', 'vessel', 'figurine']);
  });

  it('parseParams, for text that is not a run’s params.yaml, still fills them in', () => {
    expect(parseParams({ text: NO_VOCABULARY, name: 'params.yaml' }).collection.vocabulary).toEqual(
      defaultParams().collection.vocabulary,
    );
  });
});
