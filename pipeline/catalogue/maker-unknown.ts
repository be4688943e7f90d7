/*
 * Whether a maker field says the maker is not known, in the languages catalogues are written in: one rule for the
 * object page's JSON-LD (site/src/lib/creator.ts: no creator) and its photograph's alt text (derive.ts altText: no
 * "by …"), which skipped only "Unknown…" and read "Photograph of Henkelkanne, by unbekannt, vor 1500" (tester T2).
 */

const L = '\\p{L}\\p{N}';

/** Words saying the maker is not known (English, French, German, Dutch, Italian, Spanish), whole. */
export const UNKNOWN_MAKER = new RegExp(
  `(?<![${L}])(?:unknown|anonymous|unidentified|not known|inconnue?|anonyme|unbekannt|anonym|onbekend|anoniem|` +
    `sconosciuto|anonimo|ignoto|desconocido|anónimo)(?![${L}])`,
  'iu',
);

/**
 * Whether the maker named first (before a comma, semicolon or bracket) is not known: "unbekannt", "Unknown maker,
 * Chinese", "Anonyme (France)"; not "Ando Hiroshige, Unknown publisher", whose artist is known.
 */
export function makerUnknown(maker: string): boolean {
  return UNKNOWN_MAKER.test(maker.split(/[,;([]/u)[0]!);
}
