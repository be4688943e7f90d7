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

/**
 * What sets apart two ids (or labels) that differ only in their Unicode form, to say so in words: "accents" when
 * each character written two ways is a Latin, Greek or Cyrillic letter with accents (é, or e and a combining accent);
 * else "letters" (a Korean syllable or its separate jamo letters, a kana and its voicing mark).
 */
export function lettersApart({ id, other }: { id: string; other: string }): 'accents' | 'letters' {
  for (const text of [id, other]) {
    for (const char of text.normalize('NFC')) {
      const parts = char.normalize('NFD');
      if (parts === char) continue;
      if (!/^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]\p{M}+$/u.test(parts)) return 'letters';
    }
  }
  return 'accents';
}

/** ", its accents encoded another way" or ", its letters encoded another way (as a Mac saves them)". */
export function encodedAnotherWay({ id, other }: { id: string; other: string }): string {
  return lettersApart({ id, other }) === 'accents'
    ? 'its accents encoded another way'
    : 'its letters encoded another way (as a Mac saves them)';
}
