import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { terminalLogger } from '../../pipeline/cli/logger.ts';
import { shownName, terminalSafe } from '../../pipeline/cli/shown.ts';
import { main } from '../../pipeline/cli.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { clip, silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from '../data/helpers.ts';

/*
 * Whoever can put a file in data/ chooses its name, and the CLI quotes names in what it prints. A name holding an
 * escape sequence could rewrite or hide what the terminal shows; one holding a line break could fake a line.
 */

/** A control character other than a line break or a tab, as it would reach the terminal. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Sets the window title, clears the screen; then a line of its own. */
const EVIL = 'images/evil\u001b]0;owned\u0007\u001b[2J.png';
const BROKEN = 'images/two\nerror: all is well.png';

let repo: string;
beforeEach(async () => {
  repo = await tempDir('vitrine-names-');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(repo);
});

async function vitrine(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  const log = terminalLogger({ write: (t) => (stderr += t), isTTY: false });
  const code = await main(['-C', repo, ...args], {
    cwd: repo,
    env: {},
    stdout: (t) => (stdout += t),
    log,
    interactive: false,
  });
  return { code, stderr, stdout };
}

describe('file names in what the CLI prints', () => {
  it('"vitrine data add" refusing a name with an escape sequence shows it escaped, never raw', async () => {
    await writeFile(path.join(repo, 'data', ...EVIL.split('/')), 'x');
    const { code, stderr } = await vitrine(['data', 'add']);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(stderr).toContain('evil\\u001b]0;owned\\u0007\\u001b[2J.png');
  });

  it('a name with a line break stays on its line', async () => {
    await writeFile(path.join(repo, 'data', ...BROKEN.split('/')), 'x');
    const { code, stderr } = await vitrine(['data', 'add']);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('two\\nerror: all is well.png');
  });

  it('"vitrine data status" lists such names escaped', async () => {
    await writeFile(path.join(repo, 'data', ...EVIL.split('/')), 'x');
    await writeFile(path.join(repo, 'data', ...BROKEN.split('/')), 'x');
    const { code, stdout } = await vitrine(['data', 'status']);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(stdout).toContain('  added: data/images/evil\\u001b]0;owned\\u0007\\u001b[2J.png\n');
    expect(stdout).toContain('  added: data/images/two\\nerror: all is well.png\n');
  });

  it('in GitHub Actions, the annotation shows the name escaped too', () => {
    let text = '';
    const log = terminalLogger({ write: (t) => (text += t), githubActions: true });
    log.error('The file is refused.', { file: `data/${EVIL}`, object: 'A\u001b[8m1' });
    log.info(`Recorded data/${EVIL}.`);
    expect(text).not.toMatch(RAW_CONTROL);
  });

  it('a pasted 5,000-character id is clipped in the place before a message, as the message clips it', () => {
    const id = 'X'.repeat(5000);
    for (const githubActions of [false, true]) {
      let text = '';
      const log = terminalLogger({ write: (t) => (text += t), githubActions, isTTY: false });
      log.warn(`there is no object "${clip(id)}".`, { file: 'labels.csv', line: 4, object: id });
      log.warn('a label outside the vocabulary.', { file: 'labels.csv', line: 5, object: id });
      for (const line of text.split('\n')) expect(line.length).toBeLessThan(300);
      expect(text).toContain(`${'X'.repeat(80)}…`);
    }
  });
});

describe('shownName and terminalSafe', () => {
  it('shownName escapes every control character, line breaks and the marks that reorder text', () => {
    expect(shownName('a\u001b[31mb\nc\rd\te\u007f\u0085\u202egnp.exe')).toBe(
      'a\\u001b[31mb\\nc\\rd\\te\\u007f\\u0085\\u202egnp.exe',
    );
    expect(shownName('Ptolemaic coin, Ἀλεξάνδρεια 12.png')).toBe('Ptolemaic coin, Ἀλεξάνδρεια 12.png');
  });

  it("terminalSafe keeps a message's line breaks and tabs, and escapes the rest", () => {
    expect(terminalSafe('one\r\ntwo\n\tthree\rfour\u001b[2J')).toBe('one\ntwo\n\tthree\\rfour\\u001b[2J');
    expect(terminalSafe('كأس fragment \u202b')).toBe('كأس fragment \u202b');
  });
});
