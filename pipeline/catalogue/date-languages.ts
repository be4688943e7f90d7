/*
 * Dates written in the other languages `vitrine init` reads column names in (German, French, Dutch,
 * Spanish, Italian), rewritten in the English forms `dates.ts` reads: "vers 1000 av. J.-C." → "vers 1000 bce",
 * "5. Jh. v. Chr." → "5th century bce", "del 1500 al 1400 a. C." → "del 1500 to 1400 bce". Text is lower case.
 * An era we do not know must never be read as the common era: `unknownEra` finds one, and the date is undated.
 */

/** "J.-C.", "J.C.", "JC", "Jésus-Christ". */
const JC = String.raw`j(?:ésus|\.)?\s*-?\s*c(?:hrist\b|\.|\b)`;
/** "Chr.", "Christus", "Christi Geburt". */
const CHR = String.raw`chr(?:\.|istus\b|isti\s+geburt\b|isti\b|\b)`;

/**
 * A short marker ("a. C.", "AC") is an era only when no word follows it ("circa" aside): "1899 AC Milan" is a club,
 * "700 a.C. circa" 700 BCE.
 */
const NO_WORD = String.raw`(?![\s.]*(?!(?:circa|ca)(?![a-zà-ÿ]))[a-zà-ÿ]{2,})`;

/** "vers", "environ", "um", "etwa", "hacia", "verso", "intorno al", "omstreeks": read as the year itself. */
export const APPROXIMATE = String.raw`vers|environ|um|etwa|gegen|hacia|verso|intorno\s+al|omstreeks|ongeveer`;

/** Before Christ / before the common era, as written in each language (and in English words). */
const BEFORE = [
  // French: av. J.-C., avant J.-C., avant Jésus-Christ, av. notre ère, av. n. è.
  String.raw`\bav(?:ant|\.)?\s*${JC}`,
  String.raw`\bav(?:ant|\.)?\s*(?:notre\s+ère\b|n\.\s*è\.?)`,
  // German and Dutch: v. Chr., v.Chr., vor Christus, vor Christi Geburt, voor Christus, v. u. Z., v.o.j.
  String.raw`\b(?:v\.?|vor|voor)\s*${CHR}`,
  String.raw`\bv\.\s*u\.\s*z\.?`,
  String.raw`\bvor\s+unserer\s+zeitrechnung\b`,
  String.raw`\bv\.\s*o\.\s*j\.?`,
  String.raw`\bvoor\s+onze\s+jaartelling\b`,
  // Latin, in German registers: a. Chr. n.
  String.raw`\ba\.\s*${CHR}(?:\s*n\.)?`,
  // Spanish and Italian: a. C., a.C., a. de C., a. de J.C., antes de Cristo, a. n. e., avanti Cristo, a.e.v.
  String.raw`\ba\.\s*(?:de\s+)?(?:j\.\s*)?c(?:\.|\b)${NO_WORD}`,
  String.raw`\b(?:antes\s+de|avanti|prima\s+di)\s+cristo\b`,
  String.raw`\ba\.\s*n\.\s*e\.?`,
  String.raw`\bantes\s+de\s+nuestra\s+era\b`,
  String.raw`\ba\.\s*e\.\s*[vc]\.?`,
  String.raw`\b(?:avanti|prima)\s+(?:dell['’]\s*)?era\s+volgare\b`,
  // English written out.
  String.raw`\bbefore\s+christ\b`,
  String.raw`\bbefore\s+(?:the\s+)?common\s+era\b`,
];

/** After Christ / the common era. */
const AFTER = [
  String.raw`\b(?:ap|apr|après)\.?\s*${JC}`,
  String.raw`\bde\s+notre\s+ère\b`,
  String.raw`\b(?:n\.?|nach|na)\s*${CHR}`,
  String.raw`\bn\.\s*u\.\s*z\.?`,
  String.raw`\bn\.\s*o\.\s*j\.?`,
  String.raw`\bp\.\s*${CHR}(?:\s*n\.)?`,
  String.raw`\bd\.\s*(?:de\s+)?(?:j\.\s*)?c(?:\.|\b)${NO_WORD}`,
  String.raw`\b(?:despu[eé]s\s+de|dopo)\s+cristo\b`,
  String.raw`\banno\s+domini\b`,
];

/**
 * An era counts only right after the year or century it qualifies ("1500 a. C.", "1500 (?) v. Chr.", "5th century
 * av. J.-C."), never elsewhere in the field: "A. C. Swinburne, 1870" is a name, not 1870 before Christ.
 */
const AFTER_YEAR = String.raw`(?<=(?:\d|\bcentury|\bmillennium)\s*(?:\(\?\)|\?)?\s*)`;
/** Written short after a year: AEC (avant l’ère commune, antes de la era común), ANE (avant notre ère), aC. */
const BEFORE_SHORT = String.raw`(?:aec|ane|aev|ac)\b${NO_WORD}`;
const AFTER_SHORT = String.raw`dc\b${NO_WORD}`;
const BEFORE_RE = new RegExp(`${AFTER_YEAR}(?:${[...BEFORE, BEFORE_SHORT].join('|')})`, 'g');
const AFTER_RE = new RegExp(`${AFTER_YEAR}(?:${[...AFTER, AFTER_SHORT].join('|')})`, 'g');

/**
 * Where a date opens: the start of the field, a bracket or a punctuation mark, or a word of range or approximation
 * ("ca. v. Chr. 300", "v. Chr. 300 bis n. Chr. 50"); not after a word ("Ed. A. C. 1920" is an edition's initials).
 */
export const DATE_OPENS =
  String.raw`(?:^|[-–—([,;:/]|(?<![a-zà-ÿ])(?:ca\.|c\.|circa|about|${APPROXIMATE}|` +
  String.raw`to|or|and|bis|à|au|al|a|tot|et|y|und|e|en|o|ou|oder|of|entre|zwischen|tra|fra|tussen|du|von|dal))\s*`;

/**
 * An era right before its year, as "AD 1200" is written ("av. J.-C. 100", "v. Chr. 300", "a.C. 200", "n. Chr. 50"),
 * where a date opens; not the short forms ("AC 1500"), nor initials before a name ("A. C. Swinburne, 1870").
 */
const BEFORE_YEAR = String.raw`(\s*(?:ca\.|c\.|circa)?\s*)(\d+)(?!\d)`;
const ERA_BEFORE_YEAR = new RegExp(`((${BEFORE.join('|')})|${AFTER.join('|')})${BEFORE_YEAR}`, 'g');
/** The text before an era ends where a date opens. */
export const OPENS = new RegExp(`${DATE_OPENS}$`);

/**
 * The last 60 characters before `at`, for a test of how the text ends there: "x " stands for any text cut off, so the
 * start of the field is only the real one. A long field is then read in a time that grows with its length only.
 */
export function textBefore(text: string, at: number): string {
  return at <= 60 ? text.slice(0, at) : `x ${text.slice(at - 60, at)}`;
}

/** "a.C.", "a. n. e.", "a.e.v.": short forms, which are also initials ("Photo: A.C. 1920", "Banamex, A.C. 1985"). */
const SHORT_BEFORE = /^\s*a\.\s*(?:(?:j\.\s*)?c\.?|n\.\s*e\.?|e\.\s*[vc]\.?)\s*$/;

/**
 * Where an era before Christ written before its year ("B.C. 500", "v. Chr. 300", "a.C. 200") opens a date: the start
 * of the field or of a clause, perhaps with a word of approximation ("ca. v. Chr. 300", "um v. Chr. 300"); a round
 * or square bracket ("[BC 100]"); a dash or a word of range ("300 bis v. Chr. 200", "between B.C. 500 and B.C. 400");
 * "c.", "ca.", "circa" or "about" ("Thothmes III, about B.C. 1500"). Not after a label, a name or a comma ("Photo: B.C. 1920", "Portrait of
 * v. Chr. 300", "Vancouver, B.C. 1920"): there the letters are initials, a place or an era, which the text does not
 * say, so the year after them is not read (`unreadYear`), never read as a year before Christ nor after.
 */
export const ERA_OPENS = new RegExp(
  String.raw`(?:(?:^|;)\s*(?:(?:${APPROXIMATE})\s+)?|[-–—([]\s*|` +
    String.raw`(?<![a-zà-ÿ])(?:to|bis|à|au|al|a|tot|hasta|until|entre|zwischen|between|tussen|tra|fra)\s+|` +
    // "between B.C. 500 and B.C. 400", "entre av. J.-C. 300 et av. J.-C. 200".
    String.raw`(?<![a-zà-ÿ])(?:between|entre|zwischen|tussen|tra|fra)\s[^;]{0,40}\s(?:and|et|und|u\.|y|en|e)\s+|` +
    String.raw`(?<![a-zà-ÿ])(?:ca\.|c\.|circa|about)\s*)$`,
);

/** An era and a year not read, so no other date in the field is taken for them: "1850, v. Chr. 300" is 1850. */
export const UNREAD_YEAR = ' unread ';

/**
 * "av. J.-C. 100" → " bce 100", "n. Chr. 50" → " ad 50", where a date opens (`ERA_OPENS`, `OPENS` for an era after
 * Christ). Elsewhere the era and its year are not read ("Verso: v. Chr. 1920"); a short form before Christ ("a.C.
 * 1920") before a year of four digits is initials wherever it is, and that year is read.
 */
function eraBeforeYear(
  all: string,
  era: string,
  before: string | undefined,
  space: string,
  year: string,
  at: number,
  text: string,
): string {
  const preceding = textBefore(text, at);
  if (before === undefined) return OPENS.test(preceding) ? ` ad ${space}${year}` : all;
  if (SHORT_BEFORE.test(era) && year.length > 3) return all;
  return ERA_OPENS.test(preceding) ? ` bce ${space}${year}` : UNREAD_YEAR;
}

/** Roman numerals of centuries, I to XXIX; null when the letters are no such numeral. */
function roman(text: string): number | null {
  const m = text.match(/^(x{0,2})(ix|iv|v?i{0,3})$/);
  if (!m || text === '') return null;
  const u = m[2]!;
  const units = u === 'ix' ? 9 : u === 'iv' ? 4 : (u.startsWith('v') ? 5 : 0) + u.replace('v', '').length;
  return m[1]!.length * 10 + units || null;
}

/** A century number as written, arabic or roman: "18", "xviii". */
function centuryNumber(text: string): number | null {
  const n = /^\d+$/.test(text) ? Number(text) : roman(text);
  return n !== null && n >= 1 && n <= 21 ? n : null;
}

/** "18th century", or the text unchanged when the number is no century. */
function centuryWords(all: string, n: string, m?: string): string {
  const a = centuryNumber(n);
  const b = m === undefined ? null : centuryNumber(m);
  if (a === null || (m !== undefined && b === null)) return all;
  return b === null ? ` ${a}th century ` : ` ${a}th–${b}th century `;
}

/** Words between a part of a century and the century: "du", "des", "del", "della", "van de". */
const OF = String.raw`(?:(?:du|de|des|del|della|dello|der|van|la|het|el)\s+)*`;

/** Early, mid or late in a century, in each language: "début", "Mitte", "spätes", "finales", "tardo", "eind". */
const PART_WORD =
  '(?:début|debut|fin|milieu|anfang|mitte|ende|früh(?:e[sr]?)?|spät(?:e[sr]?)?|principios|inicios|comienzos|' +
  // Not "metà": "seconda metà" is the second half, not the middle.
  'mediados|finales|fines|inizio|primo|tardo|fine|begin|vroeg|midden|einde|eind|laat)';

/** "siglo XV–XVI", "sec. XV-inizio XVI": "15th–16th century", "15th–early 16th century". */
function centuryRange(all: string, n: string, partWord: string | undefined, m?: string): string {
  const read = centuryWords(all, n, m);
  return partWord && read !== all ? read.replace('–', `–${partInEnglish(partWord)}`) : read;
}

const NUM = String.raw`(\d{1,2}|[ivx]+)`;
/** A dash, or a word between spaces ("XVI e XVII"; not the "e" of "sec. XVI ex."). */
const TO = String.raw`(?:\s*[–—-]\s*|\s+(?:al|a|y|e|bis|à|au|tot)\s+)`;

const SIECLE = new RegExp(String.raw`\b${NUM}(?:e|ème|eme|er|ère|re)\s+(?:si[èe]cles?\b|s\.)`, 'g');
// "Jhdt", "Jhd." whole: read as "Jh" and a stray "dt", the search box took "19. Jhdt" for no century (centuryTyped).
const JAHRHUNDERT = new RegExp(String.raw`\b${NUM}\.\s*(?:jh(?:dt|d|t)?\.?|jahrhunderts?\b)`, 'g');
/** "siglo XV–XVI", "sec. XV-inizio XVI", "siglo XV-principios del XVI": the second century perhaps a part of it. */
const SIGLO = new RegExp(
  String.raw`\b(?:siglos?|secoli|secolo|secc?\.)\s*${NUM}` +
    String.raw`(?:${TO}(?:(${PART_WORD})\s+${OF}(?:(?:siglo|secolo|secc?\.|s\.)\s*)?)?${NUM})?\b`,
  'g',
);
/** "s. XVI", "ss. XVI–XVII": "siglo" written short, with roman numerals only ("S. Vitale" is a saint). */
const SIGLO_SHORT = new RegExp(
  String.raw`(?<![a-zà-ÿ.])ss?\.\s*([ivx]+)(?:${TO}(?:(${PART_WORD})\s+${OF}(?:(?:siglo|s\.)\s*)?)?([ivx]+))?\b`,
  'g',
);
const SECOLO = new RegExp(String.raw`\b${NUM}\s*°?\s*(?:secol[oi]|secc?\.)`, 'g');
/** "Ottocento", "’800": the 19th century in Italian; never the year 800. */
const CENTO_NAMES = [
  'duecento',
  'trecento',
  'quattrocento',
  'cinquecento',
  'seicento',
  'settecento',
  'ottocento',
  'novecento',
];
/** "dell’800", "nell’800", "l’800": after an elided article too, which goes with it. */
const CENTO = new RegExp(
  String.raw`(?<![a-zà-ÿ\d])(?:(${CENTO_NAMES.join('|')})|(?:(?:l|dell|nell|all|sull|dall|coll)\s*)?['’‘]([2-9])00)` +
    String.raw`(?![a-zà-ÿ\d])`,
  'g',
);
const EEUW = /\b(\d{1,2})(?:e|de|ste)\s+eeuw\b/g;

/** The word for a millennium in each language: "millénaire", "milenio", "millennio", "Jahrtausend", "millennium". */
const MILLENNIUM_WORD = `(?:mill[ée]naire|milenio|millennio|millennium|jahrtausends?)(?![a-zà-ÿ])`;
const MILLENNIA_WORD = `(?:mill[ée]naires?|milenios?|millenni[oa]|millennium|jahrtausends?)(?![a-zà-ÿ])`;
/**
 * "2. Jahrtausend", "3. Jt.", "IIe millénaire", "IVe–IIIe millénaires", "II milenio", "II millennio", "2e millennium"
 * (Dutch): a number with its ordinal's ending, or a roman one before the word in the singular ("2 millennia", "tre
 * millenni" are so many thousand years).
 */
const MILLENNIUM = new RegExp(
  String.raw`\b(?:${NUM}(?:\.\s*(?:jt\.|jtsd\.)|(?:\.|e|ème|eme|er|ère|re|de|ste|°|º)\s*${MILLENNIA_WORD})|` +
    String.raw`([ivx]+)\s+${MILLENNIUM_WORD})`,
  'g',
);
/** Millennia written in words, first to fifth: "premier millénaire", "segundo milenio", "zweites Jahrtausend". */
const MILLENNIUM_ORDINALS = [
  'premier|première|premiere|primer|primero|primo|erstes|erste|eerste',
  'deuxième|deuxieme|seconde|second|segundo|secondo|zweites|zweite|tweede',
  'troisième|troisieme|tercer|tercero|terzo|drittes|dritte|derde',
  'quatrième|quatrieme|cuarto|quarto|viertes|vierte|vierde',
  'cinquième|cinquieme|quinto|fünftes|fünfte|vijfde',
];
const MILLENNIUM_IN_WORDS = new RegExp(
  String.raw`(?<![a-zà-ÿ])(${MILLENNIUM_ORDINALS.join('|')})\s+${MILLENNIA_WORD}`,
  'g',
);
const MILLENNIUM_INDEX = MILLENNIUM_ORDINALS.map((words) => new RegExp(`^(?:${words})$`));
const FIRST_CENTURY = new RegExp(
  String.raw`\b${NUM}(?:e|ème|er|de|ste|\.|°)?\s*(?:[–—/-]|bis|à|au|al|tot|\s(?:e|y|und|et|ou|oder|of|o|en)\s)\s*` +
    // "fin XVIIe - début XVIIIe siècle": a part of the second century; "IVe–IIIe millénaire": the first millennium.
    String.raw`(${PART_WORD}\s+${OF})?(?=\d{1,2}th (?:century|millennium))`,
  'g',
);
/** A year, "or" or "and" in another language, and a year. */
const EITHER =
  /(\d{3,4})((?:\s*(?:bce|ad))?)\s+(?:ou|o|oder|of|et|y|und|u\.|bzw\.|en|e)\s+(?=(?:ca\.\s*)?(\d{3,4})\b)/g;

/**
 * Two numbers joined by "or", "and", "ou", "of" that can both be years: as many digits and at most 100 years apart,
 * and three-digit ones only where a date opens. "1920 and 150 others", "copy 120 of 500", "1890 e 120 tavole" are
 * a year and a count, or two counts.
 */
export function bothYears({ first, second, before }: { first: string; second: string; before: string }): boolean {
  if (first.length !== second.length || Math.abs(Number(first) - Number(second)) > 100) return false;
  return first.length === 4 || OPENS.test(before);
}

/** `EITHER`'s rewrite: "or" between two years, the text unchanged otherwise. */
function either(all: string, first: string, era: string, second: string, at: number, text: string): string {
  return bothYears({ first, second, before: textBefore(text, at) }) ? `${first}${era} or ` : all;
}
const RANGE_WORD = new RegExp(
  String.raw`(\d|\bbce|\bad|\bcentury|\bunread)\s+` +
    // "1850 hasta 1900", "1850 jusqu’en 1900", "1850 fino al 1900", "1850 t/m 1900" (tot en met) too.
    String.raw`(?:bis|à|au|al|a|tot\s+(?:en\s+)?met|t/m|tot|hasta|jusqu['’]\s*(?:en|à|au)|fino\s+al?)\s+` +
    // "v. Chr. 300 bis v. Chr. 200": the era written before the second year too.
    String.raw`(?=(?:(?:ca\.|${APPROXIMATE}|circa|early|mid|late)\s*)?(?:(?:bce|ad)\s*)?\d)`,
  'g',
);

/** "première moitié du", "2. Hälfte", "seconda metà del", "segunda mitad del", "tweede helft": a half of it. */
const HALF = new RegExp(
  // "1e", "1ste", "2de" (Dutch), "I", "II", "1ª", "2°" (Italian, Spanish) too.
  String.raw`(?<![a-zà-ÿ])(?:(première|premiere|1re|1ère|prima|1[aªº°]|primera|erste|1\.|eerste|1e|1ste|i)|` +
    String.raw`seconde|second|deuxième|deuxieme|2e|seconda|2[aªº°]|segunda|zweite|2\.|tweede|2de|ii)\s+` +
    String.raw`(?:moitié|moitie|metà|meta|mitad|hälfte|helft|h\.)\s*${OF}(?=\d{1,2}th (?:century|millennium))`,
  'g',
);

/** A year next, perhaps approximate ("vor ca. 1500", "avant vers 1500"). */
const YEAR_NEXT = String.raw`(?=(?:(?:ca\.|c\.|circa|${APPROXIMATE})\s*)?\d)`;
/**
 * "vor 1500", "avant 1500", "antes de 1500", "nach 1850", "après 1850", "bis 1500": an open range, which is undated
 * as "before 1920" is (run after `RANGE_WORD`, which has made "1500 bis 1400" a range).
 */
const OPEN_WORD = new RegExp(
  String.raw`(?<!\d\s*)(?<![a-zà-ÿ])(?:vor|avant|av\.?|antes\s+del?|prima\s+del?|voor|vóór|nach|après|apres|` +
    String.raw`despu[eé]s\s+del?|dopo(?:\s+il)?|bis|jusqu['’]\s*(?:en|à)|hasta|fino\s+al|na|tot|` +
    // "au plus tard 1850", "anterior a 1900", "non oltre il 1900", "entro il 1900", "spätestens", "uiterlijk".
    String.raw`au\s+plus\s+(?:tard|tôt)(?:\s+en)?|anterior\s+a|posterior\s+a|non\s+oltre(?:\s+il)?|` +
    String.raw`entro(?:\s+il)?|spätestens|frühestens|uiterlijk|(?:terminus\s+)?(?:post|ante)\s+quem)\s+${YEAR_NEXT}`,
  'g',
);

/**
 * "desde 1850", "depuis 1850", "dal 1850", "vanaf 1850", "seit 1850": since then, an open range (undated); the start
 * of a range when one follows ("desde 1850 hasta 1900" is 1850–1900 once `RANGE_WORD` has read "hasta").
 */
const SINCE = new RegExp(
  String.raw`(?<!\d\s*)(?<![a-zà-ÿ])(?:desde|depuis|à\s+partir\s+d[eu]|a\s+partir\s+del?|a\s+partire\s+dal?|` +
    String.raw`dal|vanaf|sinds|seit|ab)\s+${YEAR_NEXT}`,
  'g',
);
/** A year that a range goes on from: "1850 to 1900", "1500 bce to 1400 bce", "1850-1900". */
const RANGE_FOLLOWS = new RegExp(
  String.raw`^(?:(?:ca\.|c\.|circa|${APPROXIMATE})\s*)?\d{1,4}(?:\s*(?:bce|ad))?\s*(?:to\b|[–—-]\s*\d)`,
);

/** "début du", "Ende des", "finales del", "inizio del", "eind": early, mid or late in the century after them. */
const PART_OF_CENTURY = new RegExp(
  String.raw`(?<![a-zà-ÿ])(${PART_WORD})\s+${OF}` +
    String.raw`(?=\d{1,2}th(?:–(?:(?:early|mid|late)\s+)?\d{1,2}th)? (?:century|millennium))`,
  'g',
);

/** "début", "Mitte", "finales": "early ", "mid ", "late ". */
function partInEnglish(word: string): string {
  return /^(début|debut|anfang|früh(e[sr]?)?|principios|inicios|comienzos|inizio|primo|begin|vroeg)$/.test(word)
    ? 'early '
    : /^(milieu|mitte|mediados|midden)$/.test(word)
      ? 'mid '
      : 'late ';
}

/** "années 1920", "década de 1920", "anni 1920", "jaren 1920–1930": a decade, or two and those between. */
const DECADE_WORD = new RegExp(
  String.raw`(?<![a-zà-ÿ])(?:années|annees|años|anos|décadas?\s+de(?:\s+los)?|decadas?\s+de(?:\s+los)?|anni|jaren)` +
    String.raw`\s+(\d{3}0)(?:(?:\s*[–—/-]\s*|\s+(?:et|y|e|en|à|a|al|tot)\s+)(\d{3}0|\d0))?(?!\d)`,
  'g',
);
/** "1920er Jahre", "in den 1880er Jahren", "1920er–1930er", "1920er/30er Jahre", "1920-30er Jahre". */
const DECADE_ER = /\b(\d{3}0)(?:er)?\s*[–—/-]\s*(\d{3}0|\d0)er(?:\s+jahren?)?\b|\b(\d{3}0)er(?:\s+jahren?)?\b/g;

/** A decade's ten years ("1920–1929"), or from one decade to the end of another ("1920-30": to 1939). */
function decadeYears(_: string, first: string, last?: string): string {
  const end = Number(last === undefined ? first : last.length === 2 ? first.slice(0, 2) + last : last);
  return end < Number(first) ? ' invalid ' : ` ${first}–${end + 9} `;
}

/** The ordinals of quarters, first to fourth (the last), in each language. */
const QUARTER_ORDINALS = [
  String.raw`premier|1er|erstes|erste|1\.|primer|primo|eerste|1e|1ste|1[°º]`,
  String.raw`deuxième|deuxieme|second|2e|zweites|zweite|2\.|segundo|secondo|tweede|2de|2[°º]`,
  String.raw`troisième|troisieme|3e|drittes|dritte|3\.|tercer|terzo|derde|3de|3[°º]`,
  String.raw`quatrième|quatrieme|4e|dernier|viertes|vierte|letztes|letzte|4\.|cuarto|último|ultimo|quarto|vierde|` +
    'laatste|4de|4[°º]',
];
/** "premier quart du", "letztes Viertel", "primer cuarto del", "ultimo quarto del", "eerste kwart": a quarter of it. */
const QUARTER = new RegExp(
  String.raw`(?<![a-zà-ÿ\d])(${QUARTER_ORDINALS.join('|')})\s+(?:quart|viertel|cuarto|quarto|kwart)\s+${OF}` +
    String.raw`(?=\d{1,2}th (?:century|millennium))`,
  'g',
);
const QUARTER_INDEX = QUARTER_ORDINALS.map((words) => new RegExp(`^(?:${words})$`));

/**
 * A year of the Islamic calendar: "1039 H.", "1039 de l’Hégire", "1039 n. H.", "1039 nach der Hidschra", "1039 d.H.",
 * "1039 de la Hégira", "1039 dell’Egira"; written "AH" for `normalise`, which skips such a year.
 */
const HIJRA = new RegExp(
  String.raw`(?<![\d.,])(\d{1,4})(\s*)(?:(?:h\.|n\.\s*h\.|d\.\s*h\.)${NO_WORD}|de\s+l['’]\s*h[ée]gire\b|` +
    String.raw`de\s+la\s+h[ée]gira\b|dell['’]\s*egira\b|nach\s+der\s+hid(?:sch|j)ra\b)`,
  'g',
);

/**
 * `HIJRA`'s rewrite: " ah " after a year of that calendar, which has not reached 1450; "1920 h. 30" (a height),
 * "1920 d. h." (das heißt), "1702 H. Rigaud" (a name) are left as written.
 */
function hijra(all: string, year: string, space: string): string {
  return Number(year) > 1450 ? all : `${year}${space} ah `;
}

/**
 * "3.000 Jahre v. Chr.", "3000 ans av. J.-C.", "3000 years BC": so many years before Christ, the year itself ("vor
 * 3.000 Jahren", years ago, has no era and is not read). Only before an era before Christ, checked by `BEFORE_RE`.
 */
const YEARS_BEFORE = new RegExp(
  String.raw`(?<=\d)\s+(?:jahre|years|ans|años|anni|jaar)\s+(?=(?:${[...BEFORE, 'b\\.\\s?c\\.?', 'bce?\\b'].join('|')}))`,
  'g',
);

/** Eras, approximate words, ranges and centuries of the other languages, in the English forms. */
export function fromOtherLanguages(text: string): string {
  return (
    text
      .replace(YEARS_BEFORE, ' ')
      .replace(HIJRA, hijra)
      // Centuries: "XVIIIe siècle", "5e siècle", "19. Jh.", "19. Jahrhundert", "siglo XVIII", "siglos XV–XVI",
      // "XV secolo", "sec. XV", "15° secolo", "18e eeuw".
      .replace(SIECLE, (all, n: string) => centuryWords(all, n))
      .replace(JAHRHUNDERT, (all, n: string) => centuryWords(all, n))
      .replace(CENTO, (_, name: string | undefined, digit: string | undefined) =>
        name ? ` ${CENTO_NAMES.indexOf(name) + 13}th century ` : ` ${Number(digit) + 11}th century `,
      )
      .replace(SIGLO, centuryRange)
      .replace(SIGLO_SHORT, centuryRange)
      .replace(SECOLO, (all, n: string) => centuryWords(all, n))
      .replace(EEUW, (all, n: string) => centuryWords(all, n))
      // Millennia: "2. Jahrtausend", "IIe millénaire", "II milenio", "zweites Jahrtausend" → "2th millennium".
      .replace(MILLENNIUM, (all, n: string | undefined, romanNumber: string | undefined) => {
        const m = centuryNumber(n ?? romanNumber!);
        return m === null ? all : ` ${m}th millennium `;
      })
      .replace(MILLENNIUM_IN_WORDS, (_, word: string) => {
        return ` ${MILLENNIUM_INDEX.findIndex((re) => re.test(word)) + 1}th millennium `;
      })
      .replace(DECADE_WORD, decadeYears)
      .replace(DECADE_ER, (all, first?: string, last?: string, alone?: string) =>
        decadeYears(all, first ?? alone!, last),
      )
      // Eras, once the centuries they follow are written "5th century".
      .replace(BEFORE_RE, ' bce ')
      .replace(AFTER_RE, ' ad ')
      .replace(ERA_BEFORE_YEAR, eraBeforeYear)
      // "Ve–IVe siècle", "15.–16. Jh.", "V–IV secolo": the first century of a range, written short.
      .replace(FIRST_CENTURY, (all, n: string, partWord?: string) => {
        const c = centuryNumber(n);
        return c === null ? all : `${c}th–${partWord ? partInEnglish(partWord.trim().split(/\s/)[0]!) : ''}`;
      })
      .replace(HALF, (_, first?: string) => (first ? 'part1of2 ' : 'part2of2 '))
      .replace(QUARTER, (_, which: string) => `part${QUARTER_INDEX.findIndex((re) => re.test(which)) + 1}of4 `)
      .replace(PART_OF_CENTURY, (_, word: string) => partInEnglish(word))
      // "entre 1500 et 1400", "zwischen 1500 und 1400", "zw. 1500 u. 1400", "tra il 1500 e il 1400", "tussen 1500 en 1400"
      // (the first date within 80 characters of the word, and the second within 80 of its first digit: a field full of
      // "entre" with no "et" is then read in a time that grows with its length only).
      .replace(
        /(?<![a-zà-ÿ])(?:entre|zwischen|zw\.|tra|fra|tussen)\s+([^;\d]{0,80}\d[^;]{0,80}?)\s+(?:et|y|und|u\.|e|en)\s+(?=\D{0,12}\d)/g,
        '$1 to ',
      )
      // "1880 ou 1890", "1880 oder 1890", "1880 y 1890", "1500 o 1400 a.C.": either date, as "1880 or 1890" is.
      .replace(EITHER, either)
      // "1500 bis 1400", "de 1500 à 1400", "del 1500 al 1400", "1500 tot 1400": a range.
      .replace(RANGE_WORD, '$1 to ')
      .replace(SINCE, (word: string, at: number, all: string) =>
        RANGE_FOLLOWS.test(all.slice(at + word.length)) ? ' ' : ' after ',
      )
      .replace(OPEN_WORD, ' before ')
  );
}

/** Arabic, Persian, Chinese, Japanese, Korean or full-width letters and digits. */
const EASTERN_SCRIPT = /[\u0600-\u06ff\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]/;

/** Eastern Arabic ("١٨٧٦"), Persian ("۱۸۷۶") and full-width ("１８７６") digits: read as "1876". */
const OTHER_DIGITS = /[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g;
function westernDigit(d: string): string {
  const c = d.charCodeAt(0);
  return String(c - (c >= 0xff10 ? 0xff10 : c >= 0x06f0 ? 0x06f0 : 0x0660));
}

/** A letter of the Arabic script (Arabic, Persian): "م" after a year is an era only with none of them next to it. */
const AR = String.raw`\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff`;
/** Not inside an Arabic word. */
const AR_START = `(?<![${AR}])`;
const AR_END = `(?![${AR}])`;

/**
 * "世紀" (Japanese), "世纪" (Chinese): a century; "千年紀": a millennium. The whole number before it: "100世紀", "0世紀"
 * are none (the "00" or "0" read the 0th century, 100 to 1 BCE).
 */
const CJK_CENTURY = /(?<!\d)(\d+)\s*(?:世[紀纪]|千年[紀纪])/g;
/** Parts of a century written after it: "18世紀前半" is its first half, "19世紀末" its end. */
const CJK_PART: [RegExp, string][] = [
  [/^前半/, 'part1of2'],
  [/^後半|^后半/, 'part2of2'],
  [/^(?:初頭|初め|初期|前期|初)/, 'early'],
  [/^(?:中頃|中葉|中期|半ば|中)/, 'mid'],
  [/^(?:末葉|末期|後期|后期|終わり|末)/, 'late'],
];

/**
 * "紀元前", "公元前", "前" right before a year or century: before Christ. Not after another word ("以前", before;
 * "戦前", before the war).
 */
const CJK_BC = String.raw`(?:(?:紀元|纪元|公元)前|(?<![\u3040-\u30ff\u3400-\u9fff])前)`;
const CJK_BEFORE = new RegExp(
  String.raw`${CJK_BC}\s*((?:part\dof\d |early |mid |late )?\d+(?:th (?:century|millennium))?)`,
  'g',
);
/** "紀元前5～4世紀": a range of centuries before Christ, the era written once (or twice). */
const CJK_BEFORE_CENTURIES = new RegExp(
  String.raw`${CJK_BC}\s*(\d{1,2})\s*–\s*(?:${CJK_BC}\s*)?(\d{1,2}th (?:century|millennium))`,
  'g',
);
/** "紀元後", "西暦", "公元" before a year: our era. */
const CJK_AFTER = /(?:紀元後|纪元后|西暦|西历|公元)\s*(?=\d)/g;

/** Kanji digits, zero ("〇", "○", "零") to nine. */
const KANJI_DIGITS = '〇○零一二三四五六七八九';
const KANJI_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * A number in kanji, digit by digit ("一九二〇", 1920) or with 十, 百, 千 ("十八", 18; "千九百二十", 1920); null when it is
 * neither, or when it may be read two ways ("千九" is 1009, or 1900 said short).
 */
function kanjiNumber(text: string): { value: number; positional: boolean } | null {
  const digit = (c: string) => Math.max(0, KANJI_DIGITS.indexOf(c) - 2);
  if (!/[十百千]/.test(text)) {
    const digits = [...text].map(digit).join('');
    return digits.length > 1 && digits.startsWith('0') ? null : { value: Number(digits), positional: true };
  }
  let total = 0;
  let pending: number | null = null;
  let unit = Number.POSITIVE_INFINITY;
  // A zero holds a place ("一千〇二十", 1020): a last digit after it is the ones.
  let zero = false;
  for (const c of text) {
    const size = KANJI_UNITS[c];
    if (size === undefined) {
      const d = digit(c);
      if (pending !== null) return null;
      if (d === 0) zero = true;
      else pending = d;
      continue;
    }
    if (size >= unit) return null;
    total += (pending ?? 1) * size;
    unit = size;
    pending = null;
  }
  if (pending !== null && unit > 10 && !zero) return null;
  return { value: total + (pending ?? 0), positional: false };
}

/**
 * An era before a year in kanji: before Christ, ours, or a reign of Japan since 1868 (`REIGN_YEAR`). A bare "前" is
 * matched only to be left as written (`kanjiDate`): it is also "before" or "former" ("前九年の役", a war of 1051–62).
 */
const KANJI_ERA = '(?:紀元|纪元|公元)?前|紀元後|纪元后|西暦|西历|公元|明治|大正|昭和|平成|令和';
const KANJI_NUMBER = `[${KANJI_DIGITS}十百千]+`;
/** "十八世紀", "一九二〇年", "明治三十年", "十七～十八世紀": a number in kanji before a year or a century, or a range. */
const KANJI_DATE = new RegExp(
  // Only from the first digit of a number (the look-behind, a space too: "十 八世紀" is not the 8th century): a field
  // of thousands of kanji digits is read once.
  `(${KANJI_ERA})?(\\s*)(?<![${KANJI_DIGITS}十百千]\\s?)(${KANJI_NUMBER})` +
    `(?:(\\s*(?:[～〜–—-]|から|至)\\s*(?:(?:紀元|纪元|公元)?前)?\\s*)(${KANJI_NUMBER}))?` +
    `(?=\\s*(?:(年)(?![紀纪])|世[紀纪]))`,
  'g',
);
/** "二千年紀": the second millennium, one digit before "千年紀". */
const KANJI_MILLENNIUM = /([一二三四五六七八九])(?=千年[紀纪])/g;

/**
 * `KANJI_DATE`'s rewrite in digits. Before a century any number; before "年" a count of years is as likely as a year
 * ("三十年戦争", "創業百年", "創業一〇〇年"): read only after an era, or a year of four figures written digit by digit
 * ("一九二〇年") or not round ("千九百二十年"). A century is the 1st to the 21st ("百世紀" is none). After a bare "前"
 * (before, former: "前三年"), or otherwise, the text unchanged, undated.
 */
function kanjiDate(
  all: string,
  era: string | undefined,
  space: string,
  first: string,
  between: string | undefined,
  second: string | undefined,
  year: string | undefined,
): string {
  const a = kanjiNumber(first);
  const b = second === undefined ? null : kanjiNumber(second);
  if (!a || (second !== undefined && !b) || era === '前') return all;
  const isYear = (n: { value: number; positional: boolean }, withEra: boolean) =>
    year === undefined
      ? n.value >= 1 && n.value <= 21
      : withEra || (n.positional && n.value >= 1000) || (n.value > 1000 && n.value % 1000 !== 0);
  if (!isYear(a, era !== undefined) || (b && !isYear(b, era !== undefined || /前/.test(between!)))) return all;
  return `${era ?? ''}${space}${a.value}${b ? `${between}${b.value}` : ''}`;
}

/** The first and last year of each reign of Japan since 1868: "明治30年" is 1897, "昭和元年" (its first year) 1926. */
const REIGNS: Record<string, [number, number]> = {
  明治: [1868, 1912],
  大正: [1912, 1926],
  昭和: [1926, 1989],
  平成: [1989, 2019],
  // Not ended: to the last year read as a date of making.
  令和: [2019, 2099],
};
/** A year of a reign, "明治30年", or a decade of it, "昭和30年代" (Shōwa 30 to 39). */
const REIGN_YEAR = /(明治|大正|昭和|平成|令和)\s*(\d{1,3}|元)\s*(?:(年代)|(?=年(?![紀纪])))/g;

/**
 * `REIGN_YEAR`'s rewrite: the year of our era, or the years of the decade to the reign's end ("明治40年代" is 1907–1912,
 * not 1907–1916). Past the reign's end ("明治50年", "明治100年") no year: undated, never the year 100.
 */
function reignYear(_: string, reign: string, n: string, decade: string | undefined): string {
  const [first, last] = REIGNS[reign]!;
  const year = first + (n === '元' ? 1 : Number(n)) - 1;
  if (year < first || year > last || (decade && Number(n) % 10 !== 0)) return ' invalid ';
  return decade ? ` ${year}–${Math.min(year + 9, last)} ` : ` ${year}`;
}

/** Arabic ordinals of centuries, first to tenth ("الثامن"); 11th to 19th add "عشر", 20th is "العشرين". */
const AR_ORDINALS = ['اول', 'ثاني', 'ثالث', 'رابع', 'خامس', 'سادس', 'سابع', 'ثامن', 'تاسع', 'عاشر'];
/**
 * Persian ordinals of centuries, first to twenty-first ("هجدهم", eighteenth), with the Arabic yeh and kaf a Persian
 * text is often typed with.
 */
const FA_ORDINALS = [
  'یکم|نخست|اول',
  'دوم',
  'سوم',
  'چهارم',
  'پنجم',
  'ششم',
  'هفتم',
  'هشتم',
  'نهم',
  'دهم',
  'یازدهم',
  'دوازدهم',
  'سیزدهم',
  'چهاردهم',
  'پانزدهم',
  'شانزدهم',
  'هفدهم|هفتدهم',
  'هجدهم|هیجدهم|هژدهم',
  'نوزدهم',
  'بیستم',
  String.raw`بیست\s*و\s*یکم`,
].map((words) => words.replace(/ی/g, '[یي]').replace(/ک/g, '[کك]'));
const FA_INDEX = FA_ORDINALS.map((words) => new RegExp(`^(?:${words})$`));
/**
 * A century's number after "القرن" or "قرن": "18", "الـ18", "18م" (18th, or 18 of our era: the same century),
 * "الثامن عشر", "العشرين", "الحادي والعشرين", Persian "هجدهم".
 */
const AR_NUMBER =
  String.raw`(?:(?:ال\s*-?\s*)?(\d{1,2})(?!\d)(?:\s*ام|م)?|(الحادي\s+و\s*العشرين)|(العشرين)|` +
  `ال(حادي|${AR_ORDINALS.join('|')})(\\s+عشر${AR_END})?|(${FA_ORDINALS.join('|')}))${AR_END}`;
/** "القرن", "القرنين" (two centuries), Persian "قرن", "سده", "سدهٔ" (a century too). */
const AR_CENTURY_WORD = String.raw`(?:(?:ال)?قرن(?:ين)?|سد[هة]\u0654?)`;
/**
 * "القرن العاشر", "القرن 18", Persian "قرن هجدهم", "سده 18", and a second century after a dash, "و" (and) or "تا"
 * (to): "القرن 18-19", "القرنين 18 و19", "قرن 19 تا 20".
 */
const AR_CENTURY = new RegExp(
  `${AR_START}${AR_CENTURY_WORD}\\s*${AR_NUMBER}` +
    `(?:\\s*(?:[-–—/]|و|الي|تا)\\s*(?:${AR_CENTURY_WORD}\\s*)?${AR_NUMBER})?`,
  'g',
);
/** "القرن 1800", "قرن 180": a century written with a year's digits, which century is not known: undated. */
const AR_CENTURY_YEAR = new RegExp(`${AR_START}${AR_CENTURY_WORD}\\s*(?:ال\\s*-?\\s*)?\\d{3,}`, 'g');
/** The number `AR_NUMBER` matched: its digits, or its ordinal in words. */
function arabicCentury(
  digits?: string,
  first?: string,
  twentieth?: string,
  unit?: string,
  teen?: string,
  persian?: string,
): number {
  if (digits) return Number(digits);
  if (first) return 21;
  if (twentieth) return 20;
  if (persian) return FA_INDEX.findIndex((re) => re.test(persian)) + 1;
  return (unit === 'حادي' ? 1 : AR_ORDINALS.indexOf(unit!) + 1) + (teen ? 10 : 0);
}
/**
 * "أوائل القرن" (early), "منتصف" (mid), "أواخر" (late), "النصف الأول من" (first half) before a century; Persian
 * "اوایل" (early), "نیمه دوم" (second half).
 */
const AR_PART = new RegExp(
  `${AR_START}(?:(اوائل|اوا[یي]ل|مطلع|بداية|بدايات)|(منتصف|اواسط)|(اواخر|نهاية)|` +
    `(?:النصف|ن[یي]م(?:ه\u0654?|ۀ))\\s+(الاول|الثاني|اول|دوم)(?:\\s+من)?)\\s+(?=\\d{1,2}th century)`,
  'g',
);
/** Before Christ: "ق.م", "ق. م.", "ق م", "قبل الميلاد", Persian "پیش از میلاد". */
const AR_BEFORE = new RegExp(
  `${AR_START}(?:ق\\s*\\.?\\s*م${AR_END}\\.?|قبل\\s+الميلاد${AR_END}|پیش\\s+از\\s+میلاد${AR_END})`,
  'g',
);
/** "ق.م" right after a digit, with no space: `AR_BEFORE` reads it once a space is put in. */
const AR_BEFORE_TOUCHING = new RegExp(`(\\d)(?=ق\\s*\\.?\\s*م${AR_END})`, 'g');
/** Our era: "ميلادي", "الميلادي", "للميلاد", "بعد الميلاد", Persian "میلادی"; "م" right after a year. */
const AR_AFTER = new RegExp(
  `${AR_START}(?:(?:بعد\\s+)?(?:ال|لل)?(?:ميلاد|میلاد)(?:ي|ی|ية|یه)?${AR_END}|(?<=(?:\\d|century)\\s*)م${AR_END}\\.?)`,
  'g',
);
/**
 * A year or century of the Islamic calendar, or the Persian one: "هـ", "ه", "هجري", "للهجرة", "ه.ق", "ه.ش", "ش",
 * "شمسی" (solar), "قمری" (lunar) after it. Written " ah " (skipped as "1039 AH" is, and "13th century AH" undated):
 * never a year or century of our era, as no calendar is converted.
 */
const AR_HIJRA = new RegExp(
  `(?<=(?:\\d|century)\\s*)(?:ه\\s*\\.?\\s*[قش]${AR_END}\\.?|هـ|ه${AR_END}\\.?|` +
    `(?:ال|لل)?هجر(?:ي|ية|ة|ی)${AR_END}|(?:ال)?(?:شمس|قمر)(?:ی|ي)${AR_END}|ش${AR_END}\\.?)`,
  'g',
);

/**
 * Dates in Japanese, Chinese, Arabic and Persian in the English forms `dates.ts` reads: "紀元前3000年頃" → "3000 bce",
 * "18世紀前半" → "part1of2 18th century", "القرن الثامن عشر الميلادي" → "18th century ad", "300 ق.م" → "300 bce",
 * "١٨٧٦" → "1876", "十八世紀" → "18th century", "明治30年" → "1897". Era names ("江戸時代", "清代") are not read here:
 * they are for `catalogue.periods`.
 */
export function fromEasternLanguages(text: string): string {
  // Most fields hold none of these scripts: left as they are, at the cost of one test.
  if (!EASTERN_SCRIPT.test(text)) return text;
  return (
    text
      // One space for many: the patterns below that look back over spaces ("1500   ق.م") then look at one.
      .replace(/\s+/g, ' ')
      .replace(OTHER_DIGITS, westernDigit)
      // Kanji numerals in digits ("十八世紀" as "18世紀"), and the years of Japan's reigns in ours ("明治30年" as 1897).
      .replace(KANJI_MILLENNIUM, (d: string) => String(KANJI_DIGITS.indexOf(d) - 2))
      .replace(KANJI_DATE, kanjiDate)
      .replace(REIGN_YEAR, reignYear)
      // Arabic written plainly: no vowel marks nor stretching, one alef, one yeh ("أوائل" as "اوائل").
      .replace(/[\u0640\u064b-\u0652\u0670]/g, '')
      .replace(/[أإآ]/g, 'ا')
      .replace(/ى/g, 'ي')
      // "～", "〜": a range, as "–" is; "から" … "まで" (from … to) too.
      .replace(/[～〜]/g, '–')
      // Korean in the Japanese forms: "기원전 300년경" as "紀元前300年頃", "18세기" as "18世紀".
      .replace(/기원전\s*/g, '紀元前')
      .replace(/(?:기원후|서기)\s*/g, '西暦')
      .replace(/(\d)\s*년\s*(?:경|무렵)/g, '$1年頃')
      .replace(
        /(\d)\s*년\s*(대|이전|이후)?/g,
        (_, d: string, w?: string) => `${d}年${w ? { 대: '代', 이전: '以前', 이후: '以後' }[w] : ''}`,
      )
      .replace(/(\d)\s*세기/g, '$1世紀')
      .replace(
        /(\d)\s*[年년]?\s*(?:から|至|부터)\s*((?:紀元前|公元前|前)?\d+\s*(?:年|년)?)\s*(?:まで|까지)?/g,
        '$1 – $2',
      )
      // "1880年以前", "1880年まで": before it, an open range; "1880年以降", "以後", "以来": after it.
      .replace(/(\d+)\s*年?\s*(?:以前|まで|より前)/g, ' before $1 ')
      .replace(/(\d+)\s*年?\s*(?:以降|以後|以来|より後)/g, ' after $1 ')
      .replace(/(\d)\s*年代/g, '$1s ')
      // "1800年前後": about 1800; "3000年前": 3000 years ago, no date.
      .replace(/(\d)\s*年\s*(?:前後|頃|ごろ|左右)/g, '$1 ')
      .replace(/(\d)\s*年前/g, '$1 years ago ')
      .replace(/(\d)\s*年/g, '$1 ')
      .replace(/[約约頃]|ごろ|前後|左右/g, ' ')
      .replace(CJK_CENTURY, (all: string, n: string, at: number, whole: string) => {
        if (Number(n) < 1 || n.length > 2) return ' invalid ';
        const unit = /千/.test(all) ? 'millennium' : 'century';
        const after = whole.slice(at + all.length);
        const part = CJK_PART.find(([re]) => re.test(after))?.[1];
        return ` ${part ? `${part} ` : ''}${Number(n)}th ${unit} `;
      })
      .replace(
        /(\d(?:th century|th millennium) )\s*(?:前半|後半|后半|初頭|初め|初期|前期|中頃|中葉|中期|半ば|末葉|末期|後期|后期|終わり|初|中|末)/g,
        '$1',
      )
      // "紀元前5～4世紀": both centuries before Christ, as "5th–4th century BC" is.
      .replace(CJK_BEFORE_CENTURIES, ' $1th–$2 bce ')
      .replace(CJK_BEFORE, ' $1 bce ')
      .replace(CJK_AFTER, ' ad ')
      // "18ق.م": a space before the era, so "قرن 18ق.م" is the century before Christ (the digits were read as the year).
      .replace(AR_BEFORE_TOUCHING, '$1 ')
      .replace(AR_CENTURY_YEAR, ' invalid ')
      .replace(AR_CENTURY, (...m: (string | undefined)[]) => {
        const a = arabicCentury(m[1], m[2], m[3], m[4], m[5], m[6]);
        return m[7] || m[8] || m[9] || m[10] || m[12]
          ? ` ${a}th–${arabicCentury(m[7], m[8], m[9], m[10], m[11], m[12])}th century `
          : ` ${a}th century `;
      })
      .replace(AR_PART, (_, early?: string, mid?: string, late?: string, half?: string) =>
        early ? 'early ' : mid ? 'mid ' : late ? 'late ' : /اول/.test(half!) ? 'part1of2 ' : 'part2of2 ',
      )
      .replace(AR_BEFORE, ' bce ')
      .replace(AR_HIJRA, ' ah ')
      .replace(AR_AFTER, ' ad ')
      // "من 1800 إلى 1850": from … to.
      .replace(new RegExp(`(\\d[^;]{0,40}?)\\s+(?:الي|حتي|تا)${AR_END}\\s*(?=\\d)`, 'g'), '$1 to ')
  );
}

/** Next to a year, after it or before it ("1500 v.C.", "J.C. 100", "a. Chr. n. 500"): "J. C. Smith" is a name. */
const nearYear = (pattern: string) => String.raw`(?<=\d\s*)(?:${pattern})|(?:${pattern})(?=\.?(?:\s*[a-z]\.)*\s*\d)`;

/** Words that name an era or Christ: left after `fromOtherLanguages`, they are an era we do not read. */
const ERA_WORD = new RegExp(
  [
    String.raw`\bchr\b|\bchr\.|\bchrist(?:us|i|um|o)\b|\bcristo\b|\bj\.?\s*-\s*c\b`,
    // Not "1650 Christ Church", "1850 J.C. Smith": a name follows.
    nearYear(String.raw`(?:\bchrist\b|\bj\.\s*c\b|\bv\.\s*c\.|\ba\.\s*de\s+(?:j\.\s*)?c\b)(?![\s.'’]*[a-zà-ÿ])`),
    String.raw`\bn\.\s*è|(?<![a-zà-ÿ])ère(?![a-zà-ÿ])|nuestra\s+era`,
    String.raw`era\s+(?:volgare|común|comun|cristiana|vulgar)`,
    String.raw`zeitrechnung|unserer\s+zeit|jaartelling|common\s+era|before\s+present|(?<=\d\s*)bp\b`,
    // "1850, A.C.", "1790 (AC)": after a year and a comma or a bracket, with no name after it, perhaps the era.
    String.raw`(?<=\d\s*[,(]\s*)(?:a\.\s*c\b\.?|ac\b)(?![\s.]*[a-zà-ÿ]{2,})`,
    // "500 B C": "B.C." written with spaces only, which the English reader does not take for an era.
    String.raw`(?<=\d\s*)b\s+c\b`,
    // "1500 avant", "1500 vor": the start of an era, the rest left out.
    String.raw`(?<=\d\s*)(?:avant|av|vor|voor|antes|avanti|prima|before|ante)(?![a-zà-ÿ])`,
  ].join('|'),
);

/**
 * Abbreviations of two letters or more with full stops right after a number whose last letter ends an era's name
 * ("1500 v.C.", "1500 a. J.", "1500 v. u. Z.", "3000 B.P."): perhaps an era. "1889 Co.", "1750 N.S.", "1889 e.g."
 * are not.
 */
const AFTER_NUMBER = /\d\s*((?:[a-zà-ÿ]{1,3}\.\s*-?\s*)+)/g;

/** Abbreviations after a number that are known: an English era, an ordinal or a decade, "c." of "19th c.". */
const KNOWN_AFTER_NUMBER = /^(bce?|ce|ad|ah|st|nd|rd|th|s|stc|ndc|rdc|thc)$/;

/** A count or a month after a number ("1887 cat. 12", "1889 no. 3", "12 jan. 1889"): no era. */
const COUNT_WORD = /^(no|nos|nr|cat|inv|vol|pl|op|ed|fig|pp?|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\./;

/**
 * Arabic or Persian letters with full stops, or one letter alone, right after a number ("1876 ب.م", "1355 خ"): an era
 * `fromEasternLanguages` does not read. Not "و" ("1876 و 1880": and).
 */
const AR_LETTERS_AFTER_NUMBER = new RegExp(`\\d\\s*(?:(?:[${AR}]\\s*\\.\\s*)+[${AR}]?${AR_END}|(?!و)[${AR}]${AR_END})`);

/** Capitals right after a number ("1500 BP", "1500 VDZ"): perhaps an era. */
const CAPITALS_AFTER_NUMBER = /(?<!\d)(\d+)\s+([A-Za-z]{1,4})(?![A-Za-z.\d])/g;

/**
 * Capitals that look like an era: before present, v. d. Z., v. u. Z., a. C., v. C., H (the Hegira); "1920 US",
 * "1850 CA" do not.
 */
const ERA_CAPITALS = /^(bp|vdz|vuz|ndz|nuz|vc|ac|aec|ane|aev|aj|jc|vchr|chr|h)$/;

/**
 * An era marker the parser does not read ("1500 v.C.", "1500 vor unserer Zeit", "300 a. J.", "1500 BP"): true, so
 * the date is undated rather than read as a year of the common era. `written` is the date as written (for its
 * capitals), `normalised` the same in lower case with the eras it reads rewritten ("bce", "ad").
 */
export function unknownEra({ written, normalised }: { written: string; normalised: string }): boolean {
  if (AR_LETTERS_AFTER_NUMBER.test(normalised)) return true;
  // Each word looked for in `normalised` once, however often it is written (a long field is read in a time that grows
  // with its length).
  const seen = new Set<string>();
  for (const m of written.matchAll(CAPITALS_AFTER_NUMBER)) {
    const word = m[2]!;
    const lower = word.toLowerCase();
    // "1920 H 30 cm": a height; no year of the Islamic calendar has reached 1450.
    if (lower === 'h' && Number(m[1]) > 1450) continue;
    if (!ERA_CAPITALS.test(lower) || seen.has(lower)) continue;
    seen.add(lower);
    // "1500 AC" read as before Christ is no longer in `normalised`; "1899 AC Milan" is, and is not read.
    if (new RegExp(String.raw`\d\s*${lower}(?![a-z])`).test(normalised)) return true;
  }
  const text = normalised;
  if (ERA_WORD.test(text)) return true;
  for (const m of text.matchAll(AFTER_NUMBER)) {
    if (KNOWN_AFTER_NUMBER.test(m[1]!.replace(/[\s.-]/g, '')) || COUNT_WORD.test(m[1]!)) continue;
    // "ca." and "c." are approximate ("1890 ca. c."); "i.e." is no era.
    const parts = (m[1]!.match(/[a-zà-ÿ]+\./g) ?? []).filter((p) => !/^(ca|c)\.$/.test(p));
    const letters = parts.join('').replace(/\./g, '');
    if (parts.length >= 2 && letters !== 'ie' && /[cjzep]$/.test(letters)) return true;
  }
  return false;
}
