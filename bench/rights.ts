/*
 * Reading a long rights text (pipeline/catalogue/rights.ts): a whole licence pasted into a cell, or a phrase
 * repeated, read at every catalogue build and init. CPU seconds to read texts of 10, 100 and 1,000 kB, one phrase
 * repeated or a licence's sentences. Target: well under a second per 100 kB, whatever the text (task D41: "In
 * Copyright " repeated to 100 kB took 20 s, its square). A size is not run when the one before took over 5 s: it
 * would take minutes. What the texts read as is tested in test/catalogue/rights-long-statements.test.ts; the time is
 * measured here, never in a test.
 * Run: npx node bench/rights.ts
 */
import { rightsOf } from '../pipeline/catalogue/rights.ts';

// Sentences as a licence pasted into a cell says them: statements named again and again, clauses, dots.
const LICENCE =
  'Creative Commons Attribution-NonCommercial 4.0 International Public License. By exercising the Licensed ' +
  'Rights, You accept and agree to be bound by these terms; the Licensor grants You a non-commercial licence. ' +
  'Works in copyright - educational use only. No copyright is claimed in the metadata. (c) 2019 the Licensor, ' +
  'all rights reserved except as stated: see https://creativecommons.org/licenses/by-nc/4.0/ for the rest.\n';

const TEXTS: [string, string][] = [
  ['"In Copyright " repeated', 'In Copyright '],
  ['"InCopyright " repeated', 'InCopyright '],
  ['"In Copyright" with zero-width spaces', 'In\u200bCopyright\u200b'],
  ['"No copyright " repeated', 'No copyright '],
  ['"Metadata:" lines', 'Metadata:\n'],
  ['". " repeated', '. '],
  ['a licence pasted', LICENCE],
];

const SIZES_KB = [10, 100, 1000];

export async function run(): Promise<void> {
  const sized = (unit: string, kb: number) => unit.repeat(Math.ceil((kb * 1000) / unit.length)).slice(0, kb * 1000);
  // Each text read once small first: the patterns' first runs on a long text compile them, once for a whole build.
  for (const [, unit] of TEXTS) rightsOf(sized(unit, 10));
  for (const [what, unit] of TEXTS) {
    let last = 0;
    const figures: string[] = [];
    let met = true;
    for (const kb of SIZES_KB) {
      if (last > 5) {
        figures.push(`${kb} kB not run`);
        met = false;
        continue;
      }
      const text = sized(unit, kb);
      // CPU time, which other work on the machine does not add to.
      const started = process.cpuUsage();
      rightsOf(text);
      const spent = process.cpuUsage(started);
      last = (spent.user + spent.system) / 1e6;
      met &&= last < kb / 100 / 2;
      figures.push(`${kb} kB ${last.toFixed(2)} s`);
    }
    console.log(`${what.padEnd(40)} ${figures.join(', ').padEnd(50)} ${met ? 'met' : 'MISSED'}`);
  }
  console.log('CPU seconds; target: under half a second per 100 kB');
}

if (import.meta.main) await run();
