import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';

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
