import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFixture } from '../site/fixture.ts';

/*
 * The catalogue stage itself (the data step, Astro, Pagefind) killed with SIGKILL once it has rewritten
 * .vitrine/catalogue/catalogue.json, then run again: the reason given was that .vitrine/catalogue "was changed since
 * the last run (by a command such as vitrine models rollback, or by hand)". It says the stage’s last run did not
 * finish, and builds the catalogue to the end. stopped-stage.test.ts checks the same with small stages; this one
 * with the real build, in a real git repository.
 */

const NODE = path.resolve('node_modules/.bin/node');
const CHILD = path.resolve('test/stages/catalogue-child.ts');

let root: string;
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

interface Outcome {
  name: string;
  status: string;
  reason: string;
}

/** Run the catalogue stage to the end in a child process: its outcome. */
function build(): Outcome {
  const out = execFileSync(NODE, [CHILD, root], { encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').at(-1)!) as Outcome[]).find((o) => o.name === 'catalogue')!;
}

/** Rebuild it with --force in a child process, SIGKILLed (with the processes it started) once it rewrote the data. */
async function buildKilled(): Promise<void> {
  const data = path.join(root, '.vitrine', 'catalogue', 'catalogue.json');
  const before = (await stat(data)).mtimeMs;
  const child = spawn(NODE, [CHILD, root, '--force'], { stdio: 'ignore', detached: true });
  let running = true;
  const ended = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => {
      running = false;
      resolve(signal);
    }),
  );
  while (running && (await stat(data).catch(() => null))?.mtimeMs === before)
    await new Promise((r) => setTimeout(r, 2));
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Ended already: the test then fails below.
  }
  expect(await ended).toBe('SIGKILL');
}

describe.runIf(process.platform === 'linux')('a catalogue build that was stopped', () => {
  it('is said to be unfinished on the next run, not changed by hand, and is built again to the end', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-stopped-catalogue-'));
    const titles = ['Bronze coin', 'Festival mask', 'Iron helmet'];
    await writeFixture({
      root,
      objects: titles.map((title, i) => ({ id: `SC-${i + 1}`, title, label: title.split(' ')[1]!, image: null })),
      labels: ['coin', 'helmet', 'mask'],
      withMetrics: false,
    });
    await writeFile(
      path.join(root, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, helmet, mask]\n',
    );
    execFileSync('git', ['init', '-q', '-b', 'main', root]);
    expect(build()).toMatchObject({ status: 'ran', reason: 'first run' });

    // New titles, so that the stopped build's catalogue differs from the one lock.json records.
    const dataset = path.join(root, '.vitrine', 'dataset', 'dataset.json');
    await writeFile(dataset, (await readFile(dataset, 'utf8')).replaceAll('Bronze coin', 'Bronze coin (retitled)'));
    await buildKilled();

    const again = build();
    expect(again.status).toBe('ran');
    expect(again.reason).not.toMatch(/by hand|rollback/);
    expect(again.reason).toBe(
      '.vitrine/catalogue is not as its last finished run left it: the last run of the catalogue stage did not ' +
        'finish (it was stopped, or it failed, part-way)',
    );
    expect(await readFile(path.join(root, '.vitrine', 'site', 'index.html'), 'utf8')).toContain('<html');
    expect(build()).toMatchObject({ status: 'skipped' });
  }, 600_000);
});
