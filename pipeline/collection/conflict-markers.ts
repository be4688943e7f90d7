/*
 * Git's conflict markers left in a file, apart from the tables' reading (collection/index.ts): params.yaml is checked
 * for them too (params.ts), and `vitrine params` should not load the CSV reader to do it.
 */

/**
 * The line of the first of git's conflict markers left in a file (two changes to the same lines, resolved in
 * GitHub's editor with its markers kept), or undefined. All three, in order: a line that merely starts with
 * "<<<<<<<" is no conflict. For labels.csv and the other tables here, and params.yaml (params.ts).
 */
export function conflictMarkerLine(text: string): number | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const start = lines.findIndex((l) => /^<{7}( |$)/.test(l));
  if (start < 0) return undefined;
  const middle = lines.findIndex((l, i) => i > start && /^={7}$/.test(l));
  if (middle < 0 || !lines.slice(middle + 1).some((l) => /^>{7}( |$)/.test(l))) return undefined;
  return start + 1;
}
