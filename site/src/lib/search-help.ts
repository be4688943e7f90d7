/*
 * The line under the search box: what it understands besides words (lib/query.ts), with examples from the collection
 * itself. Hard-coded demo words (“coin -silver”, “mask OR figurine”) found nothing in a gallery with no coins or masks
 * (an outside tester).
 */

/** One word of letters (a label of two words would read as two search words in an example). */
const ONE_WORD = /^\p{L}[\p{L}\p{M}'’-]*$/u;
/** A word long enough to be searched on its own (not "of", "the", "a"). */
const SEARCHED = /^\p{L}[\p{L}\p{M}]{3,}$/u;

/** The help text for `objects` (their staff labels and titles). */
export function searchHelp(objects: readonly { label?: string | null; title: string }[]): string {
  const counts = new Map<string, number>();
  for (const o of objects) {
    const label = o.label?.trim();
    if (label && ONE_WORD.test(label)) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const [a, b] = [...counts]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .map(([label]) => label.toLowerCase());
  const phrase = objects
    .map((o) => o.title.trim().split(/\s+/).slice(0, 2))
    .find((words) => words.length === 2 && words.every((w) => SEARCHED.test(w)))
    ?.join(' ')
    .toLowerCase();
  const first = 'Objects with every word are found.';
  if (!a || !b)
    return (
      `${first} Type a word after “-” to leave out objects with a word starting so, “OR” between two words for ` +
      'objects with either, and words in quotation marks to find them together, in that order.'
    );
  return (
    `${first} Type “${a} -${b}” to leave out objects with a word starting “${b}”, “${a} OR ${b}” for objects with ` +
    `either word, and words in quotation marks${phrase ? ` ("${phrase}")` : ''} to find them together, in that order.`
  );
}
