/*
 * Object numbers as people count them: OBJ-2 before OBJ-10, A.2023.1.2-a before A.2023.1.10-a. A fixed locale, so
 * the same on every machine; ties (numbers that collate alike, "A-01" and "A-1") broken by code point. Files that
 * staff edit and diff (labels.csv, data/objects.csv) keep code-point order (collection/index.ts compareIds).
 */
const NATURAL = new Intl.Collator('en', { numeric: true });

/** Ids in natural order (for messages and lists the public pages through). */
export function compareIdsNaturally(a: string, b: string): number {
  return NATURAL.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
