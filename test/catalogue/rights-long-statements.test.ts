import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';

/*
 * Task D41: "In Copyright " repeated to 100,000 characters took 20 s to read, and as long with zero-width spaces for
 * its spaces (read three ways since reading 13): `/in copyright.*educational/` and six patterns like it looked from
 * every "In Copyright" or "No copyright" to the line's end, time growing with the text's square. A careless export
 * (a licence pasted into each row) made every catalogue build slow by minutes. The time is measured in
 * bench/rights.ts, never here; here, that no pattern has that shape left, and that long texts read as before.
 */

const CATALOGUE = path.join(import.meta.dirname, '../../pipeline/catalogue');

describe('long texts naming a statement again and again', () => {
  // The shape that took the square: ".*" or ".+" not held to the text's or a line's start, so tried again from each
  // place its first word is found. Failed before the fix, naming the seven statements' patterns.
  it('meet no pattern in the rights reading that looks to the end of the line from every place a word is found', () => {
    const found: string[] = [];
    for (const file of readdirSync(CATALOGUE).filter((f) => /^rights.*\.ts$/.test(f))) {
      readFileSync(path.join(CATALOGUE, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(?:\/\/|\/?\*)/.test(line)) return;
          for (const m of line.matchAll(/(?<!\\)\.[*+]/g))
            if (!/\^\(?$/.test(line.slice(0, m.index))) found.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  // What each read as before the fix (taken with the patterns as they were): the texts of the task at 100,000
  // characters, the others at 10,000, which take the same patterns.
  it('are read as before at 10,000 and 100,000 characters, the statement after them included', () => {
    const cases: [string, string, string | null][] = [
      ['In Copyright ', '', 'InC'],
      ['In\u200bCopyright\u200b', '', 'InC'],
      ['In Copyright ', 'educational use only', 'InC-EDU'],
      ['In Copyright ', 'non-commercial use', 'InC-NC'],
      ['In Copyright ', 'rights-holder unlocatable', 'InC-RUU'],
      ['educational use. ', 'In Copyright', 'InC'],
      ['No copyright ', 'United States', 'NoC-US'],
      ['No copyright ', 'contractual restrictions', 'NoC-CR'],
      ['No copyright ', 'non commercial use only', 'NoC-NC'],
      ['No copyright ', 'other known legal restrictions', 'NoC-OKLR'],
      ['In\u200bCopyright\u200b', 'non-commercial', 'InC'],
      ['No\u200bcopyright\u200b', 'united states', 'InC'],
    ];
    const read = cases.map(([unit, end], i) => {
      const length = i < 2 ? 100_000 : 10_000;
      const { uri, download } = rightsOf(unit.repeat(Math.ceil(length / unit.length)) + end);
      return [unit, end, uri?.match(/vocab\/([\w-]+)\//)?.[1] ?? uri, download];
    });
    const download = (code: string | null) => code === 'NoC-US' || code === 'NoC-NC';
    expect(read).toEqual(cases.map(([unit, end, code]) => [unit, end, code, download(code)]));
  });

  // Lines joined as one clause about the record were sliced whole at each line: 1,000,000 characters of "Metadata:"
  // lines took 4 minutes (bench/rights.ts). As before the fix, at 10,000 characters.
  it('are read as before when lines naming the record join, at 10,000 characters', () => {
    const CC = 'https://creativecommons.org';
    const cases: [string, string, string | null][] = [
      ['Metadata:\n', 'CC0', null],
      ['Metadata:\n', 'CC0\nCC BY 4.0', `${CC}/licenses/by/4.0/`],
      ['CC0\n', '(metadata only)', `${CC}/publicdomain/zero/1.0/`],
      ['Metadata: CC0\n', 'CC BY 4.0', `${CC}/licenses/by/4.0/`],
    ];
    const read = cases.map(([unit, end]) => [unit, end, rightsOf(unit.repeat(10_000 / unit.length) + end).uri]);
    expect(read).toEqual(cases);
  });
});
