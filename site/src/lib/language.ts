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
