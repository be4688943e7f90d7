import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localRemote } from '../../pipeline/data/remote.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { manifestOf, pushFiles } from '../../pipeline/registry/store.ts';

/*
 * Helper F2 (7 December 2026): a folder remote's copy cut short (a copy stopped half-way, a disk that filled) counts as
 * not there for the data layer since remotes compare sizes, but the registry asked the remote without the size, so a
 * promoted model's weights cut short on the remote were never sent again, and a runner restoring that version got a
 * damaged model.
 */

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-model-cut-short-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('pushing a model’s files to a folder remote', () => {
  it('sends again a file whose copy on the remote was cut short', async () => {
    const model = path.join(root, 'model');
    await mkdir(model);
    await writeFile(path.join(model, 'model.json'), '{"format":"layers-model"}');
    await writeFile(path.join(model, 'weights.bin'), Buffer.alloc(4096, 7));
    const manifest = await manifestOf({ dir: model });
    const store = path.join(root, 'remote');
    await mkdir(store);
    const remote = localRemote({ name: 'storage', dir: store });
    expect(await pushFiles({ dir: model, manifest, remote, log: silentLogger })).toEqual({ sent: 2, present: 0 });

    const weights = manifest.files.find((f) => f.relpath === 'weights.bin')!;
    const copy = path.join(store, 'files', 'md5', weights.md5.slice(0, 2), weights.md5.slice(2));
    await chmod(copy, 0o644);
    await writeFile(copy, Buffer.alloc(1000, 7));

    expect(await pushFiles({ dir: model, manifest, remote, log: silentLogger })).toEqual({ sent: 1, present: 1 });
    expect((await stat(copy)).size).toBe(4096);
    expect(await readFile(copy)).toEqual(Buffer.alloc(4096, 7));
  });
});
