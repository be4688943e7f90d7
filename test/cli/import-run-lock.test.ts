import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { holdLockInChild } from '../fixtures/lock-holder.ts';
import { copyEgyptExport } from './egypt-export.ts';

/*
 * A tester started `npx vitrine run --force`, then `npx vitrine import` 4 s later: the import rewrote data/ while
 * the run was reading it. import, and the other commands that change what a run reads (demo, data add, data pull,
 * data checkout), now hold the run's lock, .vitrine/run.lock: they wait for a run as a second run does.
 */

let root: string;
let museum: string;
let metadata: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-run-lock-'));
  metadata = path.join((await copyEgyptExport({ dir: path.join(root, 'export'), pick: 2 })).dir, 'metadata.csv');
  museum = path.join(root, 'museum');
  await mkdir(museum);
  const made = await vitrine(['init', '--from', metadata]);
  expect(made.code, made.messages).toBe(0);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function vitrine(args: string[], cwd = museum, log = memoryLogger()) {
  const messages = () => log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  return main(args, { cwd, env: {}, stdout: () => {}, log, interactive: false }).then((code) => ({
    code,
    messages: messages(),
    lines: log.lines,
  }));
}

/** Starts `args` while a run holds the lock: it has waited, changing nothing, until the run ends. */
async function waitsForTheRun(args: string[], unchanged: string[], folder = museum) {
  // A `vitrine run` in a process of its own, holding the run lock as it does.
  const other = await holdLockInChild({ file: path.join(folder, '.vitrine', 'run.lock') });
  const read = (f: string) => readFile(path.join(folder, f), 'utf8').catch(() => 'absent');
  const before = await Promise.all(unchanged.map(read));
  let finished = false;
  const log = memoryLogger();
  const command = vitrine(args, folder, log).finally(() => (finished = true));
  // Until it says it waits (or ends): a fixed sleep can end before the command reaches the lock on a loaded machine.
  while (!finished && !log.lines.some((l) => /^Another Vitrine run/.test(l.message))) await sleep(100);
  expect(finished, `${args.join(' ')} did not wait for the run`).toBe(false);
  expect(await Promise.all(unchanged.map(read))).toEqual(before);
  // The run ends as Ctrl-C ends it (its lock removed): the command goes on.
  other.kill('SIGINT');
  const result = await command;
  expect(result.code, result.messages).toBe(0);
  const waited = result.lines.filter((l) => l.level === 'info' && /^Another Vitrine run/.test(l.message));
  expect(waited).toHaveLength(1);
  expect(waited[0]!.message).toContain(`(process ${other.pid} on this machine, since `);
  expect(waited[0]!.message).toContain(`holds ${path.join('.vitrine', 'run.lock')}: this one waits for it to finish`);
  return result;
}

describe('while a run holds .vitrine/run.lock', () => {
  it('vitrine import waits for it, then imports', async () => {
    // An export with a title changed since the last import: the import rewrites data/objects.csv.
    const [header, first, ...rest] = parse(await readFile(metadata, 'utf8')) as string[][];
    first![header!.indexOf('title')] = 'A title changed in the export';
    await writeFile(metadata, stringify([header!, first!, ...rest]));
    await waitsForTheRun(['import'], ['data/objects.csv', 'labels.csv', 'data.dvc']);
    expect(await readFile(path.join(museum, 'data/objects.csv'), 'utf8')).toContain('A title changed in the export');
  });

  it('vitrine data add, data pull and data checkout wait for it too', async () => {
    for (const args of [
      ['data', 'add'],
      ['data', 'pull'],
      ['data', 'checkout'],
    ])
      await waitsForTheRun(args, ['data.dvc', 'data/objects.csv']);
  });

  it('vitrine demo waits for it too', async () => {
    const demo = path.join(root, 'demo');
    await mkdir(demo);
    await writeFile(path.join(demo, 'params.yaml'), 'demo:\n  per_type: 3\n  unlabelled_per_type: 0\n');
    await waitsForTheRun(['demo'], ['labels.csv', 'data/objects.csv'], demo);
    expect(await readFile(path.join(demo, 'labels.csv'), 'utf8')).toMatch(/^object_id,label/);
  });

  it('vitrine init in a folder that exists waits for it too', async () => {
    // A folder with files of its own (or a repository init already made): a run may be going on there.
    const existing = path.join(root, 'existing');
    await mkdir(existing);
    await writeFile(path.join(existing, 'notes.txt'), 'Our museum\n');
    // One that writes nothing (a vocabulary of one label) leaves no .vitrine/ either, where the lock was made.
    const refused = await vitrine(['init', '--from', metadata, '--vocabulary', 'bowl'], existing);
    expect(refused.messages).toContain('The vocabulary needs at least two labels');
    await expect(stat(path.join(existing, '.vitrine'))).rejects.toThrow(/ENOENT/);
    await waitsForTheRun(['init', '--from', metadata], ['params.yaml', 'data/objects.csv', 'labels.csv'], existing);
    expect(await readFile(path.join(existing, 'params.yaml'), 'utf8')).toContain('collection:');
    await expect(readFile(path.join(existing, '.vitrine', 'run.lock'))).rejects.toThrow(/ENOENT/);
  });

  it('no lock is left behind', async () => {
    await expect(readFile(path.join(museum, '.vitrine', 'run.lock'))).rejects.toThrow(/ENOENT/);
  });
});
