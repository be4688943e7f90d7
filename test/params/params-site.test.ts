import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * Reviewer: catalogue.site took any string, and `vitrine params get catalogue.site` printed it as written, so
 * `site: "https://x.org/\n::warning::injected"` came out as two lines; actions/catalogue/action.yml echoes the value
 * into a workflow command, where the second line is a command of its own. catalogue.site is now checked as
 * catalogue.s3.endpoint is: one http(s) address with no spaces or control characters, or "". The command line, on
 * real files.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-site-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let count = 0;
async function paramsGet(params: string) {
  const dir = path.join(root, `repo-${++count}`);
  await mkdir(path.join(dir, '.git'), { recursive: true });
  await writeFile(path.join(dir, 'params.yaml'), params);
  let stdout = '';
  const log = memoryLogger();
  const code = await main(['params', 'get', 'catalogue.site'], {
    cwd: dir,
    env: {},
    stdout: (t) => (stdout += t),
    log,
  });
  return { code, stdout, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('catalogue.site', () => {
  for (const [value, what] of [
    ['"https://x.org/\\n::warning::injected"', 'a second line'],
    ['"https://x.org/\\r::warning::injected"', 'a carriage return'],
    ['"https://x.org/\\e[31mred"', 'a terminal escape'],
    ['"https://x.org/ a"', 'a space'],
    ['"https://x.org/\\ta"', 'a tab'],
    ['museum.example.org', 'no http(s)://'],
    ['"javascript:alert(1)"', 'another scheme'],
  ] as const) {
    it(`is refused with ${what}, naming params.yaml and the key, and nothing is printed`, async () => {
      const result = await paramsGet(`catalogue:\n  site: ${value}\n`);
      expect(result.code, result.messages).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.messages).toContain('params.yaml:2: "catalogue.site" is ');
      expect(result.messages).toContain('expected one address like "https://owner.github.io/my-repo"');
      expect(result.messages).toContain('or "" when unknown');
    });
  }

  for (const value of ['https://museum.example.org/collection', 'http://127.0.0.1:4321/my-repo/', '']) {
    it(`accepts ${JSON.stringify(value)} and prints it on one line`, async () => {
      const result = await paramsGet(`catalogue:\n  site: "${value}"\n`);
      expect(result.code, result.messages).toBe(0);
      expect(result.stdout).toBe(`${value}\n`);
    });
  }
});
