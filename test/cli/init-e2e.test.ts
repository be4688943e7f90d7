import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyEgyptExport } from './egypt-export.ts';
import { runCli } from './run-cli.ts';

/*
 * Issue 15 #1, done when: from an empty folder, the Egyptian export goes to a promoted model and a built
 * catalogue with three commands and no file edited by hand. The whole export (1,827 objects) took 194 s of the
 * suite's 25 minutes, most of it embedding the photographs; it runs in `npm run bench -- init` instead. Here:
 * every third row of the four labels other than Unclassified (559 objects). Unclassified (150 objects, "none of
 * the others" by the set's keyword rules) is left out because on a third of the set its F1 falls under the
 * default gate's 0.3 (0.20 on 609 objects, 0.27 on 914): the gate then rightly refuses the model, which is not
 * what this test is about. 559 objects leave under 30 test objects for some labels, so init writes the
 * small-collection gate values into params.yaml, and the run must promote with them. The export is copied to a
 * temp folder, never into the repository.
 */

const exec = promisify(execFile);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-e2e-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const vitrine = (args: string[], cwd: string) => runCli(cwd, args, { interactive: false });

describe('from an empty folder to a built catalogue in three commands', () => {
  it('vitrine init, git commit, vitrine run: a promoted model and a built catalogue, no file edited by hand', async () => {
    const from = path.join(root, 'export');
    const { rows } = await copyEgyptExport({ dir: from, pick: { everyNth: 3 }, leaveOut: ['Unclassified'] });
    expect(rows).toHaveLength(559);
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const init = await vitrine(['init', '--from', path.join(from, 'metadata.csv'), '--images', from], museum);
    expect(init.code, init.messages).toBe(0);
    await exec(
      'git',
      ['-c', 'user.name=Registrar', '-c', 'user.email=registrar@museum.example', 'commit', '-qm', 'Start Vitrine'],
      { cwd: museum },
    );
    const run = await vitrine(['run'], museum);
    expect(run.code, run.messages).toBe(0);
    expect(run.messages).toMatch(/ran {5}promote .*registered v1\.0\.0/);
    expect(run.messages).toMatch(/ran {5}catalogue .*559 objects/);
    const models = await vitrine(['models', 'show', 'prod', '--json'], museum);
    expect(models.code, models.messages).toBe(0);
    expect(JSON.parse(models.stdout).version).toBe('v1.0.0');
    expect((await stat(path.join(museum, '.vitrine', 'site', 'index.html'))).isFile()).toBe(true);
    // Nothing to edit or commit by hand afterwards.
    const { stdout } = await exec('git', ['status', '--porcelain'], { cwd: museum });
    expect(stdout).toBe('');
  }, 2_400_000);
});
