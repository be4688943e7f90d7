/*
 * An accented id can be written two ways that look the same: composed ("é", one character: NFC) or as a letter and
 * an accent (NFD, as a Mac writes file names and some of the text it saves). To a museum they are one id. Import
 * keeps each object's id in one form: the one data/objects.csv already has it in, else composed; and a line of
 * labels.csv whose id is an object's written the other way is that object's line. Two rows of an export whose ids
 * differ only so are one object written twice, refused as any id written twice is.
 */

/** Ids by their composed form (NFC), each id the first of that form. */
export function byComposed(ids: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of ids) {
    const key = id.normalize('NFC');
    if (!out.has(key)) out.set(key, id);
  }
  return out;
}

/**
 * The form `id` is kept in: as written when data/objects.csv has it so (`exact`: an import before this rule may have
 * kept both forms, each its own object), else as `stored` (byComposed of data/objects.csv's ids) has it, else composed.
 */
export function keptIdForm({
  id,
  stored,
  exact,
}: {
  id: string;
  stored: Map<string, string>;
  exact?: { has(id: string): boolean };
}): string {
  if (exact?.has(id)) return id;
  const composed = id.normalize('NFC');
  return stored.get(composed) ?? composed;
}

/**
 * Rewrites in place the object_id of each row that names one of `ids` with its accents encoded another way, to
 * that id as written in `ids`; a row naming an id exactly, or none, is left. Returns the rows rewritten.
 */
export function sameIdLines({
  rows,
  ids,
}: {
  rows: Record<string, string | undefined>[];
  ids: Iterable<string>;
}): Record<string, string | undefined>[] {
  const exact = new Set(ids);
  const composed = byComposed(exact);
  const rewritten: Record<string, string | undefined>[] = [];
  for (const row of rows) {
    const id = row.object_id;
    if (!id || exact.has(id)) continue;
    const meant = composed.get(id.normalize('NFC'));
    if (meant === undefined) continue;
    row.object_id = meant;
    rewritten.push(row);
  }
  return rewritten;
}
