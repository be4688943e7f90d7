/*
 * Counted and listed words for messages: "3 files", "a, b and c". No imports: the catalogue site's pages and most
 * commands use them, and loading them from data/ops.ts brought in git, the S3 client and the data layer with them.
 */

/** "1 file", "3 files". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Words in a sentence: "a", "a and b", "a, b and c". `last` is the word before the last one, 'and' (default) or
 * 'or'; ',' joins them all with commas ("a, b, c"). With `max` (default: all) only the first `max` are named and
 * the rest counted, "a, b and 3 more" ("a, b or 3 others" with 'or'); `untold` (default 0) adds to that count
 * the items left out of `items`.
 */
export function listWords(
  items: readonly string[],
  {
    last = 'and',
    max = Number.POSITIVE_INFINITY,
    untold = 0,
  }: { last?: 'and' | 'or' | ','; max?: number; untold?: number } = {},
): string {
  const rest = Math.max(0, items.length - max) + untold;
  const shown = items.slice(0, max);
  if (rest > 0) shown.push(last === 'or' ? `${rest} ${rest === 1 ? 'other' : 'others'}` : `${rest} more`);
  else if (last === ',') return shown.join(', ');
  if (shown.length < 2) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${last === 'or' ? 'or' : 'and'} ${shown.at(-1)}`;
}

/** A size in bytes as people read it: "512 B", "1.5 MB", "12 GB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
