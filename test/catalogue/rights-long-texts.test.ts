import { describe, expect, it } from 'vitest';
import { forbidsPublication } from '../../pipeline/catalogue/image-rules.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';
import { cpuMilliseconds } from '../fixtures/cpu-time.ts';

/*
 * A rights cell can hold a text pasted by mistake, tens of thousands of characters (tester T3, F2). Two rules read
 * such a text in time that grew with its square: "will" … "public domain" (a public domain to come) and "embargo" …
 * "lifted" (an embargo over) looked, from each "will" or "embargo", through the rest of the sentence. 100,000
 * characters took 2–3 s each, read at every build and init. Now each sentence is read once. Failed before the fix.
 */

describe('long rights texts', () => {
  it('are read in time when "will" repeats with no sentence’s end', async () => {
    const spent = await cpuMilliseconds(() => rightsOf('will '.repeat(20_000)));
    expect(spent).toBeLessThan(800);
  });

  it('are read in time when "embargo" repeats with no sentence’s end', async () => {
    const spent = await cpuMilliseconds(() => forbidsPublication('embargo '.repeat(14_000)));
    expect(spent).toBeLessThan(800);
  });

  // Lines that name the record and nothing more are joined to the next: each join read the whole clause again, and
  // 90,000 characters of such lines took 2-4 s (found in the sweep of reviewer V25's texts). Failed before the fix.
  it('are read in time when each line names the record and nothing more', async () => {
    expect(await cpuMilliseconds(() => rightsOf('Metadata:\n'.repeat(9_000)))).toBeLessThan(800);
    expect(await cpuMilliseconds(() => rightsOf('Gift of Jane Doe, metadata\n'.repeat(3_500)))).toBeLessThan(800);
  });

  // Reviewer V27: a field padded with spaces or blank lines between the image's word and the record's took time growing
  // with their square (90,000 spaces: 4 minutes). A run of them reads as one. Failed before the fix.
  it('are read in time when padded with spaces or blank lines, as with one', async () => {
    // As the same text with one space, or one blank line, there.
    const one = rightsOf('Video and metadata:\nCC0');
    const blank = rightsOf('Video\n\nand metadata:\nCC0');
    for (const padding of [' '.repeat(90_000), '\n'.repeat(90_000), ' \n'.repeat(45_000)]) {
      const padded = `Video${padding}and metadata:\nCC0`;
      let read: ReturnType<typeof rightsOf> | undefined;
      expect(await cpuMilliseconds(() => (read = rightsOf(padded)))).toBeLessThan(800);
      const { uri, badge, download } = padding.includes('\n') ? blank : one;
      expect(read).toMatchObject({ uri, badge, download });
      expect(read!.text).toBe(padded);
    }
  });

  it('are read as before', () => {
    expect(rightsOf('Will enter the public domain in 2040').uri).toBeNull();
    expect(rightsOf('It will, in 2040, be public domain').uri).toBeNull();
    expect(rightsOf('Public domain. Will be reviewed').label).toBe('Public Domain Mark 1.0');
    expect(rightsOf('Public domain; will be reviewed').label).toBe('Public Domain Mark 1.0');
    expect(forbidsPublication('Embargoed until 2030')).toBe(true);
    expect(forbidsPublication('Public domain (embargo lifted 2019)')).toBe(false);
    expect(forbidsPublication('Embargo: 2020. Lifted? Ask the registrar')).toBe(true);
    expect(forbidsPublication('Embargo was lifted')).toBe(false);
  });
});
