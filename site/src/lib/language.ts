/*
 * The catalogue's language (catalogue.language, a BCP 47 tag) is that of the records; the site's own words (menu,
 * footer, labels) are English. Pagefind picks its stemmer by the tag's language alone ("en-GB" is English).
 */

/** Whether `tag` is English, in any region or script ("en", "en-GB", "EN-us"). */
export function isEnglish(tag: string): boolean {
  return /^en(?:-|$)/i.test(tag);
}

/** The lang attribute that marks the site's own English words on a page in `tag`: none where the page is English. */
export function siteWordsLang(tag: string): 'en' | undefined {
  return isEnglish(tag) ? undefined : 'en';
}

/** The lang attribute of a record's value inside the site's English words: none where the page is English. */
export function recordLang(tag: string): string | undefined {
  return isEnglish(tag) ? undefined : tag;
}

/**
 * The Open Graph locale of `tag`: language_TERRITORY ("de_DE"), the territory given or the likeliest for the language
 * (Unicode's likely subtags: "de" is "de_DE", "ja" "ja_JP"); none for a tag with no territory to be had ("und").
 */
export function ogLocale(tag: string): string | undefined {
  try {
    const given = new Intl.Locale(tag);
    // "und" is made "en_US" by the likely subtags: a language not known has no locale.
    if (!given.language || given.language === 'und') return undefined;
    const { language, region } = given.maximize();
    return region ? `${language}_${region}` : undefined;
  } catch {
    return undefined;
  }
}

/*
 * What the catalogue puts in a list of the records' values (facets, counts) for a value a record lacks or a state it
 * is in: the site's English words (pipeline/catalogue derive.ts, data.ts; no-prediction.ts; the search facets).
 */
const SITE_VALUES = new Set([
  'Not labelled yet',
  'Unassigned',
  'No prediction yet',
  'No prediction: picture shared by many objects',
  'Needs review',
  'Unknown',
]);

/** Whether `value`, in a list of the records' values, is the site's own words (the model's states: "Not sure: …"). */
export function isSiteValue(value: string): boolean {
  return SITE_VALUES.has(value) || /^(?:Not published|Not sure|Photograph unlike|No prediction)\b/.test(value);
}

/** The lang of a value in a list of the records' values: "en" for the site's own words in it, else `recordLang`. */
export function valueLang(value: string, tag: string): string | undefined {
  return isSiteValue(value) ? siteWordsLang(tag) : recordLang(tag);
}
