import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { loadParams } from '../../pipeline/params.ts';

/*
 * params.yaml replaced by a folder (an unzipped download, a mistyped `mkdir`): Node's read of a folder
 * fails with EISDIR and names no path, so the message could not say which file. loadParams says it.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('params.yaml that is a folder', () => {
  it('is a typed error naming params.yaml and saying it is a folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-folder-'));
    dirs.push(dir);
    const file = path.join(dir, 'params.yaml');
    await mkdir(file);
    const error = await loadParams({ file }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'PARAMS_IS_FOLDER')).toBe(true);
    if (!isVitrineError(error)) return;
    expect(error.message).toBe(
      'params.yaml is a folder, not a file: Vitrine reads its settings from a file of that name. Move the ' +
        'folder away (or rename it) and run again; without params.yaml, Vitrine uses its default settings.',
    );
    expect(error.data).toMatchObject({ file: 'params.yaml' });
  });

  it('uses the name the caller gives the file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-folder-'));
    dirs.push(dir);
    const file = path.join(dir, 'params.yaml');
    await mkdir(file);
    const error = await loadParams({ file, name: 'museum/params.yaml' }).catch((e: unknown) => e);
    expect(isVitrineError(error) && error.message).toMatch(/^museum\/params\.yaml is a folder, not a file: /);
  });
});
