/*
 * Museum dates as year ranges. A date field is free text: "c. 1391–1353 BCE", "early 20th century",
 * "1000s-1100s", "2nd millennium BC", "Late Period–Ptolemaic Period", "New Kingdom, Ramesside". Years are historical:
 * negative is BCE (-1391 is 1391 BCE), there is no year 0. Named periods come from the museum's
 * vocabulary in params (`catalogue.periods`: name → [first year, last year]).
 */

import { plainSpaces } from '../collection/hidden-characters.ts';
import {
  APPROXIMATE,
  bothYears,
  ERA_OPENS,
  fromEasternLanguages,
  fromOtherLanguages,
  textBefore,
  UNREAD_YEAR,
  unknownEra,
} from './date-languages.ts';

/** First and last year an object may date from (inclusive). */
export interface YearRange {
  start: number;
  end: number;
}

/** Named periods: name (any case) → [first year, last year]. */
export type PeriodVocabulary = Record<string, readonly [number, number]>;

const ORDINAL_WORDS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
  'twenty first',
];

/** Early / mid / late: the first, middle or last third of a span; "part3of4": its third quarter. */
function part(range: YearRange, modifier: string | undefined): YearRange {
  if (!modifier) return range;
  const piece = modifier.match(/^part(\d)of(\d)$/);
  if (piece) {
    const size = (range.end - range.start + 1) / Number(piece[2]);
    const i = Number(piece[1]) - 1;
    return { start: Math.round(range.start + i * size), end: Math.round(range.start + (i + 1) * size - 1) };
  }
  const third = (range.end - range.start + 1) / 3;
  if (/^early/.test(modifier)) return { start: range.start, end: Math.round(range.start + third - 1) };
  if (/^(mid|middle)/.test(modifier))
    return { start: Math.round(range.start + third), end: Math.round(range.end - third) };
  return { start: Math.round(range.end - third + 1), end: range.end };
}

/** The years of a century: 20 → 1901..2000 is the textbook reading, but catalogues mean 1900..1999. */
function century(n: number, bce: boolean): YearRange {
  return bce ? { start: -n * 100, end: -(n - 1) * 100 - 1 } : { start: (n - 1) * 100, end: n * 100 - 1 };
}

/** The years of a millennium, as a century's are read: the 2nd millennium BCE is 2000–1001 BCE, the 2nd 1000–1999. */
function millennium(n: number, bce: boolean): YearRange {
  return bce ? { start: -n * 1000, end: -(n - 1) * 1000 - 1 } : { start: (n - 1) * 1000, end: n * 1000 - 1 };
}

interface Side {
  range: YearRange;
  /** Era written on this side: true BCE, false CE, null not written. */
  bce: boolean | null;
  /** A bare number, which takes the era written on the other side ("1391–1353 BCE"). */
  bare: number | null;
  /** The bare number as written ("05" in "1895–05"). */
  digits?: string;
  /** A decade written with "s", as written ("30" in "1920s–30s"). */
  decade?: string;
  /** Written with unknown digits ("192-", "19xx"): a range of years of its own. */
  unknown?: boolean;
}

/** One date form found in a side, and where: the first one written is the object's own date. */
interface Found {
  at: number;
  side: Side;
}

const MODIFIER = '(early|mid|middle|late|part[1-4]of[2-4])?';

// Built once: a date is parsed in ~20 µs, 100k of them per catalogue build.
const ORDINAL_CENTURY = new RegExp(
  `${MODIFIER}\\s*(\\d{1,2})(?:st|nd|rd|th)\\b(?!\\s*millenni)(\\s*(century|cent\\.|c\\.))?`,
);
const WORD_CENTURY = new RegExp(`${MODIFIER}\\s*(${ORDINAL_WORDS.join('|')})\\s+century`);
/** "2nd millennium", "second millennium", "3rd–2nd millennia" (each side "3rd millennium" once `parseDate` has it). */
const MILLENNIUM = new RegExp(
  `${MODIFIER}\\s*(?:(\\d{1,2})(?:st|nd|rd|th)|(${ORDINAL_WORDS.slice(0, 10).join('|')}))\\s+millenni(?:um|a)\\b`,
);
const DECADE = new RegExp(`${MODIFIER}\\s*(\\d{2,4})s\\b`);

/** One side of a range: a century, a decade or century written with "s", a year, or a named period. */
function parseSide(
  text: string,
  inCenturies: boolean,
  periods: [string, YearRange][],
  /** The second side of a range ("90, cast 1910" of "1887–90, cast 1910"): a short year may open it. */
  rangeEnd = false,
): Side | null {
  // Named periods first ("Dynasty 18" holds a number); "Late Period (Saite)" is where both overlap.
  let found: YearRange | null = null;
  for (const [name, range] of periods) {
    const at = text.indexOf(name);
    if (at < 0 || /[a-z0-9]/.test(text[at - 1] ?? '') || /[a-z0-9]/.test(text[at + name.length] ?? '')) continue;
    const before = text.slice(0, at);
    const blanked = text.slice(0, at) + ' '.repeat(name.length) + text.slice(at + name.length);
    // "post-Amarna Period" is after that period, not in it.
    if (/\b(post|pre)[-\s]?$/.test(before)) {
      text = blanked;
      continue;
    }
    const modifier = before.match(/(early|mid|middle|late|part[1-4]of[2-4])\s*$/)?.[1];
    const r = part(range, modifier);
    if (!found) found = r;
    else {
      const overlap: YearRange = { start: Math.max(found.start, r.start), end: Math.min(found.end, r.end) };
      // Two names that overlap narrow the date; two that do not (a copy and its original) keep the first.
      if (overlap.start <= overlap.end) found = overlap;
    }
    text = blanked;
  }
  if (found) return { range: found, bce: null, bare: null };
  const bce = /\b(bce|bc|b\.c\.(e\.)?)(?![a-z])/.test(text)
    ? true
    : /\b(ce|ad|a\.d\.)(?![a-z])/.test(text)
      ? false
      : null;
  // "1850, bce 300": an era written before a later year is that year's, not the one before it.
  // Where the first era is, and where those before no year are ("1500 bc", not "bc 300"): found once, so a long field
  // full of eras is read in a time that grows with its length.
  let firstEra = Number.POSITIVE_INFINITY;
  const trailing: number[] = [];
  if (bce === true)
    for (const m of text.matchAll(/\b(?:bce|bc|b\.c\.(?:e\.)?)(?![a-z])/g)) {
      firstEra = Math.min(firstEra, m.index);
      const next = text.slice(m.index + m[0].length);
      if (!/^\s*(?:ca\.|c\.|circa)?\s*\d+(?![\da-z])/.test(next)) trailing.push(m.index);
    }
  const numbers = bce === true ? [...text.matchAll(/\d+/g)].map((m) => m.index) : [];
  /** How many of `list` (in order) are before `at`: a binary search, so each number is read in the same time. */
  const countBefore = (list: number[], at: number) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const after = (list: number[], at: number) => list[countBefore(list, at + 1)];
  const lastBefore = (list: number[], at: number) => list[countBefore(list, at) - 1] ?? -1;
  /**
   * The era of the number written from `at` to `end`: one written before it ("1850, bce 300" aside), or one right
   * after it, with no other number between ("1500 (?) bc", "3rd century bc"). "1920, 50 bc": 50 is before Christ, 1920
   * neither before nor after (`undefined`, not read).
   */
  const eraAt = (at: number, end: number): boolean | null | undefined => {
    if (bce !== true) return bce;
    // "2nd century AD after a Greek original of 450 BC", "1920 AD, after …": its own era, right after it.
    AD_RIGHT_AFTER.lastIndex = end;
    if (AD_RIGHT_AFTER.test(text)) return false;
    if (firstEra < at) return true;
    const e = after(trailing, at);
    if (e === undefined) return null;
    return lastBefore(numbers, e) < end ? true : undefined;
  };
  // The first date written is the object's ("ca. 1870, printed 1920s"); a number of one or two digits only when
  // nothing else is ("ca. 30 BC", "AD 79"), so "Series 2, 1870" is 1870.
  let best: Found | null = null;
  const consider = (at: number, side: () => Side) => {
    if (!best || at < best.at) best = { at, side: side() };
  };
  const unknown = text.match(UNKNOWN_SIDE);
  if (unknown) {
    const at = unknown.index! + unknown[0].indexOf(unknown[2]!);
    // "No. 19--", "Box 19--": a number, not a date.
    if (NOT_A_YEAR.test(textBefore(text, at))) return null;
    const range = { start: Number(unknown[2]), end: Number(unknown[3]) };
    consider(unknown.index!, () => ({ range: part(range, unknown[1]), bce, bare: null, unknown: true }));
  }
  const ord = text.match(ORDINAL_CENTURY);
  const ordEnd = ord ? ord.index! + ord[0].indexOf(ord[2]!) + ord[2]!.length : 0;
  // "1st century, after a Greek original of 450 BC": the era after a year is that year's; the century's is not known.
  if (ord && (ord[3] || inCenturies) && eraAt(ord.index!, ordEnd) === undefined) {
    if (/\d{3}/.test(text.slice(ordEnd, after(trailing, ord.index!)))) return null;
  }
  const thousand = text.match(MILLENNIUM);
  if (thousand) {
    const n = thousand[2] ? Number(thousand[2]) : ORDINAL_WORDS.indexOf(thousand[3]!) + 1;
    const at = thousand.index! + thousand[0].indexOf(thousand[2] ?? thousand[3]!);
    consider(thousand.index!, () => {
      // Its era written anywhere after it, as a century's ("3rd–2nd millennium BC"), or its own "AD" right after it.
      const written = eraAt(at, at + (thousand[2] ?? thousand[3]!).length);
      const era = written === undefined ? true : written;
      return { range: part(millennium(n, era === true), thousand[1]), bce: era, bare: null };
    });
  }
  if (ord && (ord[3] || inCenturies))
    consider(ord.index!, () => {
      // A century takes an era written anywhere after it ("late 3rd–early 2nd century B.C." reads its side "late 3rd 2nd
      // bce"): only a year is left for another number's era.
      const written = eraAt(ord.index!, ordEnd);
      const era = written === undefined ? true : written;
      return { range: part(century(Number(ord[2]), era === true), ord[1]), bce: era, bare: null };
    });
  const word = text.match(WORD_CENTURY);
  if (word) {
    const n = ORDINAL_WORDS.indexOf(word[2]!) + 1;
    consider(word.index!, () => ({ range: part(century(n, bce === true), word[1]), bce, bare: null }));
  }
  const plural = text.match(DECADE);
  if (plural) {
    const n = Number(plural[2]);
    // "1800s" is a century, "2000s" a decade (that century is written "21st century"), "2000s BCE" a century.
    const span = n % 100 === 0 && (n < 2000 || bce === true) ? 100 : 10;
    const range = bce === true ? { start: -(n + span - 1), end: -n } : { start: n, end: n + span - 1 };
    consider(plural.index!, () => ({ range: part(range, plural[1]), bce, bare: null, decade: plural[2] }));
  }
  // The first number that is a year: "Dynasty 18", "regnal year 5", "no. 3", "Plate 12" are not.
  let short: Side | null = null;
  // Where the first letter or digit is: a number there opens the side.
  const opening = text.search(/[a-z0-9]/);
  for (const year of text.matchAll(/\b(\d{1,4})\b/g)) {
    // The words just before it (`textBefore`: not all the text before, which would be read again for each number).
    // The first or last year of a year written with unknown digits, read above.
    if (text[year.index - 1] === UNKNOWN_TO || text[year.index + year[1]!.length] === UNKNOWN_TO) continue;
    const before = textBefore(text, year.index);
    if (NOT_A_YEAR.test(before) || (year[1]!.length <= 2 && NOT_A_YEAR_SHORT.test(before))) continue;
    if (year[1]!.length <= 3 && (OF_A_COUNT.test(before) || PLACE_NUMBER.test(before))) continue;
    // "18. Dynastie": a German ordinal, never a year.
    if (year[1]!.length <= 2 && /^\.\s*[a-zà-ÿ]/.test(text.slice(year.index + year[1]!.length))) continue;
    const y = Number(year[1]);
    // "1500 mm", "500 copies", "3000 years ago", "1500 Jahre": a measure or a count, not a year.
    UNIT_AFTER.lastIndex = year.index + year[1]!.length;
    if (UNIT_AFTER.test(text)) continue;
    // "1920 x 1080", "1920×1080": a measure (pixels, millimetres), the number after the sign too (`NOT_A_YEAR`).
    TIMES_AFTER.lastIndex = year.index + year[1]!.length;
    if (TIMES_AFTER.test(text)) continue;
    const era = eraAt(year.index, year.index + year[1]!.length);
    // "1920, 50 BC": the era is another number's; 50 is before Christ, and 1920 either before or after: the first date
    // written ("1920, after an original of 50 BC") is the object's, so the side is not read. "Series 2, 30 BC" is.
    // "Tomb 100, 1500 BC": the number of a place, skipped as a count is.
    if (era === undefined) {
      if (year[1]!.length >= 3 && !PLACE_NUMBER.test(before)) return null;
      continue;
    }
    const side = {
      range: era === true ? { start: -y, end: -y } : { start: y, end: y },
      bce: era,
      bare: y,
      digits: year[1],
    };
    // "90, printed 1910" (the end of "1887–90"): a number that opens the side is its date, however short.
    if (year[1]!.length >= 3 || (rangeEnd && year.index === opening)) {
      consider(year.index, () => side);
      break;
    }
    short ??= side;
  }
  // A short number after a word ("Meiji 20", "Set of 6") is a year only with its era ("AD 79", "30 BC").
  // A side that is only the number ("12" of "12–13th century") is that number.
  return (best as Found | null)?.side ?? (bce !== null || /^\s*\d{1,2}\s*$/.test(text) ? short : null);
}

/** Words after which a number counts something else than years ("Impression 150 of 300", "Format 120 x 80"). */
const NOT_A_YEAR = new RegExp(
  String.raw`\b(no\.?|nos\.|number|naqada|cat\.?|inv\.?|series|plate|pl\.|vol\.?|volume|opus|op\.|edition|ed\.|` +
    String.raw`state|issue|impression|copy|format|\d+\s+(?:of|de|di|van|von|sur|su)|x|` +
    // "Nr. 1500-1600", "Kat. 1920", "Auflage 500", "tirage 300", "copia n. 12 de 100": the same in other languages.
    String.raw`nr\.?|n[º°]|kat\.?|bl\.|taf\.|auflage|tirage|tiratura|tirada|oplage|` +
    // "p. 125, 1830", "fig. 1500", "lot 1500", "BWV 1048", "K. 550": a page, figure, lot or work number.
    String.raw`p\.|pp\.|figs?\.?|lot|bwv|kv\.?|k\.|` +
    // "Box 1920", "Neg. 192-" (a negative's number), "#1920": an archive's box or item number.
    String.raw`box|neg\.|` +
    // "S. 125", "Seite 125", "pag. 125", "Abb. 1500", "tav. 1500", "lám. 150", "n. 1500", "edition of 1500", "H. 1500".
    String.raw`(?<![ivx]\s?)s\.|seite|pag\.|abb\.|tav\.|l[aá]m\.|n\.|num\.|edition\s+of|h\.)\s*:?\s*$|` +
    // "1920×1080": the multiplication sign, which is no letter.
    String.raw`×\s*$|#\s*$`,
);
/** A multiplication sign or letter and a number right after a number, from `lastIndex`: "1920 x 1080", "30×40". */
const TIMES_AFTER = /\s*[x×]\s*\d/y;
/** Words before the number of a place where a thing was found ("Tomb 100", "Grab 210", "Locus 1234"). */
const PLACE_NUMBER = new RegExp(
  String.raw`\b(tomb|grave|burial|room|locus|pit|trench|square|context|layer|stratum|find|house|area|sector|` +
    String.raw`grab|raum|fundstelle|tombe|tombeau|salle|fosse|tomba|sala|sepoltura|tumba|sepultura|graf|kamer)\s*:?\s*$`,
);
/** "AD" or "CE" right after a number or a century ("1920 AD", "2nd century AD"), from `lastIndex`. */
const AD_RIGHT_AFTER =
  /(?:st|nd|rd|th)?\s*(?:\(\?\)|\?)?\s*(?:centur(?:y|ies)\s*|cent\.\s*|c\.\s*|millenni(?:um|a)\s*)?(?:ad|ce)(?![a-z])/y;
/**
 * A measure, a count of copies or a number of years right after a number, from `lastIndex`: "1500 mm", "1200 dpi",
 * "500 copies", "2000 ex.", "500 exemplaires", "3000 years ago", "1500 ans". Not "1920 m. 1960".
 */
const UNIT_AFTER = new RegExp(
  String.raw`\s*(?:ex\.|(?:mm|cm|km|kg|mg|dpi|ppi|px|copies|exemplaires?|exemplare|exemplar|esemplari|ejemplares|` +
    `exemplaren|years?|yrs?|ans|jahren?|anni|años|anos|jaar|jaren)(?![a-zà-ÿ])|(?:m|g)(?![a-zà-ÿ.]))`,
  'y',
);
/** "Ed. 25/100", "Druck 1/50": a number after another and a slash counts copies ("12/1889" is a month's year). */
const OF_A_COUNT = /\d\s*\/\s*$/;
/** Words after which a number of one or two digits is no year ("Dynasty 18", "year 5"); "Ming dynasty 1368" is. */
const NOT_A_YEAR_SHORT = /\b(dynasty|dyn\.?|years?|dynastie|dinast[ií]a|jahr|jaar|année|annee|año|anno)\s*:?\s*$/;

/** One alternative: a single date or a range "A – B" (each side may carry its own era). */
function parseRange(text: string, periods: [string, YearRange][], inCenturies: boolean): YearRange | null {
  // "-500", "-500 to -400": a minus before a year (at the start, or after "to" or a long dash) is BCE, not a dash.
  text = text.replace(/(^|\bto\s+|[–—]\s*)-(\d{1,4})\b/g, '$1$2 bce');
  // A hyphen between two letters joins a word ("Neo-Assyrian", "Graeco-Roman"): no range; between two eras ("30
  // BC-AD 14") it is one.
  const parts = text
    .split(/\s*[–—]\s*|(?<![a-z])\s*-\s*|\s*-\s*(?![a-z])|(?<=\b(?:bce|bc))-(?=ad\b)|\s+to\s+/)
    .filter((p) => p.trim() !== '');
  // A side whose short number reads as a year only with an era ("date 20–620 CE") takes the range's era.
  const era = parts.map((p) => p.match(/\b(bce|bc|ce|ad)(?![a-z])/)?.[1]).find((e) => e !== undefined);
  const sides = parts.map(
    (p, i) =>
      parseSide(p, inCenturies, periods, i > 0) ??
      (era && /\d/.test(p) ? parseSide(`${p} ${era}`, inCenturies, periods, i > 0) : null),
  );
  if (sides.length === 0 || sides.some((s) => s === null)) {
    // One end of a range we cannot read ("10,500–300 B.C.", "de av. J.-C. 300 à 200", whose era and year are not read
    // after "de"): undated, not the other end as the date.
    if (sides.some((s, i) => s === null && /\d|\bunread\b/.test(parts[i]!))) return null;
    // "Neolithic–1200 B.C.", "1980–present": a year at a dash whose other end is a word has an open end.
    const openEnd = (i: number) =>
      sides[i] === null &&
      ((sides[i + 1]?.bare != null && /^[^,;\d]*\d/.test(parts[i + 1]!)) ||
        (sides[i - 1]?.bare != null && /\d[^,;\d]*$/.test(parts[i - 1]!)));
    if (sides.some((_, i) => openEnd(i))) return null;
    // A dash inside a name or a phrase we do not read as a range: read the text as one side.
    const whole = parseSide(text, inCenturies, periods);
    return whole && !whole.decade?.match(/^\d{2}$/) ? whole.range : null;
  }
  const list = sides as Side[];
  if (list.some((s) => s.unknown)) return unknownRange(list);
  // "1391–1353 BCE", "3rd–2nd century BCE", "1500s–1400s BCE": a side with no era takes the one written after it.
  const lastEra = [...list].reverse().find((s) => s.bce !== null)?.bce ?? null;
  // "1500–20 BC", the era written once: 1500 to 20 BC ("664–30 BCE" in the shared datasets is 664 to 30 BCE), or the
  // second year written short, as "1850–55" is; short, it would be 1520 BC, before 1500 BC, so 1500 to 1420 BC
  // or to 1480 BC (read as "20 years on") are guesses too. A year of four digits and one of one or two is left undated
  // rather than read as the wrong years; one of three digits ("664–30 BCE") or two eras ("1500 BC–20 BC") are read.
  const [a, b] = list;
  if (
    list.length === 2 &&
    lastEra === true &&
    a!.bce === null &&
    a!.bare !== null &&
    b!.bare !== null &&
    a!.digits?.length === 4 &&
    (b!.digits?.length ?? 4) <= 2
  )
    return null;
  if (lastEra === true)
    list.forEach((s, i) => {
      if (s.bce === null) list[i] = parseSide(`${parts[i]} bce`, inCenturies, periods) ?? s;
    });
  // "12–13th century": a number of one or two digits before a century is a century too.
  const isCentury = (x: Side) => x.bare === null && !x.decade && x.range.end - x.range.start === 99;
  if (list.length === 2 && list[0]!.bare !== null && (list[0]!.digits ?? '').length <= 2 && isCentury(list[1]!))
    list[0] = { ...list[0]!, range: century(list[0]!.bare!, list[1]!.range.start < 0), bare: null };
  // "1890s–1900s": beside a decade, "1900s" is one too (1900–1909), not the 20th century.
  const isDecade = (s: Side) => s.decade?.length === 4 && Number(s.decade) % 100 !== 0;
  if (list.some(isDecade))
    list.forEach((s, i) => {
      const n = Number(s.decade);
      if (s.decade?.length !== 4 || n % 100 !== 0 || s.range.end - s.range.start !== 99) return;
      list[i] = { ...s, range: s.range.start < 0 ? { start: -(n + 9), end: -n } : { start: n, end: n + 9 } };
    });
  // "1920s–30s": the second decade written short.
  const [first, second] = list;
  if (list.length === 2 && first!.decade && second!.decade && second!.decade.length < first!.decade.length) {
    const n = Number(first!.decade.slice(0, first!.decade.length - second!.decade.length) + second!.decade);
    if (n <= Number(first!.decade) || first!.bce !== null || second!.bce !== null) return null;
    list[1] = { ...second!, range: { start: n, end: n + 9 }, decade: undefined };
  }
  // "1850–60s", "1850s–60": a year and a decade, the second written short.
  const full = first!.bare !== null ? first!.digits : first!.decade;
  const shortly = second?.bare !== null ? second?.digits : second?.decade;
  if (list.length === 2 && (first!.decade || second!.decade) && full?.length === 4 && shortly?.length === 2) {
    if (first!.bce !== null || second!.bce !== null) return null;
    const n = Number(full.slice(0, 2) + shortly);
    if (n <= Number(full)) return null;
    list[1] = { ...second!, range: { start: n, end: second!.decade ? n + 9 : n }, decade: undefined };
  }
  // "30s", "the 30s": a decade of no known century.
  if (list.some((s) => s.decade?.length === 2)) return null;
  // "1850–55": the second year written short.
  if (
    list.length === 2 &&
    list[0]!.bare !== null &&
    list[1]!.bare !== null &&
    list[1]!.range.start >= 0 &&
    list[1]!.range.start < list[0]!.range.start
  ) {
    const a = String(list[0]!.bare);
    const b = list[1]!.digits ?? String(list[1]!.bare);
    if (b.length < a.length) {
      let y = Number(a.slice(0, a.length - b.length) + b);
      // "1895–05" runs into the next century.
      if (y < list[0]!.bare!) y += 10 ** b.length;
      list[1]!.range = { start: y, end: y };
    }
  }
  // "1700–1600" (the era left out) or "1889-05" read as a short range: a range of years that runs backwards
  // is not read, rather than read as the wrong years.
  if (list.length === 2 && list.every((s) => s.bare !== null) && list[1]!.range.start < list[0]!.range.start)
    return null;
  return { start: Math.min(...list.map((s) => s.range.start)), end: Math.max(...list.map((s) => s.range.end)) };
}

/**
 * A range with a side written with unknown digits: from the first side's first year to the last side's last ("1920-19--"
 * is 1920–1999, "19---1930" 1900–1930). Not read before Christ ("192- B.C." would run backwards), beside a number of
 * one or two digits ("12-19--": a month or a number, not the year 12), nor when it runs backwards ("1930-192-").
 */
function unknownRange(list: Side[]): YearRange | null {
  if (list.some((s) => s.bce === true || (s.bare !== null && (s.digits ?? String(s.bare)).length <= 2))) return null;
  const range = { start: list[0]!.range.start, end: list.at(-1)!.range.end };
  return range.start <= range.end ? range : null;
}

/** Names in matching order: longest first, so "Late Middle Kingdom" is read before "Middle Kingdom". */
export function periodList(periods: PeriodVocabulary = {}): [string, YearRange][] {
  return Object.entries(periods)
    .map(([name, [start, end]]): [string, YearRange] => [
      name.toLowerCase(),
      { start: Math.min(start, end), end: Math.max(start, end) },
    ])
    .sort((a, b) => b[0].length - a[0].length);
}

const MONTH =
  '(?:january|february|march|april|may|june|july|august|september|october|november|december|' +
  'jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\b\\.?';
const DAY = '\\d{1,2}(?:st|nd|rd|th)?';
const DAY_MONTH = new RegExp(`\\b${DAY}\\s+${MONTH},?\\s+(?=\\d{3,4}\\b)`, 'g');
const MONTH_DAY = new RegExp(`\\b${MONTH}\\s+${DAY},?\\s+(?=\\d{3,4}\\b)`, 'g');
const MONTH_ONLY = new RegExp(`\\b${MONTH},?\\s+(?=\\d{3,4}\\b)`, 'g');

/** A full date's year ("1889-05-01", "01/05/1889"), or a word that reads as no year when it is no real date. */
function yearOfFullDate(year: string, month: string, day: string): string {
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31 ? ` ${year} ` : ' invalid ';
}

/**
 * Lower case, eras written one way ("B.C." → bce, "A.D." → ad), and full dates reduced to their year:
 * ISO dates with or without a time, day/month/year, "1 May 1889", "May 1, 1889". A year of the Islamic
 * calendar ("1039 AH") is left out: the common-era year is usually written beside it.
 */
function normalise(text: string): string {
  // A run of spaces, tabs or line breaks is read as its first: several patterns below scan each space's run, which
  // took 8 to 40 s of CPU time for a cell padded with 78,000 spaces.
  const spaced = plainSpaces(text.normalize('NFC')).replace(/(\s)\s+/g, '$1');
  return (
    fromOtherLanguages(
      fromEasternLanguages(spaced.toLowerCase())
        .replace(/\u2212/g, '-')
        .replace(NUMBERED, '$1 ')
        .replace(COPYRIGHT, 'c. $1')
        .replaceAll(UNKNOWN_TO, ' ')
        .replace(UNKNOWN_EITHER, '$1 or ')
        .replace(UNKNOWN_DIGITS, unknownDigits),
    )
      // "first half of the 19th century", "3rd quarter 19th century": a part of it, which `part` reads.
      .replace(
        /\b(1st|2nd|3rd|4th|first|second|third|fourth|last)\s+(half|quarter|third)(?:\s+of)?(?:\s+the)?,?\s+/g,
        (_, which: string, piece: string) => {
          const of = { half: 2, third: 3, quarter: 4 }[piece]!;
          const i = which === 'last' ? of : (PART_ORDINALS.indexOf(which) % 4) + 1;
          return i <= of ? ` part${i}of${of} ` : ' invalid ';
        },
      )
      // "1990's": a decade.
      .replace(/(\d)['’]s\b/g, '$1s')
      .replace(/\bb\.\s?c\.?(?:\s?e\.?)?(?![a-z])/g, ' bce ')
      .replace(/\ba\.\s?d\.?(?![a-z])/g, ' ad ')
      .replace(/\bc\.\s?e\.(?![a-z])/g, ' ce ')
      .replace(ERA, eraNextToDate)
      .replace(/\b\d{1,4}\s*(?:ah|a\.h\.)(?![a-z])\s*\/?/g, ' ')
      // "13th–14th century A.H.": centuries of the Islamic calendar, which no common-era century matches.
      // (Within 60 characters of the first: a field full of centuries is read in a time that grows with its length.)
      .replace(/\b\d{1,2}(?:st|nd|rd|th)\b[^;]{0,60}?\bcentur(?:y|ies)\s*(?:ah|a\.\s?h\.)(?![a-z])/g, ' invalid ')
      // "A.H. 750/A.D. 1350", "A.H. 1039 (A.D. 1629–30)": the Islamic year written first.
      .replace(/(?:\bah|\ba\.\s?h\.)\s*\d{1,4}\b\s*\/?/g, ' ')
      // "3,000 B.C.": one number (a year of five digits is then not read at all).
      .replace(/\b(\d{1,3}),(\d{3})\b/g, '$1$2')
      // "3.000 v. Chr.", "3 000 av. J.-C.", "3.000-2.500 v. Chr." (the era right after): one number, not the year 0
      // (nor "1.500 a. C." 500 BCE); with no era right after ("1.500 Ex., 1920", "Nr. 3.000"), a count, no year.
      .replace(THOUSANDS, (_, a: string, b: string, at: number, all: string) =>
        ERA_RIGHT_AFTER.test(all.slice(at + _.length)) ? `${a}${b}` : ' ',
      )
      .replace(
        /\b(\d{4})-(\d{2})-(\d{2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:z|[+-]\d{2}:?\d{2}))?)?(?![\d:])/g,
        (_, y: string, m: string, d: string) => yearOfFullDate(y, m, d),
      )
      // "1889-05": a year and month; "1910-11" (11 not before 10): two years, read as a short range.
      .replace(/^\s*(\d{4})-(0[1-9]|1[0-2])\s*$/, (all, y: string, m: string) =>
        Number(m) < Number(y.slice(2)) ? ` ${y} ` : all,
      )
      .replace(/\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b/g, (_, y: string, m: string, d: string) =>
        yearOfFullDate(y, m, d),
      )
      .replace(/\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/g, (_, a: string, b: string, y: string) =>
        // Day/month or month/day: either way the year is the same, if one of them can be a month.
        yearOfFullDate(y, Number(a) <= 12 ? a : b, Number(a) <= 12 ? b : a),
      )
      .replace(DAY_MONTH, ' ')
      .replace(MONTH_DAY, ' ')
      .replace(MONTH_ONLY, ' ')
      .replace(/\b(\d{3,4})(s?)\s*\/\s*(\d{1,4})(s?)\b(?!\s*\/)/g, slashRange)
      // "12th/13th century": either century; "between 1820 and 1830": the range.
      .replace(/(\d(?:st|nd|rd|th))\s*\/\s*(?=(?:(?:early|mid|late)\s+)?\d{1,2}(?:st|nd|rd|th)\b)/g, '$1–')
      // "17/18th century": the first century written as a bare number (read as one by `parseRange`).
      .replace(/\b(\d{1,2})\s*\/\s*(?=\d{1,2}(?:st|nd|rd|th)\s+(?:centur|c\.))/g, '$1–')
      // (The first date within 120 characters: a field full of "between" is read in a time that grows with its length.)
      .replace(/\bbetween\s+([^;]{0,120}?)\s+and\s+/g, '$1 to ')
      // "1880 and 1890": either date, as "1880 or 1890" is.
      .replace(
        /(\d{3,4})((?:\s*(?:bce|ad))?)\s+and\s+(?=(?:c\.\s*|ca\.\s*)?(\d{3,4})\b)/g,
        (all, first: string, era: string, second: string, at: number, text: string) =>
          bothYears({ first, second, before: textBefore(text, at) }) ? `${first}${era} or ` : all,
      )
      .replace(/(st|nd|rd|th)-(centur)/g, '$1 $2')
  );
}

/**
 * An inventory, catalogue or object number in parts ("Inv. 1920/12", "No. 1920-12", "Kat.-Nr. 1850.12"): left out,
 * so neither part is read as a year nor as a range of them, and the date after it is ("Inv. 1920/12, 1850" is 1850).
 */
const NUMBERED = new RegExp(
  String.raw`(?<![a-zà-ÿ])((?:inv|inventory|cat|kat|no|nos|nr|n[º°]|num|number)\.?(?:\s*-?\s*(?:no|nr|n[º°])\.?)?` +
    // Its first part as long as a year ("Nr. 5/1920" is an issue of 1920).
    String.raw`\s*:?\s*)\d{3,}(?:[-/.]\d+)+`,
  'g',
);

/**
 * A year with its last digits unknown, as libraries and archives write it (AACR2, RDA, MARC, EDTF): "[192-?]",
 * "192x", "192u" are 1920–1929, "19--", "19xx", "19??" 1900–1999. Never read as the year 192 or 19. Not right
 * after a letter or digit, nor a word and a hyphen ("DM-192-", "1920-"; "19xx-20xx" is a range, "mid-192-" the
 * middle of the decade), nor before a digit or an apostrophe ("192-193" is a range of years, "’700-’800" two Italian
 * centuries). Written before Christ ("192- B.C.") the range runs backwards and is not read.
 */
const UNKNOWN_DIGITS = new RegExp(
  String.raw`(?<![a-zà-ÿ0-9,/'’]|(?<!\bca?)\.|(?<![\da-zà-ÿ])(?!(?:early|mid|middle|late)-)[a-zà-ÿ]+-)` +
    // "192x 30 cm", "19xx x 24 cm": a measure, its first number written with a letter.
    String.raw`(\d{1,3})(-+|x+(?!\s*\d)|u+|\?{2,})(?![a-zà-ÿ0-9'’])(?!\s*[x×]\s*\d)`,
  'g',
);
/** "192-/193-", "19xx/20xx": either, as "192- or 193-" is (a slash is otherwise no place for one, `UNKNOWN_DIGITS`). */
const UNKNOWN_EITHER = new RegExp(
  String.raw`(?<![a-zà-ÿ0-9,/'’])(\d{1,3}(?:-+|x+|u+|\?{2,})\??)\s*\/\s*` +
    String.raw`(?=\d{1,3}(?:-+|x+|u+|\?{2,})(?![a-zà-ÿ0-9'’]))`,
  'g',
);
/**
 * How `unknownDigits` writes its range ("1920~1929"), which `parseSide` reads as one side: written with a dash it
 * would be a range of its own, and "1920-19--" three sides. A "~" the field itself holds is left out first.
 */
const UNKNOWN_TO = '~';
const UNKNOWN_SIDE = new RegExp(`${MODIFIER}\\s*(\\d{1,4})${UNKNOWN_TO}(\\d{1,4})`);
/** The last year of this century: a form with unknown digits that starts later ("21--", "99xx") dates no object. */
const LAST_YEAR_READ = 2099;

/** The years of a year written with unknown digits (`UNKNOWN_DIGITS`), as a range; a millennium ("1---") is none. */
function unknownDigits(all: string, digits: string, marks: string): string {
  const unknown = 4 - digits.length;
  if (digits.length + marks.length !== 4) return all;
  const start = Number(digits) * 10 ** unknown;
  if (unknown === 3 || start > LAST_YEAR_READ) return ' invalid ';
  return ` ${start}${UNKNOWN_TO}${start + 10 ** unknown - 1} `;
}

/** "c1920": a copyright year as libraries write it (or "c." written close), that year. */
const COPYRIGHT = /(?<![a-zà-ÿ0-9.])c(\d{4})(?!\d)/g;

/** "3.000", "3 000": a number written with a thousands separator, a full stop or a space. */
const THOUSANDS = /(?<![\d.,])(\d{1,3})[. \u00a0\u202f](\d{3})(?![\d.,])/g;
/** An era right after a number, perhaps after a second one ("–2.500 bce"). */
const ERA_RIGHT_AFTER =
  /^\s*(?:\(\?\)|\?)?\s*(?:[–—-]\s*\d{1,3}[. \u00a0\u202f]?\d{3}\s*(?:\(\?\)|\?)?\s*)?(?:bce|bc|ad)\b/;

/** An era before Christ written apart from any year, at the end of the field: which year it is for is not known. */
const ERA_LEFT = ' era-unread ';

/** An era as `normalise` writes it, and the year right after it, if one is. */
const ERA = /\b(bce|bc|ce|ad)(?![a-z])(?:(\s*(?:ca\.|c\.|circa)?\s*)(\d+)(?!\d))?/g;
/** Right after a year, a decade or a century ("30 bc", "1500s bc", "3rd century bc", "5th c. bce", "1500 (?) bc"). */
const ERA_AFTER =
  /(?:\d(?:s|st|nd|rd|th)?|\bcentur(?:y|ies)|\bcent\.|\d(?:st|nd|rd|th)\s*c\.|\bmillenni(?:um|a))\s*(?:\(\?\)|\?)?\s*$/;

/**
 * An era next to a year or century is kept; elsewhere it is a name or initials ("BC Ferries 1990", "A. D. Smith").
 * Before a year, "AD" wherever it is (a year is of the common era when no era is written); "BC" where a date opens
 * (`ERA_OPENS`: "BC 500", "c. BC 500", "300 to BC 200"), and elsewhere neither the era nor the year is read: "Photo:
 * B.C. 1920" and "Vancouver, B.C. 1920" are initials and a place, "Thothmes III, B.C. 1500" an era.
 */
function eraNextToDate(
  all: string,
  era: string,
  _space: string | undefined,
  year: string | undefined,
  at: number,
  text: string,
): string {
  const before = textBefore(text, at);
  if (ERA_AFTER.test(before)) return all;
  // "ca. 1500, made in Thebes, BC": an era that ends the field away from its year; the field is not read (`ERA_LEFT`).
  if (year === undefined)
    return /^(bce|bc)$/.test(era) && /^[\s.,)\]]*(?:;|$)/.test(text.slice(at + all.length)) ? ERA_LEFT : ' ';
  return /^(ad|ce)$/.test(era) || ERA_OPENS.test(before) ? all : UNREAD_YEAR;
}

const PART_ORDINALS = ['1st', '2nd', '3rd', '4th', 'first', 'second', 'third', 'fourth'];

/**
 * "1880/90", "1880/1890": either year, read as both. Years far apart ("1039/1630", an Islamic and a
 * common-era year) are not read ("700/99 BC" then runs backwards, which `parseRange` leaves unread).
 */
function slashRange(_: string, a: string, as: string, b: string, bs: string): string {
  const full = b.length < a.length ? a.slice(0, a.length - b.length) + b : b;
  if (Math.abs(Number(full) - Number(a)) > 100) return ' invalid ';
  return `${a}${as}–${full}${bs}`;
}

/**
 * The years a free-text date covers, or null when none can be read. "c." and "circa" are read as
 * the year itself; "A or B" covers both; "X; original Y" (a copy) takes the first part that reads.
 */
export function parseDate({ text, periods = [] }: { text: string; periods?: [string, YearRange][] }): YearRange | null {
  const normalised = normalise(text);
  // An era written in a way we do not read is never taken for the common era.
  if (unknownEra({ written: text, normalised }) || normalised.includes(ERA_LEFT)) return null;
  const clean = normalised
    // Not the "c." of "b.c." nor of "19th c." (century).
    .replace(/(?<![a-z.])(?<!\d(?:st|nd|rd|th)\s*)\b(c\.|ca\.|circa|about|approximately|probably|possibly)\s*/g, ' ')
    .replace(APPROXIMATE_WORD, ' ')
    // "?-1887", "[?]-1887": an unknown start, then a dash (not a minus once the "?" is gone).
    .replace(/[?\]]\s*-\s*/g, ' – ')
    .replace(/[?[\]]/g, ' ')
    .replace(/\b(early|mid|late)-/g, '$1 ')
    .replace(/twenty-first/g, 'twenty first')
    // "18th–19th dynasty", "Dynasty 18–19", "year 5 or 6": each number a dynasty or a regnal year, never a year.
    .replace(
      /\b(\d{1,2})(?:st|nd|rd|th)?(\s*(?:[-–—/&]|to|and|or)\s*)(\d{1,2})(?:st|nd|rd|th)\s+dynast(?:y|ies)\b/g,
      'dynasty $1$2dynasty $3',
    )
    .replace(
      /\b(dynast(?:y|ies)|dyn\.|dyn|(?:regnal )?years?)\s*(\d{1,2}(?:\s*(?:[-–—/&]|to|and|or)\s*\d{1,2}\b)+)/g,
      (_, word: string, list: string) => list.replace(/\d+/g, (n) => `${/^dyn/.test(word) ? 'dynasty' : 'year'} ${n}`),
    )
    .replace(/(?<!\d)(\d+)(st|nd|rd|th)\s+dynasty/g, 'dynasty $1')
    // "3rd–2nd millennium": the first a millennium too (a bare "3rd" is read as a century only beside centuries);
    // before and after "early to mid 2nd millennium" is made "early 2nd to mid 2nd millennium".
    .replace(MILLENNIUM_RANGE, '$1 millennium$2')
    // "early to mid-12th century": early 12th to mid 12th century.
    .replace(MODIFIER_RANGE, '$1 $3 to $2 $3')
    .replace(MILLENNIUM_RANGE, '$1 millennium$2')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean) return null;
  const clauses = clean.split(/\s*;\s*/);
  // "100; 200 BC": the last clause that writes an era before Christ after its date (written before it, "1850; B.C.
  // 300", the era is that year's only), and whether every clause up to it is a bare date.
  const lastBc = clauses.findLastIndex((clause) => BC_WRITTEN.test(clause));
  // Its first date not qualified ("ca. 1850; 300 BC" may well be of our era), and its numbers running backwards as
  // years before Christ do ("300; 200 BC", not "100; 200 BC"): otherwise undated rather than guessed.
  const written = normalised.split(/\s*;\s*/);
  const bareList =
    clauses
      .slice(0, lastBc + 1)
      .every((clause) => BARE_ALTERNATIVE.test(clause.replace(/\b(?:bce|bc)(?![a-z])/g, ' '))) &&
    !written.slice(0, lastBc).some((clause) => QUALIFIED.test(clause)) &&
    runsBackwards(clauses.slice(0, lastBc + 1).join(' ')) &&
    !(lastBc >= 0 && magnitudeDrop(clauses[0]!, clauses[lastBc]!));
  for (const [i, clause] of clauses.entries()) {
    // "before 1920", "after 1850": an open range, which a year range cannot hold; undated, not that exact year.
    if (OPEN_RANGE.test(clause)) return null;
    let read = readOne(clause, periods);
    // A date with no era of its own before one before Christ ("100; 200 BC"): in a list of bare dates the era is
    // written once for all of them, as in "100 or 200 BC"; elsewhere ("1850; original 300 BC", "100; after an original
    // of 200 BC") the first date may be of either era, and is not read, as "1920, after an original of 50 BC" is not.
    // ("150–100; 50 BC": a range that runs backwards is read only before Christ.)
    if (i < lastBc && !ERA_WRITTEN.test(clause)) {
      // "3rd; 2nd c. BC": a bare "3rd" is a century only beside centuries; in a list of bare dates it takes the word
      // of the last, as it takes its era, and reads 300–201 BCE, not nothing (then 200–101 BCE, the second date).
      const unit = /millenni/.test(clauses[lastBc]!) ? 'millennium' : centuryContext(clauses[lastBc]!) ? 'century' : '';
      const whole = bareList && unit && BARE_ORDINAL.test(clause) ? `${clause} ${unit}` : clause;
      if (whole !== clause) read = readOne(whole, periods);
      const before = readOne(`${whole} bce`, periods);
      if (before && (before.start !== read?.start || before.end !== read.end)) {
        if (bareList) read = before;
        else if (read) return null;
      }
    }
    // "9999", "2500": no date of an object's making (a year past this century is a placeholder or a number).
    if (read) return read.end > LAST_YEAR_READ ? null : read;
  }
  return null;
}

/** A date written as uncertain: "ca. 1850", "1850?", "vers 1850", "probably 1850"; not "3rd c.", a century. */
const QUALIFIED = new RegExp(
  `\\?|(?<![a-z.])(?:(?<!\\d(?:st|nd|rd|th)\\s*)c\\.|ca\\.|circa|about|approximately|probably|possibly)|` +
    `(?<![a-zà-ÿ])(?:${APPROXIMATE})(?![a-zà-ÿ])`,
);

/** Years, and centuries or millennia, each never larger than the one before: as dates before Christ run in a list. */
function runsBackwards(text: string): boolean {
  const years = [...text.matchAll(/(?<!\d)(\d{1,4})(?!\d|st|nd|rd|th)/g)].map((m) => Number(m[1]));
  const ordinals = [...text.matchAll(/(?<!\d)(\d{1,2})(?:st|nd|rd|th)/g)].map((m) => Number(m[1]));
  return [years, ordinals].every((ns) => ns.every((n, i) => i === 0 || n <= ns[i - 1]!));
}

/**
 * "1850; 300 BC": a first year of four digits and a year before Christ of three or fewer. Far more likely a date of
 * our era (a photograph, a cast) and the date of its original than two dates before Christ; "1500; 1400 BC" and
 * "300; 200 BC" are not such a drop.
 */
function magnitudeDrop(first: string, bc: string): boolean {
  const year = /(?<!\d)(\d{1,4})(?!\d|st|nd|rd|th)/;
  const from = first.match(year)?.[1];
  const to = bc.match(year)?.[1];
  return from !== undefined && to !== undefined && from.length === 4 && to.length <= 3;
}

/** An era written in a clause, as `normalise` writes it. */
const ERA_WRITTEN = /\b(?:bce|bc|ce|ad)(?![a-z])/;
const BC_WRITTEN = /\b(?:bce|bc)(?![a-z])(?!\s*\d)/;

/**
 * One clause of a date. "Ming dynasty (1368–1644)", "Meiji 10 (1877)": years in brackets after a name are the date,
 * when no year is written outside them; "1890, state II (of 3)", "1765 (founded 1740)": a year outside them is.
 */
function readOne(clause: string, periods: [string, YearRange][]): YearRange | null {
  const outside = clause.replace(/\([^()]*\)/g, ' ');
  if (outside !== clause && writesYears(outside)) return readClause(outside, periods);
  const inBrackets = clause.match(/[a-z.]\s*\(([^()]*\d{3}[^()]*)\)/)?.[1];
  return (
    (inBrackets && writesYears(inBrackets) ? readClause(inBrackets, periods) : null) ??
    readClause(clause.replace(/[()]/g, ' '), periods)
  );
}

/** "vers 1500", "um 1500", "hacia 1500": the year itself. */
const APPROXIMATE_WORD = new RegExp(`(?<![a-zà-ÿ])(?:${APPROXIMATE})(?![a-zà-ÿ])\\s*`, 'g');

/** A year of three or four digits, a decade, or a century ("19th century", "nineteenth century"): not "Meiji 10". */
function writesYears(text: string): boolean {
  return /\b\d{3,4}s?\b/.test(text) || (centuryContext(text) && CENTURY_NAME.test(text)) || MILLENNIUM.test(text);
}
const CENTURY_NAME = new RegExp(`\\d(st|nd|rd|th)\\b|\\b(${ORDINAL_WORDS.join('|')}) centur`);

/** A text where "19th" is a century, not a 19th day or dynasty. */
function centuryContext(text: string): boolean {
  return /centur|\bcent\.|\d(st|nd|rd|th)\s*c\./.test(text);
}

/** A century or decade as written: "12th", "1800s", "nineteenth". */
const SPAN_NAME = `(\\d+(?:st|nd|rd|th|s)|twenty first|${ORDINAL_WORDS.join('|')})\\b`;
const MODIFIER_RANGE = new RegExp(`\\b${MODIFIER}\\s*(?:to|[-–—])\\s*${MODIFIER}\\s+${SPAN_NAME}`, 'g');

/** The first of two millennia with the word written once: "3rd–2nd millennium", "early 2nd to mid 2nd millennium". */
const MILLENNIUM_RANGE = new RegExp(
  `\\b(\\d{1,2}(?:st|nd|rd|th))(\\s*(?:[-–—/]|to|or)\\s*${MODIFIER}\\s*)(?=\\d{1,2}(?:st|nd|rd|th)\\s+millenni)`,
  'g',
);

/** Words that open a range at one end: "before 1920", "after 1850", "by 1901", "pre-1900". */
const OPEN_RANGE = new RegExp(
  '\\b(before|after|by|until|till|since|pre|post|ante|not later than|not earlier than|no later than)' +
    '\\s*-?\\s*(?=\\d|the\\b|early\\b|mid\\b|late\\b)',
);

/** A number or a range of them, or a century, with no other words: "1500", "c. 1500–1450", "early 3rd". */
const BARE_ALTERNATIVE = new RegExp(
  `^\\s*${MODIFIER}\\s*(?:\\d{1,4}(?:\\s*[–—-]\\s*\\d{1,4})?|` +
    `\\d{1,2}(?:st|nd|rd|th)(?:\\s+(?:century|millennium|c\\.))?|` +
    `(?:${ORDINAL_WORDS.join('|')})(?:\\s+(?:century|millennium))?)\\s*$`,
);

/** An ordinal with no word after it: "3rd", "early 3rd". */
const BARE_ORDINAL = new RegExp(`^\\s*${MODIFIER}\\s*\\d{1,2}(?:st|nd|rd|th)\\s*$`);

/** One clause: "A or B" covers both; "Collar: c. 200–300 CE" is the date after a part's name. */
function readClause(clause: string, periods: [string, YearRange][]): YearRange | null {
  const trimmed = clause.replace(/\s+/g, ' ').trim();
  const body = trimmed.replace(/^[a-z][a-z ]*:\s*/, '');
  // "Dynasty: 18", "Plate: 12": a label and a count, not a year.
  if (body !== trimmed && /^\d{1,2}$/.test(body)) return null;
  const inCenturies = centuryContext(body);
  const parts = body.split(/\s+or\s+/);
  // "1500 or 1400 BC", "3rd or 2nd century BC": a bare number or century with no era takes "BC" written after it
  // when that too is a bare date, as a range's side does; "120 or later, after a Greek original of 450 BC" does not.
  const bareBefore = (alt: string) =>
    /\b(bce|bc)(?![a-z])/.test(alt) && BARE_ALTERNATIVE.test(alt.replace(/\b(?:bce|bc)(?![a-z])/g, ' '));
  // Whether a later alternative is a bare date with "BC": found from the last one back, once each.
  const laterBc = parts.map(() => false);
  for (let i = parts.length - 2; i >= 0; i--) laterBc[i] = laterBc[i + 1]! || bareBefore(parts[i + 1]!);
  const withEra = parts.map((alt, i) => (BARE_ALTERNATIVE.test(alt) && laterBc[i] ? `${alt} bce` : alt));
  const alternatives = withEra
    // "19th or 20th century": the century written once counts for both.
    .map((alt) => parseRange(alt.replace(/\bor later\b|\bor earlier\b/g, '').trim(), periods, inCenturies));
  const read = alternatives.filter((r): r is YearRange => r !== null);
  return read.length
    ? { start: Math.min(...read.map((r) => r.start)), end: Math.max(...read.map((r) => r.end)) }
    : null;
}

/** "1391 BCE", "1353 CE" → for labels; years before 1000 CE say CE. */
export function yearLabel(year: number): string {
  if (year < 0) return `${-year} BCE`;
  return year < 1000 ? `${year} CE` : String(year);
}

/** A century's index for the timeline: 19 for 1800–1899, -14 for 1400–1301 BCE. */
export function centuryOf(year: number): number {
  return year >= 0 ? Math.floor(year / 100) + 1 : -Math.floor((-year - 1) / 100) - 1;
}

/** The timeline's name of a century index: "19th century", "14th century BCE". */
export function centuryName(c: number): string {
  const n = Math.abs(c);
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix} century${c < 0 ? ' BCE' : ''}`;
}

/** Every century a range touches, oldest first (capped, so "4000–3000 BCE" stays 10 values). */
export function centuriesOf(range: YearRange, max = 40): number[] {
  const out: number[] = [];
  const first = centuryOf(range.start);
  const last = centuryOf(range.end);
  for (let c = first; c <= last && out.length < max; c++) if (c !== 0) out.push(c);
  return out;
}
