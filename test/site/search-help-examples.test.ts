import { describe, expect, it } from 'vitest';
import { searchHelp } from '../../site/src/lib/search-help.ts';

/*
 * Outside tester D (a university art gallery): the gallery's search page explained search with the demo's objects,
 * “coin -silver”, “mask OR figurine” and ("festival mask"), words hard-coded in browse.astro. The gallery has no
 * coins, masks or figurines, and a visitor trying them got nothing. The examples now come from the collection: its
 * two most used staff labels, and a title's first words.
 */

const object = (label: string | null, title: string) => ({ label, title });

describe('the line under the search box', () => {
  it('gives examples from the gallery’s own labels and titles, none of the demo’s', () => {
    const objects = [
      ...Array.from({ length: 45 }, (_, i) => object('Painting', i === 0 ? 'The Bedroom' : `Study ${i}`)),
      ...Array.from({ length: 29 }, () => object('Sculpture', 'Seated woman')),
      ...Array.from({ length: 12 }, () => object('Decorative Arts', 'Panel with striding lion')),
      object(null, 'Untitled'),
    ];
    const help = searchHelp(objects);
    expect(help).toContain('“painting -sculpture”');
    expect(help).toContain('“sculpture”');
    expect(help).toContain('“painting OR sculpture”');
    // The first title whose first two words are words: "The Bedroom" has "the", a word too short to search alone.
    expect(help).toContain('("seated woman")');
    expect(help).not.toMatch(/coin|mask|figurine|silver|festival/);
  });

  it('says what the box understands without examples when there are no two one-word labels', () => {
    const help = searchHelp([object('Decorative Arts', 'Vase'), object('Decorative Arts', 'Bowl')]);
    expect(help).toContain('Objects with every word are found.');
    expect(help).toMatch(/“-”.*“OR”.*quotation marks/);
    expect(help).not.toMatch(/coin|mask|figurine/);
  });
});
