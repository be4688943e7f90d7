import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { askWho, makerAndDate, whoPublishes } from '../../site/src/lib/object-words.ts';

/*
 * Tester T12 (a photo archive, D27): an object page said "Ask the museum" and "The museum's words" to the public of
 * an archive, and its line "Tanaka, Hiroshi, c. 1890" ran the creator and the date together with commas.
 */

const page = new URL('../../site/src/pages/objects/[slug].astro', import.meta.url);

describe('the words of an object page', () => {
  it('keeps a creator written "surname, given name" apart from the date', () => {
    expect(makerAndDate({ maker: 'Tanaka, Hiroshi', date: 'c. 1890' })).toEqual(['Tanaka, Hiroshi', ' · ', 'c. 1890']);
    expect(makerAndDate({ maker: 'Mary Jones', date: '1901-1905' })).toEqual(['Mary Jones', ', ', '1901-1905']);
    expect(makerAndDate({ maker: 'Mary Jones', date: '1901, printed 1950' })[1]).toBe(' · ');
    expect(makerAndDate({ maker: 'Studio Hayashi', date: '' })).toEqual(['Studio Hayashi', '', '']);
  });

  it('names the collection, not a museum, to ask about a photograph and for the rights words', async () => {
    expect(askWho('Harbour Town Photo Archive')).toBe('the staff of Harbour Town Photo Archive');
    const source = await readFile(page, 'utf8');
    expect(source).not.toMatch(/Ask the museum|contact the museum|The museum's words|the museum’s record/);
    // The note is the record's words, in the page's language (D28).
    expect(source).toMatch(/The collection’s words: \{own\s+\? <span lang=\{own\}[^>]*>\{note\}<\/span>/);
    expect(source).toContain('makerAndDate(o)');
  });

  // D28: "trained before the museum renamed…" and "the confidence the museum asks for…" were still said to an archive.
  it('names the collection, not a museum, as the one that sets which guesses are published', async () => {
    expect(whoPublishes('Harbour Town Photo Archive')).toBe('Harbour Town Photo Archive');
    expect(whoPublishes('  ')).toBe('the collection');
    const source = await readFile(page, 'utf8');
    expect(source).not.toMatch(/the museum renamed|the museum asks for|this museum asks for|the museum publishes/);
  });
});
