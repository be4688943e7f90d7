import { WINDOWS_DEVICE } from '../windows-names.ts';
import { plainLetters } from './latin-letters.ts';

/*
 * The rules that make an object's page address from its number, without Node imports: the pipeline
 * (derive.ts slugFor) and the site's pages in the browser (site/src/lib/address.ts: the 404 and search
 * pages) use the same ones, so a typed number finds the page the build made; so is the object-number index the
 * pipeline writes (data.ts) and the pages read (numberKey, numberPiece, numberIndex, numberTyped).
 */

/**
 * The address an id gets when no other id has it: lower case, runs of other characters turned into "-"; "" when none
 * is left. A number in Latin letters ("DM 0267" → "dm-0267", "Château.3" → "chateau.3") keeps the address it always
 * had: its letters without accents, a-z, 0-9, ".", "_" and "-". A Latin letter of its own is written in plain letters
 * ("Réf. Œuvre–19" → "ref.-oeuvre-19", "Straße 5" → "strasse-5": latin-letters.ts); it was left out before
 * ("ref.-uvre-19"), and an object published so keeps that address (derive.ts assignSlugs). A number with letters or
 * digits of another script ("東博-123", "ОБ-12", "ΑΜ 5", "متحف ٣") keeps them too (otherAddress): its address was only
 * its Latin part before ("123", "12"), or nothing at all.
 */
export function plainAddress(id: string): string {
  if (OTHER_SCRIPT.test(id)) {
    const other = otherAddress(id);
    // Never an address the catalogue's schema refuses (one such address stopped the whole build): the Latin part.
    if (other === '' || SLUG.test(other)) return other;
  }
  return plainLetters(id)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|-+$/g, '')
    .slice(0, 80);
}

/** A letter or digit of a script other than Latin (and of no script shared by all, such as 0-9 and "ー"). */
const OTHER_SCRIPT = /(?=[\p{L}\p{N}])[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u;

/** A character an address may keep besides a-z, 0-9, ".", "_" and "-": a letter (not upper case), digit or mark. */
const KEPT = /^(?![\p{Lu}\p{Lt}])[\p{L}\p{N}\p{M}]$/u;

/** Bytes (UTF-8) of an address with other-script letters: with its code, a counter and ".partial", a folder name. */
const ADDRESS_BYTES = 200;

/**
 * The address of a number with letters of another script: those letters and digits kept as they are, lower case
 * and NFC-normalised ("か\u3099-1" is "が-1", the half-width "ｶﾞ-1" "ガ-1"), with the marks that go with them
 * (Arabic and Devanagari vowel signs); the Latin letters and the signs around them made into an address as in a
 * Latin number. At most 80 characters and 200 bytes, cut between two characters, so a folder name with the
 * address's code and ".partial" stays within the 255 bytes file systems allow. Browsers show such addresses as
 * written and send them percent-encoded (UTF-8), which static hosts (GitHub Pages, S3) and the site's pages read.
 */
function otherAddress(id: string): string {
  let out = '';
  let kept = false;
  // Lower case for the whole number, not letter by letter: a Greek "Σ" that ends a word is "ς".
  for (const c of id.normalize('NFC').toLowerCase()) {
    const other = OTHER_SCRIPT.test(c) || (/\p{L}/u.test(c) && /\p{Script=Common}/u.test(c));
    const own = other || (kept && /\p{M}/u.test(c)) ? c.normalize('NFKC') : '';
    if (own && [...own].every((k) => KEPT.test(k))) {
      out += own;
      kept = true;
      continue;
    }
    // Outside the other script: as plainAddress makes a Latin number's address, "\0" standing for what is not kept.
    kept = false;
    out += plainLetters(c)
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '\0');
  }
  // NFC again: a mark kept after a letter may compose with it ("Ε\u0301" lower-cased is "έ"). No mark first: NFKC
  // splits a Thai "ำ" or a half-width "ﾞ" into a mark and a letter, and an address begins with a letter or digit.
  const whole = out
    .normalize('NFC')
    .replace(/\0+/g, '-')
    .replace(/^[-._\p{M}]+|-+$/gu, '');
  let cut = '';
  let bytes = 0;
  for (const c of whole) {
    bytes += new TextEncoder().encode(c).length;
    if (cut.length + c.length > 80 || bytes > ADDRESS_BYTES) break;
    cut += c;
  }
  return cut.replace(/-+$/, '');
}

/**
 * What a page address must look like (the catalogue's schema, the addresses saved and published): lower-case
 * letters (a-z, or of another script), digits, marks after a letter, ".", "_" and "-"; a letter or digit first.
 */
export const SLUG = /^(?!.*[\p{Lu}\p{Lt}])[\p{L}\p{N}][\p{L}\p{N}\p{M}._-]*$/u;

/**
 * Two addresses a file system that ignores case (Windows, macOS) takes for one folder name are one address: Greek
 * final and medial sigma ("οδος", "οδοσ") are the same letter there. Every address in a-z, 0-9, ".", "_" and "-"
 * is its own key.
 */
export function folderKey(slug: string): string {
  return slug.toUpperCase().toLowerCase();
}

/**
 * Names an object's folder cannot have: files and work folders the build keeps beside the object folders
 * (iiif/collection.json, the tiles' `<slug>.partial`, temporary `….tmp` files), and names Windows cannot give a
 * folder (CON, nul.txt, com1; a name ending in "."), so the site builds and copies on a Windows runner too.
 */
export function reservedSlug(slug: string): boolean {
  return (
    slug === 'collection.json' ||
    slug.endsWith('.partial') ||
    slug.endsWith('.tmp') ||
    slug.endsWith('.') ||
    WINDOWS_DEVICE.test(slug)
  );
}

/**
 * The address of an id whose plain address another id has: the plain one and a code (the first 8 hex digits of the
 * id's md5). "nul.1-<code>" would still be a Windows device name with an extension: its first dot becomes "_".
 */
export function hashedSlug(base: string, code: string): string {
  const hashed = `${base}-${code}`;
  return reservedSlug(hashed) ? `${base.replace('.', '_')}-${code}` : hashed;
}

/** How many pieces the object-number index is cut into (data/numbers/00.json … ff.json). */
export const NUMBER_PIECES = 256;

/**
 * The key of an object number in the object-number index: its plain address without "-", "." and "_" ("DM-0267",
 * "dm 0267", "DM0267", "DM_0267" → "dm0267"), so a number is found however it was typed, in any case, with spaces,
 * hyphens, underscores or none. Ids with the same plain address have the same key. A number that leaves no address
 * (punctuation or signs alone: "..", "---", "★") is its own key, trimmed, its spaces one each, so it is found typed as
 * it is written (it was in no index: ".." could not be found); no other key has no letter or digit. "" when blank.
 */
export function numberKey(id: string): string {
  const address = plainAddress(id);
  if (address === '') return id.normalize('NFC').trim().replace(/\s+/g, ' ');
  return searchFold(address.replace(/[-._]/g, ''));
}

/**
 * The key of an id with each part's digits without their leading zeros ("PH/1923/0045" → "ph192345", "FOTO-00012" →
 * "foto12"): staff drop a number's zero padding all the time, and "PH/1923/45" found nothing (an outside tester). Part
 * by part, so a lone zero stays ("A0-05" → "a05", never "a5"). "" when it is the id's key (no zero to set aside).
 */
export function paddingAsideKey(id: string): string {
  const address = plainAddress(id);
  if (address === '') return '';
  const key = searchFold(address)
    .split(/[-._]+/)
    .map((part) => part.replace(/(^|\D)0+(?=\d)/g, '$1'))
    .join('');
  return key === numberKey(id) ? '' : key;
}

/**
 * The keys an id is found by in the object-number index: its own (numberKey), its old one (latinKey) and the one with
 * its zero padding set aside (paddingAsideKey), each once.
 */
export function numberKeys(id: string): string[] {
  return [...new Set([numberKey(id), latinKey(id), paddingAsideKey(id)].filter(Boolean))];
}

/**
 * The key of an id as it was before addresses kept the letters of other scripts: its Latin part only ("Inv. 12α" →
 * "inv12"), so a number typed without its other-script ending ("Inv. 12") still finds it; "" when it is its key.
 */
function latinKey(id: string): string {
  if (!OTHER_SCRIPT.test(id)) return '';
  const key = id
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
  return key === numberKey(id) ? '' : key;
}

/**
 * A key as typed in any script: digits of every script as 0-9 ("٣", "५" → "3", "5": a visitor types Latin digits)
 * and a Greek final sigma as σ ("αμσ 5" finds "ΑΜΣ 5", whose address has "ς"). Only the key: addresses keep them.
 */
function searchFold(key: string): string {
  return key
    .replace(/\p{Nd}/gu, (d) => {
      // Unicode gives each script's digits as a run of 0-9 in order (runs may follow each other): its place in its run.
      const cp = d.codePointAt(0)!;
      let start = cp;
      while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
      return String((cp - start) % 10);
    })
    .replace(/ς/g, 'σ');
}

/**
 * The piece of the object-number index (data/numbers/<piece>.json) that holds the ids with this key (numberKey):
 * two hex digits of its FNV-1a hash. The search page reads that one piece (a few kB at 100,000 objects) to find
 * the number typed into its box, and the object's real number and page.
 */
export function numberPiece(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return (h % NUMBER_PIECES).toString(16).padStart(2, '0');
}

/**
 * What an object that left the catalogue has in the object-number index: the number it is catalogued as now, if any.
 * Its page says so; the 404 page offers it, the search page never (lib/address.ts numberAsked).
 */
export interface NumberLeft {
  now: string | null;
}

/**
 * One piece of the object-number index: each key's ids and their pages (`[id, slug]`), in the catalogue's order; an
 * object that left has a third entry (`[id, slug, { now }]`), after those of the catalogue.
 */
export type NumberPiece = Record<string, ([string, string] | [string, string, NumberLeft])[]>;

/** An object found in the object-number index: its number, its page and, when it left the catalogue, `left`. */
export interface NumberFound {
  id: string;
  slug: string;
  left?: NumberLeft;
}

/**
 * The object-number index, all its pieces (empty ones too), by piece name ("00" … "ff"). The objects that left the
 * catalogue (`left`) are in it too, so that the 404 page finds their pages.
 */
export function numberIndex(objects: { id: string; slug: string; left?: NumberLeft }[]): Map<string, NumberPiece> {
  const pieces = new Map<string, NumberPiece>();
  // Without a prototype: an object numbered "constructor" or "__proto__" is a key like any other.
  for (let i = 0; i < NUMBER_PIECES; i++) pieces.set(i.toString(16).padStart(2, '0'), Object.create(null));
  for (const o of objects) {
    // Under its old key too (latinKey): found by the number typed without its other-script letters, as before; and
    // without its zero padding ("PH/1923/45" for "PH/1923/0045").
    for (const key of numberKeys(o.id))
      (pieces.get(numberPiece(key))![key] ??= []).push(o.left ? [o.id, o.slug, { now: o.left.now }] : [o.id, o.slug]);
  }
  return pieces;
}

/**
 * The object whose number was typed (`typed`, trimmed), among the ids with its key (numberKey). As among ids
 * with the typed number's plain address ("DM 0267" beside "DM-0267"): the id as typed, else the id that differs
 * only in case ("dm-0085" → "DM-0085"), else the one with the plain address itself (the first of the
 * look-alikes), else the first. When no id has that address ("DM0267", "MET 544744" for "MET_544744"): the
 * first id with its own plain address as its page (the first of its look-alikes), else the first; null when no
 * id has the key. No id with the key: the ids it is once their zeros are set aside (numberKeys), chosen among so.
 * With `aside`, among the ids with the typed number's key with its zeros set aside (paddingAsideKey: "PH/1923/045"
 * → "ph192345"), for a number typed with another count of zeros than its object's; `piece` is that key's piece.
 */
export function numberTyped(
  typed: string,
  piece: NumberPiece,
  { aside = false }: { aside?: boolean } = {},
): NumberFound | null {
  const found = numberChosen(typed, piece, { aside });
  if (!found?.left) return found;
  // An object that left, typed as its own number ("DM-0004", "dm-0004"): its page. Else an object of the catalogue
  // the number may be ("DM0004" for "DM 0004" beside a "DM-0004" that left) comes first.
  const folded = typed.normalize('NFC').toLowerCase();
  if (found.id === typed || found.id.normalize('NFC').toLowerCase() === folded) return found;
  const present: NumberPiece = Object.create(null);
  for (const [key, ids] of Object.entries(piece)) present[key] = ids.filter((entry) => entry.length === 2);
  return numberChosen(typed, present, { aside }) ?? found;
}

/** numberTyped, among every object the piece has (those that left too). */
function numberChosen(typed: string, piece: NumberPiece, { aside }: { aside: boolean }): NumberFound | null {
  const address = plainAddress(typed);
  const key = aside ? paddingAsideKey(typed) : numberKey(typed);
  const listed = key && Object.hasOwn(piece, key) && Array.isArray(piece[key]) ? piece[key] : [];
  // The ids whose own number this is; else those it is once their zeros are set aside ("PH/1923/45" → PH/1923/0045),
  // as they are chosen among (two such, "FOTO-00012" and "FOTO-0012" for "foto12": no guess). Looked up by the typed
  // number's own zeros set aside (`aside`: "PH/1923/045"), it is no id's own number: chosen among all alike.
  const own = aside ? [] : listed.filter(([id]) => numberKey(id) === key || latinKey(id) === key);
  const entries = own.length > 0 ? own : listed;
  const alike = entries.filter(([id]) => plainAddress(id) === address);
  // Numbers whose letters and digits run the same once punctuation is dropped: "1920.12.3" and "1920.1.23" are two
  // objects, told apart by where the punctuation falls ("1920-1-23" is the second); "DM-0267" and "dm.0267" are not.
  const runs = (text: string) =>
    text
      .normalize('NFC')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .join(' ');
  const sameRuns = entries.filter(([id]) => runs(id) === runs(typed));
  const among = sameRuns.length > 0 ? sameRuns : entries;
  // Typed so that nothing tells them apart ("19201230"): no guess.
  if (alike.length === 0 && new Set(among.map(([id]) => runs(id))).size > 1) return null;
  const folded = typed.normalize('NFC').toLowerCase();
  const found =
    alike.find(([id]) => id === typed) ??
    alike.find(([id]) => id.normalize('NFC').toLowerCase() === folded) ??
    alike.find(([, slug]) => slug === address) ??
    alike[0] ??
    among.find(([id, slug]) => slug === plainAddress(id)) ??
    among[0];
  if (!found) return null;
  const [id, slug, left] = found;
  return left ? { id, slug, left: { now: left.now } } : { id, slug };
}

/**
 * The key of a date as a visitor types it ("c.1900", "CA 1900", "1887-89", "c. 1914/18"), in the index of the dates
 * that are or begin an object number (numberDateIndex): its letters and digits in small letters, a "-" where two
 * numbers were typed apart ("c1900", "ca1900", "1887-89", "c1914-18"). "" when it has no year.
 */
export function numberDateKey(typed: string): string {
  const runs = typed
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((r) => searchFold(r));
  let key = '';
  for (const run of runs) key += /\d$/.test(key) && /^\d/.test(run) ? `-${run}` : run;
  return DATE_KEY.test(key) ? key : '';
}

/** A date's key: circa's word ("c", "ca", "circa"), a year, and the end of a range ("1887-89", "1914-1918"). */
const DATE_KEY = /^(?:c|ca|circa)?(\d{4})(?:-(\d{2}|\d{4}))?$/;

/**
 * The date keys (numberDateKey) of an object number: each run of its parts, from any part, that a visitor could type
 * as a date ("C.1900.1" → "c1900", "1887-89 a" → "1887-89", "Herb. 1887/89" → "1887-89"), with its parts' zeros set
 * aside too ("C.01900" → "c1900"). A range only where the number has its parts apart between the two years
 * ("188789" is no "1887-89"). The search page searches a typed date by its year unless the index has its key
 * (browse.astro): it read the objects found one by one to see whether one's number began so, 116 files for "c.1900"
 * among 5,000 chairs titled "Chair, c.1900", and still missed "C.1900.1" (a reviewer).
 */
export function numberDateKeys(id: string): string[] {
  const runs = id
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((r) => searchFold(r));
  const aside = runs.map((r) => r.replace(/(^|\D)0+(?=\d)/g, '$1'));
  const keys = new Set<string>();
  for (const parts of [runs, aside]) {
    for (let from = 0; from < parts.length; from++) {
      // The parts from `from` run together, and where each ends: digits typed together may be apart in the number
      // ("c.1900" begins "C.19.00"), digits typed apart must be ("1887-89" is no beginning of "188789").
      let joined = '';
      const ends = new Set<number>();
      for (const part of parts.slice(from)) {
        joined += part;
        ends.add(joined.length);
        // A date is at most "circa18871889".
        if (joined.length > 13) break;
        const date = DATE_RUN.exec(joined);
        if (!date || !isDate(date[2]!, date[3])) continue;
        const [, about = '', year, end] = date;
        // A year alone is no date a visitor types as one (lib/number.ts datesWritten): searched as typed anyway.
        if (end === undefined ? about !== '' : ends.has(about.length + 4))
          keys.add(end === undefined ? joined : `${about}${year}-${end}`);
      }
    }
  }
  return [...keys];
}

/** A date's letters and digits run together: circa's word, a year, a range's end ("c1900", "188789"). */
const DATE_RUN = /^(c|ca|circa)?(\d{4})(\d{2}|\d{4})?$/;

/** A year (1000 to 2199) and a range's end after it, within 150 years, as the search page reads dates (lib/number.ts). */
function isDate(year: string, end: string | undefined): boolean {
  const first = Number(year);
  if (first < 1000 || first > 2199) return false;
  if (end === undefined) return true;
  const last = end.length === 2 ? Number(year.slice(0, 2) + end) : Number(end);
  return last > first && last - first <= 150;
}

/**
 * The index of the dates that are or begin an object number (numberDateKeys), all its pieces (empty ones too), by
 * piece name ("00" … "ff"), as the object-number index (numberPiece): each piece the sorted keys in it.
 */
export function numberDateIndex(objects: { id: string }[]): Map<string, string[]> {
  const pieces = new Map<string, Set<string>>();
  for (let i = 0; i < NUMBER_PIECES; i++) pieces.set(i.toString(16).padStart(2, '0'), new Set());
  for (const o of objects) for (const key of numberDateKeys(o.id)) pieces.get(numberPiece(key))!.add(key);
  return new Map([...pieces].map(([name, keys]) => [name, [...keys].sort()]));
}
