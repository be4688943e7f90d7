import type { Params } from '../params.ts';

/*
 * The language of the export's records, for catalogue.language (D37): init wrote "en" for every export, and a
 * catalogue wholly in German or Arabic then told browsers, screen readers and Pagefind that its records were English.
 * Each record (its title and description: makers' names say no language, D44) is read by its letters (Arabic, Hebrew,
 * Greek, Cyrillic, Japanese kana, Korean, Chinese characters) or, in the Latin alphabet, by the small words every
 * sentence of a language has ("der", "und", "mit"; "the", "of"). A record with words or letters only a language init
 * does not write uses (Portuguese "não", Urdu's ے, Serbian's ђ) counts for that language, so that init says it could
 * not tell rather than write a wrong tag (D44). The language is written only when most records agree and there are
 * enough of them; otherwise init keeps "en" and says to set it.
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
/** The most characters read of a title or description: its start tells its language as well as all of it. */
export const LANGUAGE_MAX_CHARACTERS = 1000;

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

/** A letter in Arabic script that neither Arabic nor Persian writes (Urdu's ٹ ڈ ڑ ں ہ ے, Kurdish's ە, Uyghur's ې). */
const NOT_ARABIC_NOR_PERSIAN =
  /[^\P{Script=Arabic}\P{L}\u0620-\u064A\u066E\u066F\u0671\u067E\u0686\u0698\u06A9\u06AF\u06BE\u06C0\u06CC]/u;

/**
 * Languages init does not write, each told by words or letters none of those above uses. A record with them is
 * counted for it, and when most are, init says it could not tell: Portuguese's small words scored as Italian,
 * Urdu's letters as Persian. Their keys are not tags: never written.
 */
const UNLISTED: { key: string; name: string; test: (text: string, words: Set<string>) => boolean }[] = [
  {
    key: 'pt',
    name: 'Portuguese or Galician',
    // "da", "das", "dos" are Italian, German or Spanish words too, "com" is in web addresses, and ã is in names
    // ("View of São Paulo"): they tell only together.
    test: (text, words) =>
      has(words, 'do ao aos uma não em coa unha dunha cunha') || (/[ãõ]/iu.test(text) && has(words, 'da das dos com')),
  },
  {
    key: 'ca',
    name: 'Catalan',
    // "col·lecció"; "Mare de Déu" (the Virgin).
    test: (text, words) => /l·l/iu.test(text) || has(words, 'amb els dels pels aquest déu'),
  },
  {
    key: 'la',
    name: 'Latin',
    test: (_, words) =>
      has(words, 'cum atque sunt quod hic iacet vixit annos sacrum memoriae loci caes filius domini sancti') ||
      [...words].some((w) => w.length >= 6 && /(orum|arum|ibus)$/u.test(w)),
  },
  // Afrikaans's "'n" (a) is a word of its own; French's "n'" is joined to the next.
  {
    key: 'af',
    name: 'Afrikaans',
    test: (text, words) => /(^|[\s(])['ʼ’]?n\s+\p{L}/iu.test(text) || has(words, 'vir nie hierdie'),
  },
  // Bulgarian's ъ is a vowel ("България"); Russian's, rare, comes before е, ё, ю or я ("объект").
  { key: 'bg', name: 'Bulgarian', test: (text) => /ъ(?![еёюя])/iu.test(text) },
  {
    key: 'x-cyrillic',
    name: 'another language in Cyrillic letters (Serbian, Kazakh…)',
    test: (text) => /[^\P{Script=Cyrillic}\P{L}а-яёіїєґ]/iu.test(text),
  },
  {
    key: 'x-arabic',
    name: 'another language in Arabic letters (Urdu…)',
    test: (text) => NOT_ARABIC_NOR_PERSIAN.test(text),
  },
  {
    key: 'yi',
    name: 'Yiddish',
    test: (text, words) => /[\u05F0-\u05F2\u05BF]/u.test(text) || has(words, 'מיט פון און דער איז אַ'),
  },
];
const UNLISTED_NAMES = new Map(UNLISTED.map((u) => [u.key, u.name]));
/** Chinese characters with no kana nor a form only one of the two languages writes: Chinese or Japanese. */
const HAN = 'han';
UNLISTED_NAMES.set(HAN, 'Chinese characters alone (Chinese or Japanese)');
const nameOf = (key: string) => NAMES[key] ?? UNLISTED_NAMES.get(key)!;

function has(words: Set<string>, list: string): boolean {
  return list.split(' ').some((w) => words.has(w));
}

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

/*
 * Chinese characters Japanese writes in its own simpler forms (図, not 圖 or 图), and Chinese ones Japanese never
 * writes: simplified forms (这, 图, 铜) and traditional ones Japanese simplified otherwise (們, 圖, 畫). Japanese titles
 * are often kanji alone, and a browser told "zh" draws them in Chinese forms: without kana or such a character a
 * record of Chinese characters is either language.
 */
const JAPANESE_FORMS = '図絵売読黒広桜沢県浜蔵歳辺対単様駅鉄発仏楽薬焼巻釈獣鶏剣銭円伝観関経実';
const CHINESE_FORMS =
  '这们个东门书图馆铜鸟纹龙凤马鱼银铁钱壶盘纸绢剑镜钟阳风时为见长车贝页语说诗记对发乐药烧县边单岁' +
  '绘华观缠莲轴册挂汉窑砚笔错绣织丝缂锦头萨罗鹤鸡兰云兽' +
  '們這麼圖畫繪賣讀廣澤縣歲邊對單樣鐵發樂藥燒國會學體寶觀關傳圓號變寫經';

/**
 * Scripts other than Latin, each one language, or another by letters of its own: Persian's پ چ ژ گ ک ی beside Arabic,
 * Ukrainian's і ї є ґ beside Russian, Japanese kana or forms beside Chinese forms. A record with such letters is that
 * language; the records without them follow it when enough records have them (`share`) and no other does: a
 * Japanese title may be kanji alone.
 */
const SCRIPTS: {
  letters: RegExp;
  language: string;
  others?: { letters: RegExp; language: string; share: number }[];
}[] = [
  {
    letters: /\p{Script=Arabic}/gu,
    language: 'ar',
    others: [{ letters: /[\u067E\u0686\u0698\u06AF\u06A9\u06CC]/u, language: 'fa', share: 0.5 }],
  },
  { letters: /\p{Script=Hebrew}/gu, language: 'he' },
  { letters: /\p{Script=Greek}/gu, language: 'el' },
  {
    letters: /\p{Script=Cyrillic}/gu,
    language: 'ru',
    others: [{ letters: /[іїєґІЇЄҐ]/u, language: 'uk', share: 0.3 }],
  },
  { letters: /\p{Script=Hangul}/gu, language: 'ko' },
  {
    letters: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu,
    language: HAN,
    others: [
      {
        letters: new RegExp(`[\\p{Script=Hiragana}\\p{Script=Katakana}${JAPANESE_FORMS}]`, 'u'),
        language: 'ja',
        share: 0.2,
      },
      { letters: new RegExp(`[${CHINESE_FORMS}]`, 'u'), language: 'zh', share: 0.2 },
    ],
  },
];
const LATIN = /\p{Script=Latin}/gu;
const A_LATIN = /\p{Script=Latin}/u;
/** A letter outside the Latin alphabet: most records have none, and then no script's letters are counted. */
const OTHER_LETTER = /[^\P{L}\p{Script=Latin}]/u;
/** A character of these scripts says about as much as a short word: counted thrice against Latin letters. */
const WIDE = new Set(['ko', HAN]);
/** A bracketed part: "Tea bowl (茶碗)" glosses an English title, and is left out when it is in another script. */
const BRACKETED = /[(（[]([^()（）[\]]*)[)）\]]/gu;

type Verdict = { language: string; words: number; other?: boolean };

/** One record's language, or undefined when its words do not tell. */
function recordVerdict(record: string): Verdict | undefined {
  let text = record.normalize('NFKC');
  const unglossed = text.replace(BRACKETED, (whole, inner: string) =>
    OTHER_LETTER.test(inner) && !A_LATIN.test(inner) ? ' ' : whole,
  );
  if (A_LATIN.test(unglossed)) text = unglossed;
  const words = new Set(text.toLowerCase().split(/[^\p{L}\p{M}]+/u));
  const unlisted = UNLISTED.find((u) => u.test(text, words));
  if (unlisted) return { language: unlisted.key, words: 1 };
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
    const other = script.others?.find((o) => o.letters.test(text));
    if (other) return { language: other.language, words: best.weight, other: true };
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
  // Spanish small words with letters Spanish never writes ("Gerro de ceràmica de la fàbrica") are Catalan's.
  if (first[0] === 'es' && /[àèòç]/iu.test(text)) return { language: 'ca', words: 1 };
  return { language: first[0], words: hits.get(first[0])! };
}

/** The language of the export's records from their title and description columns (those init mapped). */
export function recordsLanguage({
  rows,
  columns,
}: {
  rows: { cells: Record<string, string> }[];
  columns: Partial<Params['import']['columns']>;
}): LanguageGuess {
  // Makers' names say where a maker came from, not the language the records are written in (D44).
  const fields = (['title', 'description'] as const).filter((f) => columns[f]);
  if (fields.length === 0)
    return { why: "no title or description column is mapped, and makers' names do not say a language" };
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
    const texts = fields.map((f) => ({ f, text: (row.cells[columns[f]!] ?? '').slice(0, LANGUAGE_MAX_CHARACTERS) }));
    const verdict = recordVerdict(texts.map((t) => t.text).join('\n'));
    if (!verdict) continue;
    verdicts.push(verdict);
    for (const t of texts) if (!told.has(t.f) && recordVerdict(t.text)) told.add(t.f);
  }
  // The records of a script's own letters lead those without (Persian's, Japanese kana): see SCRIPTS.
  for (const script of SCRIPTS) {
    const family = verdicts.filter(
      (v) => v.language === script.language || script.others?.some((o) => o.language === v.language),
    );
    const leading = (script.others ?? []).filter(
      (o) => family.filter((v) => v.other && v.language === o.language).length >= o.share * family.length,
    );
    if (leading.length === 1)
      for (const v of family) if (v.language === script.language) v.language = leading[0]!.language;
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
  const name = nameOf(language);
  if (records < LANGUAGE_AGREEMENT * verdicts.length)
    return {
      why:
        `they are mixed: ${ranked.map(([l, c]) => `${number(c.records)} in ${nameOf(l)}`).join(', ')}, of the ` +
        `${number(verdicts.length)} records whose words tell`,
    };
  const counted = `${number(records)} of the ${number(verdicts.length)} records whose words tell`;
  if (!NAMES[language]) return { why: `most ${which} are in ${name}, which init does not write: ${counted}` };
  const latin = !SCRIPTS.some((s) => s.language === language || s.others?.some((o) => o.language === language));
  if (latin && words < LANGUAGE_MIN_WORDS)
    return { why: `only ${words} words of the records say ${name}, too few to go by` };
  return {
    language,
    name,
    why:
      `most ${which} are ${name} (${counted}` +
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
