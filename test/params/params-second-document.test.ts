import { describe, expect, it } from 'vitest';
import { parseParamsFile } from '../../pipeline/params.ts';

/*
 * Outside tester (T3 F3): params.yaml with a second YAML document (a `---` line near the end, even followed only by
 * a comment) was refused in the yaml library’s own words: "Source contains multiple documents; please use
 * YAML.parseAllDocuments()", which also went into the pull request’s comment for staff.
 */

const FILE = 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\ntrain:\n  epochs: 7\n';

function read(text: string): { epochs?: number; message?: string } {
  try {
    return { epochs: parseParamsFile({ text, name: 'params.yaml' }).train.epochs };
  } catch (error) {
    return { message: (error as Error).message };
  }
}

describe('a second YAML document in params.yaml', () => {
  it('is said plainly, naming the "---" line, without the yaml library’s words', () => {
    const { message } = read(`${FILE}---\ntrain:\n  epochs: 3\n`);
    expect(message).toBeDefined();
    expect(message).not.toMatch(/parseAllDocuments|multiple documents/);
    expect(message).toMatch(/^params\.yaml:6: the line "---" starts a second YAML document/);
    expect(message).toMatch(/reads one/);
    expect(message).toMatch(/Delete that line/);
  });

  it('after a "..." line is said naming the "..." line', () => {
    const { message } = read(`${FILE}...\ntrain:\n  epochs: 3\n`);
    expect(message).not.toMatch(/parseAllDocuments|multiple documents/);
    expect(message).toMatch(/^params\.yaml:6: the line "\.\.\." ends the YAML document/);
  });

  it('is accepted when nothing but comments or blank lines follow the "---"', () => {
    expect(read(`${FILE}---\n# old settings\n\n`)).toEqual({ epochs: 7 });
    expect(read(`${FILE}---\n`)).toEqual({ epochs: 7 });
    expect(read(`---\n${FILE}--- # end\n`)).toEqual({ epochs: 7 });
  });

  // Review V6: with Windows line ends the comment after "---" ended in "\r", which the check did not take as a comment.
  it('is accepted with Windows line ends too, when only a comment follows the "---"', () => {
    expect(read(`${FILE.replaceAll('\n', '\r\n')}---\r\n# old settings\r\n`)).toEqual({ epochs: 7 });
  });
});
