import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyEgyptExport } from '../cli/egypt-export.ts';
import { runCli } from '../cli/run-cli.ts';
import { gitIn } from '../fixtures/git.ts';

/*
 * A tester emptied params.yaml (`: > params.yaml`) in a museum made by init, then ran `npx vitrine params`: the
 * refusal said to run `npx vitrine -C ../museum init` to write one, and init refused ("params.yaml already exists").
 * An existing params.yaml with no settings is still refused (a missing one means the defaults), but the advice is
 * what works in that folder: restore the committed one, or, where there is no collection yet, delete it and init.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-empty-advice-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const vitrine = (args: string[], cwd: string) => runCli(cwd, args, { interactive: false });

const SETTINGS = 'collection:\n  name: Town Museum\n  vocabulary: [coin, mask]\n';

describe('an empty params.yaml', () => {
  it('in a museum whose params.yaml is committed: says to restore it with git, which works', async () => {
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const git = gitIn({ root: museum });
    git('init', '-q');
    await writeFile(path.join(museum, 'params.yaml'), SETTINGS);
    await writeFile(path.join(museum, 'labels.csv'), 'object_id,label\nA-1,coin\n');
    git('add', '.');
    git('commit', '-qm', 'museum');
    for (const emptied of ['', '\n  \n']) {
      await writeFile(path.join(museum, 'params.yaml'), emptied);
      for (const args of [['params'], ['-C', 'museum', 'params'], ['dataset']]) {
        const got = await vitrine(args, args[0] === '-C' ? root : museum);
        expect(got.code, got.messages).toBe(1);
        expect(got.messages).toMatch(/params\.yaml holds no settings \(it is empty or only comments\)/);
        expect(got.messages).toMatch(/git checkout HEAD -- params\.yaml/);
        expect(got.messages).not.toMatch(/\binit\b/);
      }
    }
    git('checkout', '--', 'params.yaml');
    const restored = await vitrine(['params', 'get', 'collection.name'], museum);
    expect(restored.code, restored.messages).toBe(0);
    expect(restored.stdout).toBe('Town Museum\n');
  });

  it('in a collection whose params.yaml was never committed: no git checkout, no init, how to write one', async () => {
    const museum = path.join(root, 'uncommitted');
    await mkdir(museum);
    gitIn({ root: museum })('init', '-q');
    await writeFile(path.join(museum, 'labels.csv'), 'object_id,label\nA-1,coin\n');
    await writeFile(path.join(museum, 'params.yaml'), '# nothing yet\n');
    const got = await vitrine(['params'], museum);
    expect(got.code, got.messages).toBe(1);
    expect(got.messages).not.toMatch(/git checkout|\binit\b/);
    expect(got.messages).toMatch(/"collection:"/);
  });

  it('in a folder with no collection yet: to delete it and run init, which then makes the collection', async () => {
    const { dir } = await copyEgyptExport({ dir: path.join(root, 'new', 'export'), pick: 2 });
    const folder = path.join(root, 'new', 'museum');
    await mkdir(folder);
    await writeFile(path.join(folder, 'params.yaml'), '');
    const got = await vitrine(['params'], folder);
    expect(got.code, got.messages).toBe(1);
    expect(got.messages).toMatch(/delete params\.yaml and run `npx vitrine init --from <export>`/);
    expect(got.messages).not.toMatch(/git checkout/);
    // Done as it says, init makes the collection.
    await rm(path.join(folder, 'params.yaml'));
    const made = await vitrine(['init', '--from', path.join(dir, 'metadata.csv')], folder);
    expect(made.code, made.messages).toBe(0);
    expect((await vitrine(['params'], folder)).code).toBe(0);
  });
});
