import { copyFile, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData } from '../../pipeline/data/index.ts';
import { keptDataDvcWarning } from '../../pipeline/demo/replaced.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';

/* `vitrine demo` rewrites data.dvc: one it did not write itself (a clone's) is copied first. */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function demoRepo() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-demo-dvc-'));
  dirs.push(root);
  await writeFile(
    path.join(root, 'params.yaml'),
    'demo:\n  seed: 7\n  per_type: 4\n  unlabelled_per_type: 1\n  wrong_label_rate: 0.3\n  image_size: 64\n',
  );
  return root;
}

async function demo(cwd: string) {
  const log = memoryLogger();
  const code = await main(['demo'], { cwd, env: {}, stdout: () => {}, log, interactive: false });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

const replaced = (root: string) => readdir(path.join(root, '.vitrine', 'demo-replaced')).catch(() => []);

describe('vitrine demo and a data.dvc that records objects the demo does not generate', () => {
  it('keeps a copy of the old data.dvc, says where, and how to go back to that data', async () => {
    const root = await demoRepo();
    expect((await demo(root)).code).toBe(0);
    // Objects added to data/ and recorded in data.dvc, then a clone: no data/, no .vitrine/.
    const objects = path.join(root, 'data', 'objects.csv');
    const text = await readFile(objects, 'utf8');
    const header = text.split('\n')[0]!.split(',');
    const row = (id: string) =>
      header.map((c) => (c === 'id' ? id : c === 'image' ? `images/${id}.jpg` : 'x')).join(',');
    await writeFile(objects, `${text}${row('DM-0900')}\n${row('DM-0901')}\n`);
    await writeFile(path.join(root, 'data', 'images', 'DM-0900.jpg'), 'a photograph');
    await writeFile(path.join(root, 'data', 'images', 'DM-0901.jpg'), 'another photograph');
    await addData({ root, target: 'data', log: silentLogger });
    const recorded = await readFile(path.join(root, 'data.dvc'), 'utf8');
    await rm(path.join(root, 'data'), { recursive: true });
    await rm(path.join(root, '.vitrine'), { recursive: true });

    const run = await demo(root);
    expect(run.code).toBe(0);
    expect(await readFile(path.join(root, 'data.dvc'), 'utf8')).not.toBe(recorded);
    const [stamp] = await replaced(root);
    const copy = `.vitrine/demo-replaced/${stamp}/data.dvc`;
    expect(await readFile(path.join(root, copy), 'utf8')).toBe(recorded);
    expect(run.messages).toContain(`warn: data.dvc recorded another data/ folder`);
    expect(run.messages).toContain(
      `The old data.dvc is kept in ${copy}. To go back to that data, copy it over data.dvc`,
    );

    // Run again: data.dvc is now the demo's own; no new copy, no warning.
    const again = await demo(root);
    expect(again.code).toBe(0);
    expect(again.messages).not.toMatch(/data\.dvc recorded/);
    expect(await replaced(root)).toHaveLength(1);
  });

  it("keeps no copy when data.dvc comes out the same (a fresh clone of the demo's repository)", async () => {
    const root = await demoRepo();
    expect((await demo(root)).code).toBe(0);
    await rm(path.join(root, 'data'), { recursive: true });
    await rm(path.join(root, '.vitrine'), { recursive: true });
    const run = await demo(root);
    expect(run.code).toBe(0);
    expect(run.messages).not.toMatch(/data\.dvc recorded/);
    // Not even an empty folder for copies is left (a reviewer found one after a fresh clone's "npm run demo").
    await expect(stat(path.join(root, '.vitrine', 'demo-replaced'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

/** A demo repository whose data.dvc records two objects added to data/, then data/ and .vitrine/ removed. */
async function withAddedObjects() {
  const root = await demoRepo();
  expect((await demo(root)).code).toBe(0);
  const objects = path.join(root, 'data', 'objects.csv');
  const text = await readFile(objects, 'utf8');
  const header = text.split('\n')[0]!.split(',');
  const row = (id: string) => header.map((c) => (c === 'id' ? id : c === 'image' ? `images/${id}.jpg` : 'x')).join(',');
  await writeFile(objects, `${text}${row('DM-0900')}\n${row('DM-0901')}\n`);
  await writeFile(path.join(root, 'data', 'images', 'DM-0900.jpg'), 'a photograph');
  await writeFile(path.join(root, 'data', 'images', 'DM-0901.jpg'), 'another photograph');
  await addData({ root, target: 'data', log: silentLogger });
  await rm(path.join(root, 'data'), { recursive: true });
  await rm(path.join(root, '.vitrine'), { recursive: true });
  return root;
}

/**
 * A copy of what git carries of `root`: no data/, no cache, no .vitrine/, no remote folder (.gitignore). In a new
 * folder: removing the cache under a process that wrote to it races its "folder made already" memory.
 */
async function clone(root: string): Promise<string> {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'vitrine-demo-dvc-clone-'));
  dirs.push(copy);
  const ignored = ['data', '.vitrine', '.vitrine-remote', path.join('.dvc', 'cache'), path.join('.dvc', 'tmp')];
  await cp(root, copy, { recursive: true, filter: (from) => !ignored.includes(path.relative(root, from)) });
  return copy;
}

/** Run the demo over it; the copy it kept of data.dvc, and that copy over data.dvc again with "vitrine data pull". */
async function demoThenGoBack(root: string) {
  const ran = await demo(root);
  expect(ran.code, ran.messages).toBe(0);
  const [stamp] = await replaced(root);
  const copy = `.vitrine/demo-replaced/${stamp}/data.dvc`;
  const kept = { copy, text: await readFile(path.join(root, copy), 'utf8') };
  const warning = await keptDataDvcWarning({ ws: workspace(root), kept });
  // The command says the same (said before its push: what the remote held then), commands as typed here.
  expect(ran.messages.replaceAll('"npx vitrine', '"vitrine')).toContain(`warn: ${warning}`);
  await copyFile(path.join(root, copy), path.join(root, 'data.dvc'));
  const log = memoryLogger();
  const pulled = await main(['data', 'pull'], { cwd: root, env: {}, stdout: () => {}, log, interactive: false });
  return { warning, pulled, copy };
}

describe("the advice on going back to a replaced data.dvc's data", () => {
  it('says to copy it back and pull where its files are in the cache, and that works', async () => {
    const root = await withAddedObjects();
    const { warning, pulled, copy } = await demoThenGoBack(root);
    expect(warning).toContain(
      `The old data.dvc is kept in ${copy}. To go back to that data, copy it over data.dvc and`,
    );
    expect(pulled).toBe(0);
    expect(await readFile(path.join(root, 'data', 'objects.csv'), 'utf8')).toContain('DM-0901');
  });

  it("in a clone (no cache, the demo's remote folder not in git), says the pull cannot fetch it here, which is so", async () => {
    const root = await clone(await withAddedObjects());
    const { warning, pulled, copy } = await demoThenGoBack(root);
    expect(warning).toContain(
      `The old data.dvc is kept in ${copy}. The files it records are neither in this machine's`,
    );
    expect(warning).toContain(
      'nor on the data remote "local" (.vitrine-remote), so "vitrine data pull" cannot fetch them here.',
    );
    expect(warning).not.toContain('copy it over data.dvc');
    expect(pulled).not.toBe(0);
  });
});

describe('vitrine demo after labels.csv was corrected and added to (the command)', () => {
  it('exits with the refusal, naming labels.csv and what to do, and changes neither labels.csv nor data.dvc', async () => {
    const root = await demoRepo();
    expect((await demo(root)).code).toBe(0);
    const log = memoryLogger();
    expect(
      await main(['demo', '--fix-labels'], { cwd: root, env: {}, stdout: () => {}, log, interactive: false }),
    ).toBe(0);
    const labels = path.join(root, 'labels.csv');
    await writeFile(labels, `${await readFile(labels, 'utf8')}DM-0900,vessel\n`);
    const before = [await readFile(labels, 'utf8'), await readFile(path.join(root, 'data.dvc'), 'utf8')];
    const run = await demo(root);
    expect(run.code).not.toBe(0);
    expect(run.messages).toMatch(/labels\.csv labels 1 object that this demo does not generate \(e\.g\. "DM-0900"\)/);
    expect(run.messages).toMatch(/changed nothing\. To start the demo over with its own labels, delete labels\.csv/);
    expect([await readFile(labels, 'utf8'), await readFile(path.join(root, 'data.dvc'), 'utf8')]).toEqual(before);
  });
});
