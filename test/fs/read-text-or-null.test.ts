import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonOrNull } from '../../pipeline/catalogue/read.ts';
import { datasetFile, readDataset, readShownDataset } from '../../pipeline/dataset/read.ts';
import { readTextOrNull } from '../../pipeline/fs.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Reading a file that a stage may not have written yet: its text, or null when it is not there; any other failure (a
 * folder in its place, no right to read it) is thrown, not taken for "not written yet". One reader (pipeline/fs.ts)
 * for the catalogue's inputs (readJsonOrNull) and the dataset the catalogue and the report show (readShownDataset),
 * each keeping its own words for a file that is not JSON. Real files in a temp folder.
 */

describe('readTextOrNull', () => {
  it('gives the text of a file, null when it is missing, and throws for a folder in its place', async () => {
    const dir = await tempDir('vitrine-read-text-');
    await writeFile(path.join(dir, 'a.json'), '{"é": 1}\n');
    await mkdir(path.join(dir, 'folder'));
    expect(await readTextOrNull({ file: path.join(dir, 'a.json') })).toBe('{"é": 1}\n');
    expect(await readTextOrNull({ file: path.join(dir, 'missing.json') })).toBeNull();
    await expect(readTextOrNull({ file: path.join(dir, 'folder') })).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

describe('the readers built on it keep their own words', () => {
  it('readJsonOrNull: null when missing, CATALOGUE_INPUT_JSON naming the file when not JSON, a folder thrown', async () => {
    const dir = await tempDir('vitrine-read-json-');
    const file = path.join(dir, 'versions.json');
    expect(await readJsonOrNull({ file })).toBeNull();
    await writeFile(file, '[{"version": "v1.0.0"}]');
    expect(await readJsonOrNull({ file })).toEqual([{ version: 'v1.0.0' }]);
    await writeFile(file, '[{"version": ');
    const error = await readJsonOrNull({ file }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CATALOGUE_INPUT_JSON', data: { file } });
    const message = (error as Error).message;
    expect(message.startsWith(`${file}: this file is not valid JSON (`), message).toBe(true);
    expect(message.endsWith('); rerun the stage that writes it'), message).toBe(true);
    await mkdir(path.join(dir, 'folder.json'));
    await expect(readJsonOrNull({ file: path.join(dir, 'folder.json') })).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('readShownDataset: null when missing or without objects, DATASET_DAMAGED when not JSON', async () => {
    const ws = workspace(await tempDir('vitrine-read-shown-'));
    expect(await readShownDataset({ ws })).toBeNull();
    // readDataset, which the other stages need, refuses a missing one.
    const missing = await readDataset({ ws }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'DATASET_MISSING', data: { file: '.vitrine/dataset/dataset.json' } });
    expect((missing as Error).message).toBe(
      '.vitrine/dataset/dataset.json does not exist: run "vitrine dataset" first.',
    );
    await mkdir(path.dirname(datasetFile(ws)), { recursive: true });
    await writeFile(datasetFile(ws), '{"schema": "vitrine.dataset/1"}');
    expect(await readShownDataset({ ws })).toBeNull();
    await writeFile(datasetFile(ws), '{"schema": ');
    const error = await readShownDataset({ ws }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATASET_DAMAGED', data: { file: '.vitrine/dataset/dataset.json' } });
    const message = (error as Error).message;
    expect(message.startsWith('.vitrine/dataset/dataset.json is damaged (not valid JSON: '), message).toBe(true);
    expect(
      message.endsWith(
        '), perhaps by a run that was stopped or a full disk. Build it again with "vitrine run dataset --force".',
      ),
      message,
    ).toBe(true);
  });
});
