import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * A skipped stage printed its last run's summary as if it were now: after v1.1.0 was promoted, "skipped evaluate
 * … no detectable difference from v1.0.0" (an outside tester). Its words are said to be the last run's, with when.
 */

let root: string;
beforeAll(async () => {
  root = path.join(os.tmpdir(), `vitrine-skipped-summary-${process.pid}`);
  await mkdir(root, { recursive: true });
  await writeFile(
    path.join(root, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it('a skipped stage says its summary is from when it last ran, and when that was', async () => {
  let now = new Date('2026-12-02T14:03:00Z');
  const run = async () => {
    const log = memoryLogger();
    const code = await main(['run', 'promote', '--single'], {
      cwd: root,
      env: {},
      stdout: () => {},
      log,
      clock: { now: () => now },
    });
    return { code, lines: log.lines.map((l) => l.message) };
  };
  const first = await run();
  expect(first.code).toBe(0);
  const ran = first.lines.find((l) => l.startsWith('ran '))!;
  expect(ran).toMatch(/^ran {5}promote .*not promoted/);
  now = new Date('2026-12-03T09:00:00Z');
  const second = await run();
  const skipped = second.lines.find((l) => l.startsWith('skipped '))!;
  expect(skipped).toMatch(/^skipped promote +as when it last ran \(2026-12-02 14:03 UTC\): not promoted/);
});
