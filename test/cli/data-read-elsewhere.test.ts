import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { addData, initData } from '../../pipeline/data/index.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tinyDemoParams } from '../stages/tiny-demo.ts';
import { runCli } from './run-cli.ts';

/*
 * A tester switched branches without "npx vitrine data checkout": data/ kept the other branch's title change, the
 * dataset stage had nothing new to read and was skipped, and the run said nothing while its report credited the
 * branch with that change. The run says it where it skips the dataset stage, with the command to type.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function recordedDemo(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-data-elsewhere-'));
  dirs.push(root);
  const ws = workspace(root);
  await generateDemo({ ws, params: tinyDemoParams(), log: silentLogger });
  await writeFile(
    ws.params,
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  await initData({ root, remoteName: 'local', remoteUrl: '.vitrine-remote' });
  await addData({ root, log: silentLogger });
  return root;
}

it('a file the computer made in data/ (.DS_Store), which data.dvc does not record, is no reason to warn', async () => {
  const root = await recordedDemo();
  await writeFile(path.join(root, 'data', 'images', '.DS_Store'), 'Finder settings');
  const first = await runCli(root, ['run', 'dataset']);
  expect(first.code).toBe(0);
  const again = await runCli(root, ['run', 'dataset']);
  expect(again.messages).toMatch(/skipped dataset/);
  expect(again.messages).not.toMatch(/data\.dvc records/);
});

it('the lock file Excel keeps in data/ while objects.csv is open is no reason to warn either', async () => {
  const root = await recordedDemo();
  await writeFile(path.join(root, 'data', '~$objects.csv'), 'x');
  const first = await runCli(root, ['run', 'dataset']);
  expect(first.code).toBe(0);
  const again = await runCli(root, ['run', 'dataset']);
  expect(again.messages).toMatch(/skipped dataset/);
  expect(again.messages).not.toMatch(/data\.dvc records/);
});

it('a run that skips the dataset stage on data/ that data.dvc does not record says so, naming data checkout', async () => {
  const root = await recordedDemo();
  const ws = workspace(root);
  const recorded = await readFile(ws.dataDvc, 'utf8');
  // Another branch edits a title and records it; its run reads that data/.
  const objects = path.join(ws.data, 'objects.csv');
  const csv = await readFile(objects, 'utf8');
  const title = csv.split('\n')[1]!.split(',')[1]!;
  await writeFile(objects, csv.replace(title, 'Another branch title'));
  await addData({ root, log: silentLogger });
  const other = await runCli(root, ['run', 'dataset']);
  expect(other.code).toBe(0);
  const again = await runCli(root, ['run', 'dataset']);
  expect(again.messages).toMatch(/skipped dataset/);
  expect(again.messages).not.toMatch(/data\.dvc records/);
  // Back on this branch: data.dvc as it records it, data/ left as the other branch had it.
  await writeFile(ws.dataDvc, recorded);
  const run = await runCli(root, ['run', 'dataset']);
  expect(run.code).toBe(0);
  const lines = run.messages.split('\n');
  const skipped = lines.findIndex((l) => /skipped dataset/.test(l));
  expect(skipped).toBeGreaterThanOrEqual(0);
  const warning = lines[skipped + 1]!;
  expect(warning).toMatch(/^warn: data\/ differs from what data\.dvc records: 0 added, 0 removed, 1 changed /);
  expect(warning).toContain('(changed: data/objects.csv). The dataset stage was skipped');
  expect(warning).toMatch(/another branch's changes .* Run "npx vitrine data checkout"/);
});
