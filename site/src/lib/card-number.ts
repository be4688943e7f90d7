import { readUnindexed } from './unindexed.ts';

/*
 * A search result card's object number, as the cards of lists show it (components/CardGrid.astro): folios of one
 * manuscript share a title ("Psautier enluminé"), only "MS 123 f. 1r" and "MS 123 f. 2v" tell their cards apart.
 * Object pages write it as a Pagefind meta field in punctuation marks (unindexed.ts), so it adds no word to search.
 */

/** The card's number line, as text (read by screen readers with the link); none for an index made without it. */
export function cardNumber(meta: Record<string, string | undefined>): HTMLParagraphElement[] {
  const number = meta.number && readUnindexed(meta.number);
  if (!number) return [];
  const p = document.createElement('p');
  p.className = 'number';
  // Numbers in any script: the browser sets the line's direction from its first letters.
  p.dir = 'auto';
  p.textContent = number;
  return [p];
}
