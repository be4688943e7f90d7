import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runApart } from '../../pipeline/catalogue/apart.ts';
import { systemErrorOf, systemProblem } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * `runApart` passes on what its child reports through the logger: log lines and progress (a long
 * job's bar, whose ticks the child sums before sending), as the catalogue data step needs.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const apart = pathToFileURL(path.resolve(import.meta.dirname, '../../pipeline/catalogue/apart.ts')).href;

/** A child entry that serves `body` (the work's code, given `request` and `log`). */
async function child(body: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-apart-'));
  dirs.push(dir);
  const entry = path.join(dir, 'child.mjs');
  await writeFile(
    entry,
    `const { serveApart } = await import(${JSON.stringify(apart)});\n` +
      `serveApart(async (request, log) => {\n${body}\n});\n`,
  );
  return entry;
}

describe('a step in a child process', () => {
  it("passes on the child's progress: every tick counted, each bar closed", async () => {
    const entry = await child(
      `const a = log.progress('Linking thumbnails', request.n);\n` +
        `for (let i = 0; i < request.n; i++) a.tick();\n` +
        `a.done();\n` +
        `const b = log.progress('Writing pages', 7);\n` +
        `b.tick(3);\n` +
        `await new Promise((r) => setTimeout(r, 250));\n` +
        `b.tick(4);\n` +
        `b.done();\n` +
        `log.info('all done');\n` +
        `return { n: request.n };`,
    );
    const log = memoryLogger();
    const result = await runApart<{ n: number }, { n: number }>({
      entry,
      request: { n: 1000 },
      log,
      what: 'Counting',
      code: 'COUNTING_FAILED',
    });
    expect(result.n).toBe(1000);
    expect(result.pid).not.toBe(process.pid);
    const info = log.lines.filter((l) => l.level === 'info').map((l) => l.message);
    expect(info).toEqual(['Linking thumbnails: 1000/1000', 'Writing pages: 7/7', 'all done']);
  }, 60_000);

  // A full disk in the step that updates the site read as a bug ("Please report this"): the child's
  // system error lost its code and path on the way back, so the boundary could not say the disk is full.
  it("keeps a system error's code, call and path, so a full disk is said as one (/dev/full: a real ENOSPC)", async () => {
    const entry = await child(
      `const { writeFile } = await import('node:fs/promises');\n` +
        `const at = ${JSON.stringify(path.join(os.tmpdir(), 'site', 'index.html'))};\n` +
        `await writeFile('/dev/full', 'x').catch((e) => { throw Object.assign(e, { path: at }); });`,
    );
    const error = await runApart({
      entry,
      request: {},
      log: memoryLogger(),
      what: 'Placing',
      code: 'PLACE_FAILED',
    }).catch((e: unknown) => e);
    expect(systemErrorOf(error)).toMatchObject({ code: 'ENOSPC', syscall: 'write' });
    expect(systemProblem({ error, root: os.tmpdir() })).toBe(
      'The disk is full: Vitrine could not write site/index.html. Free some space and run again.',
    );
  }, 60_000);
});
