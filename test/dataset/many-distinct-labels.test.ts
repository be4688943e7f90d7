import { describe, expect, it } from 'vitest';
import { checkVocabulary, nearDuplicates } from '../../pipeline/collection/vocabulary.ts';

/*
 * Tester s25 #1: a label column of per-object values (cls-0000 … cls-0299) printed 42,066 "look like the same
 * label (a spelling variant)" lines, one per pair, and the pair search compared every label with every other.
 */

const vocabulary = ['coin', 'figurine', 'mask', 'print', 'textile', 'vessel'];
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `cls-${String(i).padStart(4, '0')}`);

describe('many distinct labels', () => {
  it('300 numbered labels used once each are said to look like identifiers, in a few lines, not as spelling variants', () => {
    const labels = numbered(300).map((label, i) => ({ label, line: i + 2 }));
    const check = checkVocabulary({ labels, vocabulary });
    const lines = check.message.split('\n');
    expect(lines.length).toBeLessThan(15);
    expect(check.message).not.toContain('spelling variant');
    expect(check.nearDuplicates).toEqual([]);
    expect(check.message).toContain('300 labels look like identifiers, not classes');
    // No paragraph line lists all 300: a few are named, then how many more.
    for (const line of lines) expect(line.length).toBeLessThan(1200);
    expect(check.message).toContain('and 280 more');
    // A vocabulary of 300 identifiers is no advice.
    expect(check.message).not.toContain('vocabulary: [');
  });

  it('many look-alike pairs give one summary line, a few examples and "…and N more"', () => {
    const words = [
      'bracelet',
      'necklace',
      'brooch',
      'amphora',
      'figurine',
      'lantern',
      'chalice',
      'pendant',
      'tapestry',
    ];
    const slips = [
      'braclet',
      'necklase',
      'broach',
      'amphorra',
      'figurene',
      'lanterne',
      'challice',
      'pendent',
      'tapestri',
    ];
    const labels = [...words, ...words, ...words, ...slips].map((label) => ({ label }));
    const check = checkVocabulary({ labels, vocabulary: ['coin'] });
    expect(check.nearDuplicates.length).toBe(9);
    const pairLines = check.message.split('\n').filter((l) => l.includes('" and "'));
    expect(pairLines.length).toBeLessThanOrEqual(3);
    expect(check.message).toContain('9 pairs of labels look like the same label written two ways');
    expect(check.message).toContain('…and 6 more');
  });

  it('still finds the pairs it found before, in the same order', () => {
    expect(
      nearDuplicates([
        'Coin',
        'coin',
        'Reliefs',
        'Relief',
        'Jewelry',
        'Jewellery',
        'Pottery',
        'Statuary',
        'mask',
        'vase',
      ]),
    ).toEqual([
      { labels: ['Coin', 'coin'], why: 'case' },
      { labels: ['Reliefs', 'Relief'], why: 'plural' },
      { labels: ['Jewelry', 'Jewellery'], why: 'spelling' },
    ]);
    expect(nearDuplicates(['vessel', 'vessels', 'vases', 'vase', 'boxes', 'box'])).toEqual([
      { labels: ['vessel', 'vessels'], why: 'plural' },
      { labels: ['vases', 'vase'], why: 'plural' },
      { labels: ['boxes', 'box'], why: 'plural' },
    ]);
  });

  it('the pair search over 5,000 labels is not quadratic in time', () => {
    // Word-like labels (a thesaurus of 5,000 classes) and numbered ones.
    let seed = 7;
    const letter = () => {
      // xorshift32: a plain linear congruence repeated its letters with a short period.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return String.fromCharCode(97 + ((seed >>> 0) % 26));
    };
    const words = Array.from({ length: 5000 }, () => Array.from({ length: 9 }, letter).join(''));
    // CPU time, not wall time: the machine is shared. Comparing every pair took about 14 s of CPU per 5,000 labels.
    const started = process.cpuUsage();
    nearDuplicates(words);
    nearDuplicates(numbered(5000));
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    console.log(`nearDuplicates: 2 × 5,000 labels in ${ms.toFixed(0)} ms of CPU`);
    expect(ms).toBeLessThan(4000);
  });
});
