import { listWords } from '../words.ts';

/*
 * Image paths of data/objects.csv against the names of the files under data/. An accented name can be stored two ways
 * (composed "é", or "e" and an accent: a Mac saves file names decomposed), which look the same and are different names
 * to Linux, where runners read data/: a path that matches one file once both are in one form (NFC) names that file,
 * read under its name on disk (hashing, the data cache and later stages all go by that name). Capitals are not
 * forgiven the same way: runners tell them apart, so a path that only differs in capitals gets "did you mean".
 */

export interface ImageNames {
  /**
   * The file under data/ that `relpath` names: itself, or the one file it names in another Unicode form; `twins`
   * when several files do (and none is spelt exactly so); undefined when none.
   */
  resolve(relpath: string): { relpath: string } | { twins: string[] } | undefined;
  /** Files whose names differ from `relpath` only in capitals (and Unicode form): for "did you mean", never used. */
  otherCase(relpath: string): string[];
  /** Files whose names are one name stored two (or more) ways, each group sorted. */
  twins: string[][];
}

export function imageNames(relpaths: Iterable<string>): ImageNames {
  const exact = new Set<string>();
  const byForm = new Map<string, string[]>();
  let byCase: Map<string, string[]> | undefined;
  const add = (map: Map<string, string[]>, key: string, relpath: string) => {
    const list = map.get(key);
    if (list) list.push(relpath);
    else map.set(key, [relpath]);
  };
  for (const relpath of relpaths) {
    exact.add(relpath);
    add(byForm, sameNameKey(relpath), relpath);
  }
  const twins = [...byForm.values()].filter((g) => g.length > 1).map((g) => [...g].sort(formOrder));
  return {
    resolve(relpath) {
      if (exact.has(relpath)) return { relpath };
      const same = byForm.get(sameNameKey(relpath));
      if (!same) return undefined;
      return same.length === 1 ? { relpath: same[0]! } : { twins: [...same].sort(formOrder) };
    },
    otherCase(relpath) {
      // Built only when a path is missing: most collections never need it.
      if (!byCase) {
        byCase = new Map();
        for (const name of exact) add(byCase, caseKey(name), name);
      }
      return [...(byCase.get(caseKey(relpath)) ?? [])].sort();
    },
    twins,
  };
}

/** The form in which two spellings of one name (composed, decomposed) compare equal: every reader of names uses it. */
export function sameNameKey(relpath: string): string {
  return relpath.normalize('NFC');
}

function caseKey(relpath: string): string {
  return sameNameKey(relpath).toLowerCase();
}

/** Composed first, then decomposed, then the rest: the order the messages name them in. */
function formOrder(a: string, b: string): number {
  return formRank(a) - formRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function formRank(name: string): number {
  return name === name.normalize('NFC') ? 0 : name === name.normalize('NFD') ? 1 : 2;
}

/** How a name's accented letters are stored: "composed", "decomposed" or "mixed". */
export function unicodeForm(name: string): string {
  return ['composed', 'decomposed', 'partly composed, partly decomposed'][formRank(name)]!;
}

/** `data/images/Café.jpg (composed) and data/images/Café.jpg (decomposed)`: names that look the same, told apart. */
export function twinsNamed(twins: string[]): string {
  const named = twins.map((t) => `data/${t} (${unicodeForm(t)})`);
  return listWords(named);
}
