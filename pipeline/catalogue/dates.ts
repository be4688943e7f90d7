/*
 * Museum dates as year ranges. A date field is free text: "c. 1391–1353 BCE", "early 20th century",
 * "1000s-1100s", "Late Period–Ptolemaic Period", "New Kingdom, Ramesside". Years are historical:
 * negative is BCE (-1391 is 1391 BCE), there is no year 0. Named periods come from the museum's
 * vocabulary in params (`catalogue.periods`: name → [first year, last year]).
 */

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

/** Early / mid / late: the first, middle or last third of a span. */
function part(range: YearRange, modifier: string | undefined): YearRange {
  if (!modifier) return range;
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

interface Side {
  range: YearRange;
  /** Era written on this side: true BCE, false CE, null not written. */
  bce: boolean | null;
  /** A bare number, which takes the era written on the other side ("1391–1353 BCE"). */
  bare: number | null;
  /** The bare number as written ("05" in "1895–05"). */
  digits?: string;
}

const MODIFIER = '(early|mid|middle|late)?';

/** One side of a range: a century, a decade or century written with "s", a year, or a named period. */
function parseSide(text: string, centuryContext: boolean, periods: [string, YearRange][]): Side | null {
  // Named periods first ("Dynasty 18" holds a number); "Late Period (Saite)" is where both overlap.
  let found: YearRange | null = null;
  for (const [name, range] of periods) {
    const at = text.indexOf(name);
    if (at < 0 || /[a-z0-9]/.test(text[at - 1] ?? '') || /[a-z0-9]/.test(text[at + name.length] ?? '')) continue;
    const modifier = text.slice(0, at).match(/(early|mid|middle|late)\s*$/)?.[1];
    const r = part(range, modifier);
    if (!found) found = r;
    else {
      const overlap: YearRange = { start: Math.max(found.start, r.start), end: Math.min(found.end, r.end) };
      // Two names that overlap narrow the date; two that do not (a copy and its original) keep the first.
      if (overlap.start <= overlap.end) found = overlap;
    }
    text = text.slice(0, at) + ' '.repeat(name.length) + text.slice(at + name.length);
  }
  if (found) return { range: found, bce: null, bare: null };
  const bce = /\b(bce|bc|b\.c\.(e\.)?)(?![a-z])/.test(text)
    ? true
    : /\b(ce|ad|a\.d\.)(?![a-z])/.test(text)
      ? false
      : null;
  const ord = text.match(new RegExp(`${MODIFIER}\\s*(\\d{1,2})(?:st|nd|rd|th)\\b(\\s*(century|cent\\.|c\\.))?`));
  if (ord && (ord[3] || centuryContext))
    return { range: part(century(Number(ord[2]), bce === true), ord[1]), bce, bare: null };
  const word = text.match(new RegExp(`${MODIFIER}\\s*(${ORDINAL_WORDS.join('|')})\\s+century`));
  if (word)
    return { range: part(century(ORDINAL_WORDS.indexOf(word[2]!) + 1, bce === true), word[1]), bce, bare: null };
  const plural = text.match(new RegExp(`${MODIFIER}\\s*(\\d{2,4})s\\b`));
  if (plural) {
    const n = Number(plural[2]);
    const span = n % 100 === 0 ? 100 : 10;
    const range = bce === true ? { start: -(n + span - 1), end: -n } : { start: n, end: n + span - 1 };
    return { range: part(range, plural[1]), bce, bare: null };
  }
  // The first number that is a year: "Dynasty 18", "regnal year 5", "no. 3" are not.
  for (const year of text.matchAll(/\b(\d{1,4})\b/g)) {
    if (NOT_A_YEAR.test(text.slice(0, year.index))) continue;
    const y = Number(year[1]);
    return { range: bce === true ? { start: -y, end: -y } : { start: y, end: y }, bce, bare: y, digits: year[1] };
  }
  return null;
}

/** Words after which a number counts something else than years. */
const NOT_A_YEAR = /\b(dynasty|dyn\.?|year|years|no\.?|nos\.|number|naqada|cat\.?|inv\.?)\s*$/;

/** One alternative: a single date or a range "A – B" (each side may carry its own era). */
function parseRange(text: string, periods: [string, YearRange][]): YearRange | null {
  const centuryContext = /centur|\bcent\.|\d(st|nd|rd|th)\s*c\./.test(text);
  // "-500", "-500 to -400": a minus before a year (at the start, or after "to" or a long dash) is BCE, not a dash.
  text = text.replace(/(^|\bto\s+|[–—]\s*)-\s?(\d{1,4})\b/g, '$1$2 bce');
  const parts = text.split(/\s*[-–—]\s*|\s+to\s+/).filter((p) => p.trim() !== '');
  const sides = parts.map((p) => parseSide(p, centuryContext, periods));
  if (sides.length === 0 || sides.some((s) => s === null)) {
    // A dash inside a name or a phrase we do not read as a range: read the text as one side.
    const whole = parseSide(text, centuryContext, periods);
    return whole?.range ?? null;
  }
  const list = sides as Side[];
  // "1391–1353 BCE", "3rd–2nd century BCE", "1500s–1400s BCE": a side with no era takes the one written after it.
  const lastEra = [...list].reverse().find((s) => s.bce !== null)?.bce ?? null;
  if (lastEra === true)
    list.forEach((s, i) => {
      if (s.bce === null) list[i] = parseSide(`${parts[i]} bce`, centuryContext, periods) ?? s;
    });
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
  return (
    text
      .toLowerCase()
      .replace(/\u2212/g, '-')
      // "first half of the 19th century", "2nd quarter of the 18th century": read as the whole century.
      .replace(/\b(?:1st|2nd|3rd|4th|first|second|third|fourth|last)\s+(?:half|quarter|third)\s+of\s+(?:the\s+)?/g, ' ')
      .replace(/\bb\.\s?c\.?(?:\s?e\.?)?(?![a-z])/g, ' bce ')
      .replace(/\ba\.\s?d\.?(?![a-z])/g, ' ad ')
      .replace(/\bc\.\s?e\.(?![a-z])/g, ' ce ')
      .replace(/\b\d{1,4}\s*(?:ah|a\.h\.)(?![a-z])\s*\/?/g, ' ')
      // "3,000 B.C.": one number (a year of five digits is then not read at all).
      .replace(/\b(\d{1,3}),(\d{3})\b/g, '$1$2')
      .replace(
        /\b(\d{4})-(\d{2})-(\d{2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:z|[+-]\d{2}:?\d{2}))?)?(?![\d:])/g,
        (_, y: string, m: string, d: string) => yearOfFullDate(y, m, d),
      )
      .replace(/^\s*(\d{4})-(0[1-9]|1[0-2])\s*$/, ' $1 ')
      .replace(/\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b/g, (_, y: string, m: string, d: string) =>
        yearOfFullDate(y, m, d),
      )
      .replace(/\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/g, (_, a: string, b: string, y: string) =>
        // Day/month or month/day: either way the year is the same, if one of them can be a month.
        yearOfFullDate(y, Number(a) <= 12 ? a : b, Number(a) <= 12 ? b : a),
      )
      .replace(new RegExp(`\\b${DAY}\\s+${MONTH},?\\s+(?=\\d{3,4}\\b)`, 'g'), ' ')
      .replace(new RegExp(`\\b${MONTH}\\s+${DAY},?\\s+(?=\\d{3,4}\\b)`, 'g'), ' ')
      .replace(new RegExp(`\\b${MONTH},?\\s+(?=\\d{3,4}\\b)`, 'g'), ' ')
  );
}

/**
 * The years a free-text date covers, or null when none can be read. "c." and "circa" are read as
 * the year itself; "A or B" covers both; "X; original Y" (a copy) takes the first part that reads.
 */
export function parseDate({ text, periods = [] }: { text: string; periods?: [string, YearRange][] }): YearRange | null {
  const clean = normalise(text)
    // Not the "c." of "b.c." nor of "19th c." (century).
    .replace(/(?<![a-z.])(?<!\d(?:st|nd|rd|th)\s*)\b(c\.|ca\.|circa|about|approximately|probably|possibly)\s*/g, ' ')
    .replace(/[?()[\]]/g, ' ')
    .replace(/\b(early|mid|late)-/g, '$1 ')
    .replace(/twenty-first/g, 'twenty first')
    .replace(/(\d+)(st|nd|rd|th)\s+dynasty/g, 'dynasty $1')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean) return null;
  for (const clause of clean.split(/\s*;\s*/)) {
    // "Collar: c. 200–300 CE": the date after a part's name.
    const body = clause.replace(/^[a-z][a-z ]*:\s*/, '');
    const alternatives = body
      .split(/\s+or\s+/)
      .map((alt) => parseRange(alt.replace(/\bor later\b|\bor earlier\b/g, '').trim(), periods));
    const read = alternatives.filter((r): r is YearRange => r !== null);
    if (read.length) return { start: Math.min(...read.map((r) => r.start)), end: Math.max(...read.map((r) => r.end)) };
  }
  return null;
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
