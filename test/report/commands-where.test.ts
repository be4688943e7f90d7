import { describe, expect, it } from 'vitest';
import { commandsWhere } from '../../pipeline/report/render.ts';

/*
 * A repository `vitrine init -C` made does not hold Vitrine, so the report's commands read
 * `npx vitrine -C path/to/our-museum data add`, and the comment said "The commands above run in Vitrine's own folder
 * (`path/to/our-museum` is this repository's folder from there)". Museum staff could not tell what that path was, nor
 * where to type the command. The note now says it in plain words, naming the repository.
 */

describe('where the report’s commands are typed', () => {
  it('names the repository and says what to put in place of the path', () => {
    const note = commandsWhere('npx vitrine -C path/to/our-museum');
    expect(note).not.toContain('folder from there');
    expect(note).toBe(
      'To run the commands in this report that start with `npx vitrine -C`, type them in a terminal opened in the ' +
        'folder where Vitrine is installed, with `path/to/our-museum` replaced by where your copy of the our-museum ' +
        'repository is on your computer (this repository’s README shows how). Typed in the our-museum folder itself, ' +
        '`npx vitrine` would not find Vitrine.',
    );
    // There is no npm package "vitrine": npx asks to install it and fails, it downloads no other program.
    expect(note).not.toContain('download');
  });

  it('reads a quoted name, says to keep the quotes, and says “this repository” when the command names no path/to/ folder', () => {
    const quoted = commandsWhere("npx vitrine -C 'path/to/our museum'");
    expect(quoted).toContain(
      "with `'path/to/our museum'` replaced by where your copy of the our museum repository is on your computer, " +
        'keeping the quotes around it (',
    );
    expect(commandsWhere('npx vitrine -C path/to/our-museum')).not.toContain('quotes');
    const other = commandsWhere('npx vitrine -C ../collection');
    expect(other).toContain('with `../collection` replaced by where your copy of this repository is');
    expect(other).toContain('Typed in this repository’s folder itself, `npx vitrine`');
  });

  it('escapes the folder name: a star or a backtick in it is shown, not read as Markdown', () => {
    const note = commandsWhere("npx vitrine -C 'path/to/*new* `museum`'");
    expect(note).toContain('your copy of the \\*new\\* \\`museum\\` repository');
    expect(note).toContain('Typed in the \\*new\\* \\`museum\\` folder itself');
    // The path as typed, in a code span its backticks do not end.
    expect(note).toContain("with `` 'path/to/*new* `museum`' `` replaced by");
  });
});
