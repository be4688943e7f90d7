import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandSafe } from '../../pipeline/log.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Security finding 6: info messages were written raw, while warnings and errors are escaped. The runner reads
 * every line of a step's output that starts (after spaces) with "::" as a workflow command (set an output, mask,
 * stop commands), so an info message that one day quotes a label or a file name could run one.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A line GitHub's runner would take as a workflow command (it trims leading white space first). */
const COMMAND = /^[\s\u0085\u180e]*(::|##\[)/;

const HOSTILE = [
  '::set-output name=trusted::true',
  'Label "coin"\n::add-mask::x\r::stop-commands::abc\r\n  ::error::forged',
  '\u00a0\u3000::warning file=a::b',
  '\t##[set-env name=A;]b',
  'plain: text with :: inside and ##[ inside',
];

describe('info messages and workflow commands', () => {
  it('commandSafe leaves no line that reads as a command, keeps the words and the line breaks', () => {
    for (const message of HOSTILE) {
      const safe = commandSafe(message);
      for (const line of safe.split('\n')) expect(line, JSON.stringify(message)).not.toMatch(COMMAND);
      expect(safe).not.toContain('\r');
    }
    expect(commandSafe('::set-output name=trusted::true')).toBe('%3A%3Aset-output name=trusted::true');
    expect(commandSafe('Label "coin"\n::add-mask::x').split('\n')).toEqual(['Label "coin"', '%3A%3Aadd-mask::x']);
    // Messages that are no command are left exactly as they are, several lines and indents included.
    const plain = '\nImported 3 objects.\n\nNext:\n  git commit -m "Start" && vitrine run\nsee a::b';
    expect(commandSafe(plain)).toBe(plain);
  });

  it("the actions' logger prints info messages so that no line is a command", async () => {
    const dir = await tempDir('vitrine-log-');
    const script = path.join(dir, 'log.mjs');
    const logger = pathToFileURL(path.join(ROOT, 'actions', 'lib', 'logger.ts')).href;
    await writeFile(
      script,
      `import { actionsLogger } from ${JSON.stringify(logger)};\n` +
        `const log = actionsLogger();\nfor (const m of ${JSON.stringify(HOSTILE)}) log.info(m);\n`,
    );
    const child = spawn(process.execPath, [script], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    expect(code, stdout).toBe(0);
    const lines = stdout.split(/\r\n|\r|\n/);
    expect(lines.filter((l) => COMMAND.test(l))).toEqual([]);
    expect(stdout).toContain('set-output name=trusted::true');
    expect(stdout).toContain('Label "coin"');
  });
});
