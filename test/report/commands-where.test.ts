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
    expect(note).not.toContain('is this repository’s folder from there');
    expect(note).toBe(
      'To run these commands, type them in a terminal opened in the folder where Vitrine is installed, with ' +
        '`path/to/our-museum` replaced by where your copy of the our-museum repository is on your computer (this ' +
        'repository’s README shows how). Typed in the our-museum folder itself, `npx vitrine` would download a ' +
        'different program from the internet.',
    );
  });

  it('reads a quoted name, and says “this repository” when the command names no path/to/ folder', () => {
    expect(commandsWhere("npx vitrine -C 'path/to/our museum'")).toContain(
      "with `'path/to/our museum'` replaced by where your copy of the our museum repository is",
    );
    const other = commandsWhere('npx vitrine -C ../collection');
    expect(other).toContain('with `../collection` replaced by where your copy of this repository is');
    expect(other).toContain('Typed in this repository’s folder itself, `npx vitrine`');
  });
});
