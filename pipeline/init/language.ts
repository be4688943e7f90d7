import type { Params } from '../params.ts';

/*
 * The language of the export's records, for catalogue.language (D37): init wrote "en" for every export, and a
 * catalogue wholly in German or Arabic then told browsers, screen readers and Pagefind that its records were English.
 * Each record (its title, description and maker) is read by its letters (Arabic, Hebrew, Greek, Cyrillic, Japanese
 * kana, Korean, Chinese characters) or, in the Latin alphabet, by the small words every sentence of a language has
 * ("der", "und", "mit"; "the", "of"). The language is written only when most records agree and there are enough of
 * them; otherwise init keeps "en" and says to set it.
 */

/** What init makes of the records' language. */
export interface LanguageGuess {
  /** The BCP 47 tag to write, when the records agree enough; undefined when mixed, too few or none to read. */
  language?: string;
  /** The language's name in English ("German"). */
  name?: string;
  /** Why, in plain words: "most titles are German (23 of the 24 records whose words tell)". */
  why: string;
}

/** The share of the records whose words tell that must agree. */
export const LANGUAGE_AGREEMENT = 0.7;
/** The fewest records that must agree: never a guess from a handful of titles. */
export const LANGUAGE_MIN_RECORDS = 10;
/** The most records read: evenly spread over a larger export. */
export const LANGUAGE_MAX_READ = 5000;
/** The fewest small words of the language those records must hold, in the Latin alphabet. */
export const LANGUAGE_MIN_WORDS = 20;

const NAMES: Record<string, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  ar: 'Arabic',
  fa: 'Persian',
  he: 'Hebrew',
  el: 'Greek',
  ru: 'Russian',
  uk: 'Ukrainian',
  ja: 'Japanese',
  ko: 'Korean',
  zh: 'Chinese',
};

/** Each language's common small words; a word several languages share counts for each, less. */
const SMALL_WORDS: Record<string, string> = {
  en: 'the of and with from by on for to at an a in his her its this that which is are',
  de: 'der die das und mit von vom aus dem den des ein eine einer eines einem im am zum zur auf für bei nach ist über',
  fr: 'le la les de du des et avec en un une sur pour par au aux dans à d l sa son ses',
  es: 'el la lo los las de del y con en un una por para al sobre su sus a',
  it: 'il lo la gli le di del della dei delle degli e con da in un una per su nel nella al alla dal dalla l suo sua a',
  nl: 'de het een van en met op uit voor bij in aan naar te door zijn haar is',
};
const number = (n: number) => n.toLocaleString('en');
const WORDS = new Map<string, string[]>();
for (const [language, words] of Object.entries(SMALL_WORDS))
  for (const word of words.split(' ')) WORDS.set(word, [...(WORDS.get(word) ?? []), language]);

/**
 * Scripts other than Latin, each one language, or another by letters of its own: Persian's پ چ ژ گ ک ی beside Arabic,
 * Ukrainian's і ї є ґ beside Russian, Japanese kana beside the Chinese characters Japanese also writes. A record with
 * such letters is the other language; the records without them follow it when enough records have them (`share`):
 * a Japanese title may be kanji alone.
 */
const SCRIPTS: { letters: RegExp; language: string; other?: { letters: RegExp; language: string; share: number } }[] = [
  {
    letters: /\p{Script=Arabic}/gu,
    language: 'ar',
    other: { letters: /[\u067E\u0686\u0698\u06AF\u06A9\u06CC]/u, language: 'fa', share: 0.5 },
  },
  { letters: /\p{Script=Hebrew}/gu, language: 'he' },
  { letters: /\p{Script=Greek}/gu, language: 'el' },
  { letters: /\p{Script=Cyrillic}/gu, language: 'ru', other: { letters: /[іїєґІЇЄҐ]/u, language: 'uk', share: 0.3 } },
  { letters: /\p{Script=Hangul}/gu, language: 'ko' },
  {
    letters: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu,
    language: 'zh',
    other: { letters: /[\p{Script=Hiragana}\p{Script=Katakana}]/u, language: 'ja', share: 0.2 },
  },
];
const LATIN = /\p{Script=Latin}/gu;
/** A letter outside the Latin alphabet: most records have none, and then no script's letters are counted. */
const OTHER_LETTER = /[^\P{L}\p{Script=Latin}]/u;
/** A character of these scripts says about as much as a short word: counted thrice against Latin letters. */
const WIDE = new Set(['ko', 'zh']);

type Verdict = { language: string; words: number; other?: boolean };

/** One record's language, or undefined when its words do not tell. */
function recordVerdict(text: string): Verdict | undefined {
  const latin = text.match(LATIN)?.length ?? 0;
  let best: { script: (typeof SCRIPTS)[number]; weight: number } | undefined;
  for (const script of OTHER_LETTER.test(text) ? SCRIPTS : []) {
    const n = text.match(script.letters)?.length ?? 0;
    const weight = WIDE.has(script.language) ? 3 * n : n;
    if (n > 0 && weight > (best?.weight ?? 0)) best = { script, weight };
  }
  // Latin letters in a record of another script are mostly names and numbers' letters ("Hokusai Studio", "Inv. 12").
  if (best && best.weight * 2 >= latin) {
    const { script } = best;
    if (script.other?.letters.test(text)) return { language: script.other.language, words: best.weight, other: true };
    return { language: script.language, words: best.weight };
  }
  const score = new Map<string, number>();
  const hits = new Map<string, number>();
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    const languages = WORDS.get(word) ?? [];
    for (const language of languages) {
      score.set(language, (score.get(language) ?? 0) + 1 / languages.length);
      hits.set(language, (hits.get(language) ?? 0) + 1);
    }
  }
  const [first, second] = [...score].sort((a, b) => b[1] - a[1]);
  if (!first || (second && second[1] >= first[1])) return undefined;
  return { language: first[0], words: hits.get(first[0])! };
}

/** The language of the export's records from their title, description and maker columns (those init mapped). */
export function recordsLanguage({
  rows,
  columns,
}: {
  rows: { cells: Record<string, string> }[];
  columns: Partial<Params['import']['columns']>;
}): LanguageGuess {
  const fields = (['title', 'description', 'maker'] as const).filter((f) => columns[f]);
  if (fields.length === 0) return { why: 'no title, description or maker column is mapped' };
  // An object on several rows (a row per photograph) is one record.
  const seen = new Set<string>();
  const verdicts: Verdict[] = [];
  const told = new Set<string>();
  // Evenly spread, a few thousand records tell as well as all of them, and an export of 100,000 is read in a second.
  const step = Math.max(1, Math.ceil(rows.length / LANGUAGE_MAX_READ));
  for (let i = 0; i < rows.length; i += step) {
    const row = rows[i]!;
    const id = columns.id ? row.cells[columns.id]?.trim() : '';
    if (id && seen.has(id)) continue;
    if (id) seen.add(id);
    const texts = fields.map((f) => ({ f, text: row.cells[columns[f]!] ?? '' }));
    const verdict = recordVerdict(texts.map((t) => t.text).join('\n'));
    if (!verdict) continue;
    verdicts.push(verdict);
    // Named in the why only for its own words: makers' names say no language.
    for (const t of texts) if (!told.has(t.f) && recordVerdict(t.text)) told.add(t.f);
  }
  // The records of a script's own letters lead those without (Persian's, Japanese kana): see SCRIPTS.
  for (const script of SCRIPTS) {
    const other = script.other;
    if (!other) continue;
    const both = verdicts.filter((v) => v.language === script.language || v.language === other.language);
    if (both.filter((v) => v.other).length >= other.share * both.length)
      for (const v of both) v.language = other.language;
  }
  const counts = new Map<string, { records: number; words: number }>();
  for (const v of verdicts) {
    const c = counts.get(v.language) ?? { records: 0, words: 0 };
    counts.set(v.language, { records: c.records + 1, words: c.words + v.words });
  }
  const ranked = [...counts].sort((a, b) => b[1].records - a[1].records);
  const [top] = ranked;
  const said = [...told].map((f) => `${f}s`);
  const which = said.length > 1 ? `${said.slice(0, -1).join(', ')} and ${said.at(-1)}` : (said[0] ?? 'titles');
  if (!top || top[1].records < LANGUAGE_MIN_RECORDS)
    return {
      why:
        verdicts.length === 0
          ? "no record's words tell which language it is in"
          : `only ${verdicts.length} records have words that tell which language they are in, too few to go by`,
    };
  const [language, { records, words }] = top;
  const name = NAMES[language]!;
  if (records < LANGUAGE_AGREEMENT * verdicts.length)
    return {
      why:
        `they are mixed: ${ranked.map(([l, c]) => `${number(c.records)} in ${NAMES[l]}`).join(', ')}, of the ` +
        `${number(verdicts.length)} records whose words tell`,
    };
  const latin = !SCRIPTS.some((s) => s.language === language || s.other?.language === language);
  if (latin && words < LANGUAGE_MIN_WORDS)
    return { why: `only ${words} words of the records say ${name}, too few to go by` };
  return {
    language,
    name,
    why:
      `most ${which} are ${name} (${number(records)} of the ${number(verdicts.length)} records whose words tell` +
      `${step > 1 ? `, read evenly through the export's ${number(rows.length)} rows` : ''})`,
  };
}

/**
 * What init says of catalogue.language: the line of its summary, the step under "Next:" when it could not tell, and
 * the comment above the key in params.yaml.
 */
export function languageWords(guess: LanguageGuess): { said: string; next?: string; comment: string } {
  const where = 'docs/catalogue.md, "catalogue.language"';
  if (guess.language)
    return {
      said:
        `The records look ${guess.name}: ${guess.why}, so params.yaml sets catalogue.language to ${guess.language} ` +
        `(${guess.name}), the language browsers, screen readers and the catalogue's search read them in. If that is ` +
        `wrong, change it there (${where}).`,
      comment: commentLines(`Set by vitrine init: ${guess.why}.`),
    };
  return {
    said:
      `Vitrine could not tell which language the records are written in (${guess.why}): params.yaml says ` +
      'catalogue.language: en (English) until you set it.',
    next:
      'set catalogue.language in params.yaml to the language your records are written in (de, fr, ar…; ' +
      `${where}): until then browsers, screen readers and the catalogue's search read them as English`,
    comment: commentLines(
      `vitrine init could not tell which language the records are written in (${guess.why}): set it to theirs.`,
    ),
  };
}

/** `text` as YAML comment lines (each after "# ") short enough for a side-by-side diff. */
function commentLines(text: string, width = 110): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + word.length < width) lines[last] += ` ${word}`;
    else lines.push(` ${word}`);
  }
  return lines.join('\n');
}
