import { umlautsWritten } from './fold.ts';
import { joinedToNumber } from './number.ts';

/**
 * What a visitor types into the search box, as museum collection sites and web search read it:
 * - `-word` (or `-"a phrase"`): leave out the objects that have it;
 * - `OR` in capitals between two terms: objects with either ("bronze mask OR figurine" is bronze, and mask or
 *   figurine: OR joins the terms either side of it, as on Google);
 * - `"a phrase"` (straight or curly quotes): the words together, in that order.
 * Everything else is a word, as Pagefind reads it. A "-" inside a word ("19th-century", "DM-0267") or before a digit
 * ("-5") is part of the word; "or" in small letters is a word.
 */

/** A word, or the words of a quoted phrase (`phrase`), as typed. */
export interface QueryTerm {
  text: string;
  phrase: boolean;
  /** Another spelling of a term, searched with it quietly: the term as typed ("Münze" for "Muenze": umlautsEitherWay). */
  typed?: string;
}

export interface ParsedQuery {
  /** The alternatives: an object is found when it has every term of any of them. Empty when nothing is searched. */
  anyOf: QueryTerm[][];
  /** The terms whose objects are left out. */
  without: QueryTerm[];
  /** Whether "OR" was typed (with a term either side of it or not). */
  or: boolean;
  /** More alternatives than `limit` (several ORs multiply): `anyOf` is empty then. */
  tooMany: boolean;
  /** How many "-" terms and phrases were not used: only the first `TERMS` are. */
  unused: number;
  /** An "OR" had no term on one side of it ("mask OR", "OR mask", "mask OR OR"), and joined nothing. */
  danglingOr: boolean;
}

/** At most this many alternatives are searched ("a OR b c OR d" is 4). */
export const ALTERNATIVES = 16;

/**
 * At most this many "-" terms and phrases together are used: each is a Pagefind search, one after another (and a
 * "-" word loads a result's fragment too), so a shared link with hundreds of them would make hundreds of requests.
 */
export const TERMS = 10;

/** At most this many characters of what was typed are said back on the status line, which is read aloud. */
export const ECHO = 100;

const QUOTES = /[“”„‟″«»]/g;

/** `typed` parsed (see the module's comment). */
export function parseQuery(
  typed: string,
  { limit = ALTERNATIVES, terms = TERMS }: { limit?: number; terms?: number } = {},
): ParsedQuery {
  const text = typed.replace(QUOTES, '"');
  // Each clause is the terms either side of OR; an object must match one term of every clause.
  const clauses: QueryTerm[][] = [];
  const without: QueryTerm[] = [];
  let or = false;
  let joinNext = false;
  let danglingOr = false;
  // The "-" terms and phrases used so far (a "-" one marked "-"), and how many more were not.
  const counted = new Set<string>();
  let unused = 0;
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const minus = text[i] === '-' && (text[i + 1] === '"' || /\p{L}/u.test(text[i + 1] ?? ''));
    if (minus) i++;
    let term: QueryTerm;
    if (text[i] === '"') {
      // A phrase runs to the next quote, or to the end when it is not closed.
      const end = text.indexOf('"', i + 1);
      const stop = end < 0 ? text.length : end;
      term = {
        text: text
          .slice(i + 1, stop)
          .replace(/\s+/g, ' ')
          .trim(),
        phrase: true,
      };
      i = end < 0 ? text.length : end + 1;
    } else {
      const m = /^\S+/.exec(text.slice(i))!;
      i += m[0].length;
      if (m[0] === 'OR' && !minus) {
        or = true;
        // Nothing before it, or another OR just before it.
        if (clauses.length === 0 || joinNext) danglingOr = true;
        joinNext = clauses.length > 0;
        continue;
      }
      term = { text: m[0], phrase: false };
    }
    if (term.text === '') continue;
    if (minus || term.phrase) {
      const k = `${minus ? '-' : ''}${key([term])}`;
      if (!counted.has(k) && counted.size >= terms) {
        unused++;
        continue;
      }
      counted.add(k);
    }
    if (minus) {
      if (!without.some((t) => same(t, term))) without.push(term);
      continue;
    }
    if (joinNext) clauses.at(-1)!.push(term);
    else clauses.push([term]);
    joinNext = false;
  }
  // Nothing after the last OR.
  if (joinNext) danglingOr = true;
  const count = clauses.reduce((n, c) => n * c.length, 1);
  if (count > limit) return { anyOf: [], without, or, tooMany: true, unused, danglingOr };
  let anyOf: QueryTerm[][] = clauses.length ? [[]] : [];
  for (const clause of clauses) anyOf = anyOf.flatMap((terms) => clause.map((t) => [...terms, t]));
  // The same term twice in an alternative, or the same alternative twice ("mask OR mask"), is searched once; not a
  // letter that is a part of the number typed before it ("A 2023 1 17 a": lib/number.ts joinedToNumber).
  anyOf = anyOf.map((terms) => {
    const joins = joinedToNumber(terms.map((t) => (t.phrase ? '"' : t.text)));
    return terms.filter((t, at) => joins[at] || terms.findIndex((u) => same(t, u)) === at);
  });
  anyOf = anyOf.filter((terms, at) => anyOf.findIndex((u) => key(u) === key(terms)) === at);
  return { anyOf, without, or, tooMany: false, unused, danglingOr };
}

/**
 * `q` with each term holding ä, ö or ü searched either way, as typed or written as German writes it without the
 * umlaut ("Münze" or "Muenze", "-Töpferei" as "-Töpferei -Toepferei"): a catalogue may write either, and an object
 * page written with the umlaut carries the word written so too (lib/fold.ts foldedCopy), so "Muenze" typed finds
 * "Münze" as it is. Not the other way round: a typed "ue" read as "ü" would make "blue", "queen" or "Feuer" other
 * words. Each such term either way ("Münze Köln": 4 alternatives); beyond `limit`, every such term written so at once
 * (2 alternatives), and `q` as it is when even that is too many. `q` itself when no term has such a letter.
 * The other spelling is searched quietly: it holds the term as typed (`typed`), which the status line says back
 * (asTyped), and notes are said of the term as typed (saidNothing). A word of one letter ("Ü") is too short to search,
 * not "Ue"; a "-" term or a phrase is a search of its own, so its other spelling is searched only while those typed
 * and the other spellings are within `terms` (TERMS, as parseQuery counts them): 10 "-" words made 20 searches.
 */
export function umlautsEitherWay(
  q: ParsedQuery,
  { limit = ALTERNATIVES, terms = TERMS }: { limit?: number; terms?: number } = {},
): ParsedQuery {
  const umlaut = (t: QueryTerm) => {
    const text = t.text.normalize('NFC');
    return /[äöüÄÖÜ]/u.test(text) && /[\p{L}\p{N}]{2}/u.test(text);
  };
  // The phrases and "-" terms, each a search of its own (counted once each, as parseQuery counts them), and those
  // searched the other way too while there is room: the phrases searched for first.
  const own = (t: QueryTerm, minus: boolean) => `${minus ? '-' : ''}${key([t])}`;
  const searches = [
    ...q.anyOf.flat().flatMap((t) => (t.phrase ? [{ t, k: own(t, false) }] : [])),
    ...q.without.map((t) => ({ t, k: own(t, true) })),
  ];
  let room = terms - new Set(searches.map((s) => s.k)).size;
  const twice = new Set<string>();
  for (const { t, k } of searches) {
    if (room > 0 && !twice.has(k) && umlaut(t)) {
      twice.add(k);
      room--;
    }
  }
  const either = (t: QueryTerm, minus = false) => umlaut(t) && (!(t.phrase || minus) || twice.has(own(t, minus)));
  if (!q.anyOf.some((alt) => alt.some((t) => either(t))) && !q.without.some((t) => either(t, true))) return q;
  const written = (t: QueryTerm): QueryTerm => (either(t) ? { ...t, text: umlautsWritten(t.text), typed: t.text } : t);
  const ways = (t: QueryTerm) => (either(t) ? [t, written(t)] : [t]);
  const eitherWay = q.anyOf.flatMap((alt) =>
    alt.reduce<QueryTerm[][]>((alts, t) => alts.flatMap((a) => ways(t).map((w) => [...a, w])), [[]]),
  );
  const atOnce = q.anyOf.flatMap((alt) => (alt.some((t) => either(t)) ? [alt, alt.map(written)] : [alt]));
  const anyOf = eitherWay.length <= limit ? eitherWay : atOnce.length <= limit ? atOnce : q.anyOf;
  const without = q.without.flatMap((t) =>
    either(t, true) ? [t, { ...t, text: umlautsWritten(t.text), typed: t.text }] : [t],
  );
  return { ...q, anyOf, without };
}

/** Whether every term of `terms` is as typed: none another spelling searched quietly (umlautsEitherWay). */
export function typedSo(terms: QueryTerm[]): boolean {
  return terms.every((t) => t.typed === undefined);
}

/** `q` as typed, for the status line: without the other spellings umlautsEitherWay searches quietly. */
export function asTyped(q: ParsedQuery): ParsedQuery {
  return { ...q, anyOf: q.anyOf.filter(typedSo), without: q.without.filter((t) => typedSo([t])) };
}

/**
 * For each of `alternatives` (a query's, or each of its "-" terms alone), whether its note that it found nothing
 * ("no object has the word …") is said, given whether each `found` objects: only of one as typed, and only when no
 * other spelling of it found any (umlautsEitherWay). "Münze" said twice that no object has it, once as "Muenze".
 */
export function saidNothing(alternatives: QueryTerm[][], found: boolean[]): boolean[] {
  const typedKey = (alt: QueryTerm[]) => key(alt.map((t) => ({ text: t.typed ?? t.text, phrase: t.phrase })));
  const foundSo = new Set(alternatives.flatMap((alt, at) => (found[at] ? [typedKey(alt)] : [])));
  return alternatives.map((alt, at) => !found[at] && typedSo(alt) && !foundSo.has(typedKey(alt)));
}

function same(a: QueryTerm, b: QueryTerm): boolean {
  return a.phrase === b.phrase && a.text.toLowerCase() === b.text.toLowerCase();
}

function key(terms: QueryTerm[]): string {
  return terms
    .map((t) => `${t.phrase ? '"' : ''}${t.text.toLowerCase()}`)
    .sort()
    .join('\u0000');
}

/**
 * The query Pagefind can answer itself in one search, or null when it needs several (OR, "-", a phrase with other
 * words): the words as typed, or one phrase in quotes (Pagefind 1.6 searches a query that is one quoted phrase
 * exactly, and no other). "" when there is nothing to search.
 */
export function singleSearch(q: ParsedQuery): string | null {
  if (q.without.length > 0 || q.anyOf.length > 1 || q.tooMany) return null;
  const terms = q.anyOf[0] ?? [];
  if (terms.every((t) => !t.phrase)) return terms.map((t) => t.text).join(' ');
  return terms.length === 1 ? `"${terms[0]!.text}"` : null;
}

/**
 * The Pagefind searches that find the objects with every term of `terms`: one of its words together (null when it
 * has none), and one of each phrase, quoted (which Pagefind searches exactly).
 */
export function searchesFor(terms: QueryTerm[]): { words: string | null; phrases: string[] } {
  const words = terms.filter((t) => !t.phrase).map((t) => t.text);
  return {
    words: words.length ? words.join(' ') : null,
    phrases: terms.filter((t) => t.phrase).map((t) => `"${t.text}"`),
  };
}

/** Terms in words for the status line: “bronze mask”, or “bronze ‘festival mask’” when a phrase is among others. */
export function termsInWords(terms: QueryTerm[]): string {
  if (terms.length === 1) return clip(`“${terms[0]!.text}”`);
  return clip(`“${terms.map((t) => (t.phrase ? `‘${t.text}’` : t.text)).join(' ')}”`);
}

/**
 * `text` cut to `max` characters, ending with "…" when it was longer, and closing the quotation marks the cut left
 * open (“coin” without “w0” or “w1…”).
 */
export function clip(text: string, max = ECHO): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const open = (o: string, c: string) => (cut.split(o).length > cut.split(c).length ? c : '');
  return `${cut}…${open('‘', '’')}${open('“', '”')}`;
}
