/**
 * The whole collection's count per filter value (`counts[facet][value]`), for the search page to show when
 * browsing without words. Objects without a prototype: a department or material a museum calls "constructor" or
 * "__proto__" is counted like any other word, not read as (or written over) a JavaScript object's own property.
 */
export function facetCounts(
  values: Iterable<{ facet: string; value: string }>,
): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = Object.create(null);
  for (const { facet, value } of values) {
    const of = (counts[facet] ??= Object.create(null) as Record<string, number>);
    of[value] = (of[value] ?? 0) + 1;
  }
  return counts;
}
