/*
 * Rights texts that doubt, deny or narrow what they seem to say (tester T3, F4, F8, F12, F13, F18): "copyrighted" and
 * "in copyright" in other languages, a licence of the metadata only or with the photograph excepted, a licence denied,
 * still to come or pending, and a web address whose words are not the text's. Shown in full by mistake is the museum's
 * legal risk, shown small is not: when unsure, a text is never read as open. rights.ts calls these; the texts they are
 * given are rights.ts's plain ones (lower case, spaces and dashes made plain).
 */

/**
 * The copyright sign as some systems write it, made the one rights.ts reads: the circled C ("Ⓒ Jane Doe", U+24B8, and
 * "ⓒ") as "©", a C between full-width brackets ("（c）2021 Jane Doe", "(ｃ)") as "(c)". Normalising (NFKC) does the
 * second and not the first.
 */
export function copyrightSigns(raw: string): string {
  return raw.replace(/[Ⓒⓒ]/g, '©').replace(/[（(]\s*[cCｃＣ]\s*[）)]/g, '(c)');
}

// Words before a statement that deny it: "nicht urheberrechtlich geschützt", "non protégé", "niet beschermd".
const DENIED = '(?<!\\b(?:not|never|no longer|nicht|nicht mehr|kein|non|ne|pas|niet|niet meer|no|nie|più)\\s)';

/**
 * "In copyright" said in other words: "copyrighted" ("not copyrighted" is made "no copyright" before), "Copr. 1950",
 * "urheberrechtlich geschützt", "protégé par le droit d'auteur", "auteursrechtelijk beschermd", "protegido por derechos
 * de autor", "protetto dal diritto d'autore", "sous droits", "rights managed" (a picture library's licensed photograph), a photograph
 * "licensed from" someone, and the picture libraries that license photographs in copyright ("image: Getty Images").
 */
const IN_COPYRIGHT_WORDS = new RegExp(
  `${DENIED}(?:${[
    '\\bcopyrighted\\b',
    '\\bcopr\\.',
    '\\burheberrechtlich gesch(?:ü|ue)tzt',
    '\\bprot[ée]g[ée]e?s? par (?:le |les )?droits? d.auteur',
    '\\bauteursrechtelijk beschermd',
    '\\bprotegid[oa]s? por (?:los )?derechos de autor',
    '\\bprotett[oaie] da(?:l)? diritt[oi] d.autore',
    '\\brights?[ -]managed\\b',
    '\\bsous droits?\\b',
    '\\b(?:under licen[cs]e|licen[cs]ed) from\\b',
    '\\b(?:bridgeman (?:images|art library)|getty images|alamy|akg-images|art resource|scala archives|superstock)\\b',
  ].join('|')})`,
);

/** The text says in other words that the work or its photograph is in copyright: read as "©" beside it is. */
export function inCopyrightWordsSaid(t: string): 'statement' | null {
  return IN_COPYRIGHT_WORDS.test(withoutAddresses(t)) ? 'statement' : null;
}

/**
 * The text with its web addresses made one word ("address"): "copyright" in "https://museum.org/copyright" is no
 * holder (tester T3, F12), but an address still names someone where a holder is expected ("Photo: https://…").
 */
export function withoutAddresses(t: string): string {
  return t.replace(/\b(?:https?:\/\/|www\.)\S+/g, ' address ');
}
