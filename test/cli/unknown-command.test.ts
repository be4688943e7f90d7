import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/* `vitrine status` said only that "status" is not a command: a word of a two-word command is suggested whole. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-unknown-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function says(args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: dir, env: {}, stdout: () => {}, log });
  expect(code).toBe(2);
  return log.lines.map((l) => l.message).join('\n');
}

describe('an unknown command', () => {
  it.each([
    ['status', 'vitrine data status'],
    ['rollback', 'vitrine models rollback'],
    ['statsu', 'vitrine data status'],
    ['repro', 'vitrine run'],
    ['trian', 'vitrine train'],
  ])('"%s" suggests "%s"', async (word, suggestion) => {
    expect(await says([word])).toContain(`Did you mean "${suggestion}"?`);
  });

  it('"push" suggests both commands of that name', async () => {
    expect(await says(['push'])).toContain('Did you mean "vitrine data push" or "vitrine models push"?');
  });

  it.each(['Data', 'DATA', 'Models'])('"%s" suggests the group, with its commands', async (word) => {
    const group = word.toLowerCase();
    const message = await says([word]);
    expect(message).toContain(`Did you mean "vitrine ${group}"?`);
    expect(message).not.toContain('vitrine dataset');
    expect(message).toContain(`vitrine ${group} --help`);
  });

  it('a word like nothing suggests nothing', async () => {
    expect(await says(['xyzzy'])).not.toContain('Did you mean');
  });
});
